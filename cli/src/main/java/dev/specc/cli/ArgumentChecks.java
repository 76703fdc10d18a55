package dev.specc.cli;

import dev.specc.diag.UsageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Checks of the files and folders a command line names, made before anything is compiled, loaded
 * or created, so that a mistake there is a usage error that names the argument and what it expected.
 */
final class ArgumentChecks {
    private ArgumentChecks() {
    }

    /** {@code path} must be a readable file; {@code expected} says what kind (e.g. "a JPEG or PNG image"). */
    static void existingFile(String argument, Path path, String expected) {
        if (Files.isDirectory(path)) {
            throw new UsageException(argument + " " + path + " is a folder; expected " + expected);
        }
        if (!Files.exists(path)) throw new UsageException(argument + " " + path + ": no such file; expected " + expected);
        if (!Files.isReadable(path)) throw new UsageException(argument + " " + path + ": the file cannot be read (permission denied)");
    }

    /** A file is to be written at {@code path}: its folder must exist and it must not be a folder itself. */
    static void newFile(String argument, Path path) {
        if (Files.isDirectory(path)) {
            throw new UsageException(argument + " " + path + " is a folder; expected the name of a file to write in it");
        }
        Path folder = path.toAbsolutePath().getParent();
        if (!Files.isDirectory(folder)) {
            Path shown = path.getParent() != null ? path.getParent() : folder;
            throw new UsageException(argument + " " + path + ": the folder " + shown + " does not exist; create it first "
                    + "or write elsewhere");
        }
    }

    static boolean isEmptyFolder(Path folder) {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }
}
