package dev.specc.config;

import dev.specc.diag.Diagnostics;
import dev.specc.diag.SourcePos;
import dev.specc.diag.Suggest;
import dev.specc.load.Overrides;
import dev.specc.load.SMap;
import dev.specc.load.SScalar;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * {@code --data NAME} picks a named source; {@code --data PATH} a folder of class subfolders, of
 * IDX files or of CIFAR-10 batches, or an HDF5 file (judged by its files). Problems are reported at the option
 * itself, as the file {@code --data VALUE}, never as a {@code --set} the user did not type.
 */
public final class DataOption {
    private static final String OPTION = "--data ";

    private DataOption() {
    }

    /** The tree with {@code data.source} and {@code data.path} set as {@code value} says; null after an error. */
    public static SMap apply(SMap tree, String value, Diagnostics diagnostics) {
        SourcePos at = new SourcePos(OPTION + value, 1, OPTION.length() + 1);
        DataConfig.Source named = byName(value);
        if (named != null) {
            if (!named.needsPath()) return set(tree, named, null, at, diagnostics);
            if (writtenSource(tree).equals(named.spelling()) && writtenPath(tree) != null) {
                return set(tree, named, writtenPath(tree), at, diagnostics);
            }
            diagnostics.error(at, value + " has no standard place on this machine; give the "
                    + (named == DataConfig.Source.HDF5 ? "HDF5 file instead (--data FILE.h5)"
                    : "folder of its files instead (--data PATH" + (named == DataConfig.Source.CIFAR10
                    ? ", the folder with data_batch_1.bin)" : ")")));
            return null;
        }
        Path path;
        try {
            path = Path.of(value);
        } catch (InvalidPathException e) {
            path = null;
        }
        if (path == null || value.isBlank() || !Files.exists(path)) {
            String suggestion = Suggest.didYouMean(value, names());
            diagnostics.error(at, suggestion.isEmpty()
                    ? "no such file or folder (checked on this machine); expected a folder or one of " + String.join(", ", names())
                    : "not a source name" + suggestion + " nor a file or folder on this machine; sources: "
                            + String.join(", ", names()));
            return null;
        }
        return set(tree, DataLocation.sourceAt(path), path.toAbsolutePath().normalize().toString(), at, diagnostics);
    }

    private static SMap set(SMap tree, DataConfig.Source source, String path, SourcePos at, Diagnostics diagnostics) {
        SMap result = Overrides.put(tree, new String[] {"data", "source"}, new SScalar(source.spelling(), true, at), at,
                diagnostics);
        return result == null ? null
                : Overrides.put(result, new String[] {"data", "path"}, new SScalar(path, path != null, at), at, diagnostics);
    }

    /** The sources chosen by name; folder, idx and hdf5 are chosen by giving a path. */
    private static List<String> names() {
        return Arrays.stream(DataConfig.Source.values())
                .filter(s -> !s.needsPath() || s == DataConfig.Source.CIFAR10)
                .map(DataConfig.Source::spelling).toList();
    }

    private static DataConfig.Source byName(String value) {
        for (DataConfig.Source s : DataConfig.Source.values()) {
            if (s.spelling().equals(value)) return s;
        }
        return null;
    }

    private static String writtenSource(SMap tree) {
        return tree.get("data") instanceof SMap data && data.get("source") instanceof SScalar s
                ? String.valueOf(s.value()) : "";
    }

    private static String writtenPath(SMap tree) {
        return tree.get("data") instanceof SMap data && data.get("path") instanceof SScalar s && s.value() instanceof String p
                ? p : null;
    }
}
