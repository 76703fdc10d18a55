package dev.specc.runtime.io;

import dev.specc.lower.CompiledModel;
import dev.specc.lower.Mode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;

/**
 * Exports a compiled model as a TensorFlow SavedModel (tag "serve") with the session's current
 * variable values. The signature "serving_default" maps "input" to the inference output "output":
 * serving runs the moving statistics and no dropout. The graph is saved whole, so the training
 * path is in the file too, but nothing reachable from the signature uses it.
 *
 * <p>The export is written into a temporary sibling directory, forced to disk, and renamed onto
 * the target, so the target never holds half an export. Replacing an earlier export is not one
 * atomic step: the new export is complete before the old one is moved aside, renamed into place and
 * the old one deleted, so for a moment between the two renames the target does not exist. Only a
 * folder that holds a SavedModel and nothing else is ever replaced.
 */
public final class SavedModelExport {
    /** The signature's input and output names. */
    public static final String INPUT = "input";
    public static final String OUTPUT = "output";

    private static final String SAVED_MODEL = "saved_model.pb";
    private static final String VARIABLES = "variables";
    /** What a SavedModel folder holds beside saved_model.pb; anything else there is not part of one. */
    private static final Set<String> SAVED_MODEL_PARTS =
            Set.of(SAVED_MODEL, "fingerprint.pb", "keras_metadata.pb", VARIABLES, "assets", "assets.extra");
    private static final Pattern VARIABLES_FILE = Pattern.compile("variables\\.(index|data-\\d+-of-\\d+)");

    private SavedModelExport() {
    }

    /**
     * Exports to {@code target}, which must not exist or be an empty directory, or with
     * {@code overwrite} a directory that {@linkplain #isSavedModel is a SavedModel}.
     *
     * @throws IOException when the target is taken or the export cannot be written
     */
    public static void export(CompiledModel model, Session session, Path target, boolean overwrite) throws IOException {
        if (session.graph() != model.graph()) {
            throw new IllegalArgumentException("the session runs another graph than the model's");
        }
        Path absolute = target.toAbsolutePath().normalize();
        checkTarget(target, absolute, overwrite);
        Path parent = absolute.getParent();
        Files.createDirectories(parent);
        Path temporary = Files.createTempDirectory(parent, "." + absolute.getFileName() + ".export-");
        if (temporary.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            // createTempDirectory makes an owner-only folder; the export is an ordinary one.
            Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        try {
            Signature signature = Signature.builder().key(Signature.DEFAULT_KEY)
                    .input(INPUT, model.input())
                    .output(OUTPUT, model.output(Mode.INFERENCE))
                    .build();
            SavedModelBundle.exporter(temporary.toString()).withSession(session).withSignature(signature).export();
            forceToDisk(temporary);
            replace(absolute, temporary);
        } finally {
            deleteTree(temporary);
        }
    }

    private static void checkTarget(Path target, Path absolute, boolean overwrite) throws IOException {
        if (!Files.exists(absolute)) return;
        if (!Files.isDirectory(absolute)) {
            throw new IOException("cannot export to " + target + ": it exists and is not a directory");
        }
        if (isEmptyDirectory(absolute)) return;
        if (!overwrite) {
            throw new IOException("cannot export to " + target + ": the directory is not empty "
                    + "(choose another directory, or replace it with --force)");
        }
        if (!isSavedModel(absolute)) throw notASavedModel(target);
    }

    private static IOException notASavedModel(Path target) {
        return new IOException("cannot export to " + target + ": the directory is not empty and is not a SavedModel "
                + "(replacing is only for an earlier export: a folder with " + SAVED_MODEL + " and nothing else)");
    }

    /**
     * Whether {@code directory} holds a SavedModel and nothing that is not part of one: saved_model.pb,
     * and beside it only a variables folder of variables.index and variables.data-* files, fingerprint.pb,
     * keras_metadata.pb, assets and assets.extra.
     */
    public static boolean isSavedModel(Path directory) throws IOException {
        if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)
                || !Files.isRegularFile(directory.resolve(SAVED_MODEL), LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(directory)) {
            if (!entries.allMatch(e -> SAVED_MODEL_PARTS.contains(e.getFileName().toString()))) return false;
        }
        Path variables = directory.resolve(VARIABLES);
        if (!Files.exists(variables, LinkOption.NOFOLLOW_LINKS)) return true;
        if (!Files.isDirectory(variables, LinkOption.NOFOLLOW_LINKS)) return false;
        try (Stream<Path> entries = Files.list(variables)) {
            return entries.allMatch(e -> Files.isRegularFile(e, LinkOption.NOFOLLOW_LINKS)
                    && VARIABLES_FILE.matcher(e.getFileName().toString()).matches());
        }
    }

    /**
     * Renames the finished export onto the target; a previous export is moved aside first, then
     * deleted. Java has no atomic exchange of two directories, hence the two renames.
     */
    private static void replace(Path target, Path export) throws IOException {
        if (!Files.exists(target) || isEmptyDirectory(target)) {
            try {
                // rename(2) replaces an empty directory atomically.
                Files.move(export, target, StandardCopyOption.ATOMIC_MOVE);
                AtomicFiles.syncDirectory(target.getParent());
                return;
            } catch (DirectoryNotEmptyException e) {
                // Someone filled the target meanwhile; it is moved aside below only if it is a SavedModel.
            }
        }
        if (!isSavedModel(target)) throw notASavedModel(target);
        Path previous = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".previous-");
        Files.move(target, previous, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try {
            Files.move(export, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Files.move(previous, target, StandardCopyOption.ATOMIC_MOVE);
            throw e;
        }
        AtomicFiles.syncDirectory(target.getParent());
        deleteTree(previous);
    }

    private static boolean isEmptyDirectory(Path directory) throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.findAny().isEmpty();
        }
    }

    /** TensorFlow writes the files without syncing them; the rename must not publish unsynced data. */
    private static void forceToDisk(Path directory) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(directory)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        for (Path file : files) {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
        }
        try (Stream<Path> walk = Files.walk(directory)) {
            walk.filter(Files::isDirectory).forEach(AtomicFiles::syncDirectory);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(root)) {
            paths = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : paths) Files.deleteIfExists(p);
    }
}
