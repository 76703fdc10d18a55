package dev.specc.runtime.io;

import dev.specc.lower.CompiledModel;
import dev.specc.lower.Mode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
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
 * the target, so the target never holds half an export.
 */
public final class SavedModelExport {
    /** The signature's input and output names. */
    public static final String INPUT = "input";
    public static final String OUTPUT = "output";

    private SavedModelExport() {
    }

    /**
     * Exports to {@code target}, which must not exist or be an empty directory unless
     * {@code overwrite} is set.
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
        if (!overwrite && !isEmptyDirectory(absolute)) {
            throw new IOException("cannot export to " + target + ": the directory is not empty "
                    + "(choose another directory, or replace it with --force)");
        }
    }

    /** Renames the finished export onto the target; a previous export is moved aside first, then deleted. */
    private static void replace(Path target, Path export) throws IOException {
        if (!Files.exists(target) || isEmptyDirectory(target)) {
            try {
                // rename(2) replaces an empty directory atomically.
                Files.move(export, target, StandardCopyOption.ATOMIC_MOVE);
                AtomicFiles.syncDirectory(target.getParent());
                return;
            } catch (DirectoryNotEmptyException e) {
                // Someone filled the target meanwhile; fall through to moving it aside.
            }
        }
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
