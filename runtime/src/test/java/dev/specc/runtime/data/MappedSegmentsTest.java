package dev.specc.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MappedSegmentsTest {
    @TempDir
    Path dir;

    @Test
    void examplesAfterAnOffsetReadAcrossSegmentBoundaries() throws IOException {
        byte[] file = new byte[5 + 7 * 2];
        for (int i = 0; i < 7 * 2; i++) file[5 + i] = (byte) (i / 2 * 10 + i % 2);
        Path path = Files.write(dir.resolve("examples"), file);
        MappedSegments segments = MappedSegments.map(path, 5, 7, 2, 7, "the examples");
        assertEquals(3, segments.segmentCount(), "7 examples, 3 (6 bytes of at most 7) to a segment");
        byte[] out = new byte[1 + 4 * 2];
        segments.read(1, 4, out, 1);
        assertArrayEquals(new byte[] {0, 10, 11, 20, 21, 30, 31, 40, 41}, out);
        assertEquals("the file ends inside the examples (19 bytes, the end of the examples is at 21)",
                assertThrows(IOException.class, () -> MappedSegments.map(path, 7, 7, 2, 7, "the examples")).getMessage());
    }
}
