package dev.specc.runtime.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TensorBoardWriterTest {
    @TempDir
    Path dir;

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) continue outer;
            }
            return i;
        }
        return -1;
    }

    @Test
    void writesAnEventFileWithTheTagsAndValues() throws Exception {
        Path logs = dir.resolve("tensorboard");
        try (TensorBoardWriter writer = new TensorBoardWriter(logs)) {
            writer.scalar("epoch_val_loss", 1, 0.75);
            writer.scalar("epoch_learning_rate", 2, 0.125);
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(logs)) {
            files = s.filter(p -> p.getFileName().toString().startsWith("events.out.tfevents.")).toList();
        }
        assertEquals(1, files.size(), "one event file: " + files);
        assertTrue(files.get(0).getFileName().toString().endsWith(".specc"), files.get(0).toString());
        byte[] bytes = Files.readAllBytes(files.get(0));
        assertTrue(indexOf(bytes, "epoch_val_loss".getBytes(StandardCharsets.UTF_8)) >= 0, "tag written");
        assertTrue(indexOf(bytes, "epoch_learning_rate".getBytes(StandardCharsets.UTF_8)) >= 0, "tag written");
        // 0.125f little-endian, as the scalar's simple_value.
        byte[] value = java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putFloat(0.125f).array();
        assertTrue(indexOf(bytes, value) >= 0, "value written");
    }
}
