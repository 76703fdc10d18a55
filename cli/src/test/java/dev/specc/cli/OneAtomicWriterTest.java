package dev.specc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every file specc writes goes through runtime's AtomicFiles, which forces the data and the folder
 * entry to disk; a second rename-based writer would skip that. Only the SavedModel export, which
 * renames a whole folder, renames on its own.
 */
class OneAtomicWriterTest {
    @Test
    void onlyAtomicFilesAndTheSavedModelExportRenameIntoPlace() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        assertTrue(Files.isRegularFile(root.resolve("runtime/src/main/java/dev/specc/runtime/io/AtomicFiles.java")),
                "run from a module folder of the project: " + root);
        List<String> renaming;
        try (Stream<Path> files = Files.walk(root)) {
            renaming = files.filter(f -> f.toString().endsWith(".java") && f.toString().contains("/src/main/"))
                    .filter(OneAtomicWriterTest::renamesAtomically)
                    .map(f -> f.getFileName().toString()).sorted().toList();
        }
        assertEquals(List.of("AtomicFiles.java", "SavedModelExport.java"), renaming);
    }

    private static boolean renamesAtomically(Path file) {
        try {
            return Files.readString(file).contains("ATOMIC_MOVE");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
