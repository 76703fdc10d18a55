package dev.specc.runtime.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The memory and disk caches skip an example whose file cannot be read, and stop on a bug in a source. */
class ReadEveryExampleTest {
    @TempDir
    Path dir;

    /** Five 1x1 grey examples; example 2 is an unreadable file, example 3 (when buggy) a bug in the source. */
    private static Examples source(boolean buggy) {
        return new Examples() {
            @Override
            public ImageShape shape() {
                return new ImageShape(1, 1, 1);
            }

            @Override
            public int size() {
                return 5;
            }

            @Override
            public int label(int index) {
                return 0;
            }

            @Override
            public List<String> classNames() {
                return List.of("x");
            }

            @Override
            public void read(int index, byte[] out, int offset) throws IOException {
                if (index == 2) throw new IOException("damaged image: cut short");
                if (index == 3 && buggy) throw new IllegalStateException("a bug in the source");
                out[offset] = (byte) (10 + index);
            }

            @Override
            public String describe(int index) {
                return "example " + index;
            }
        };
    }

    private static byte[] pixels(Examples examples) throws IOException {
        byte[] all = new byte[examples.size()];
        for (int i = 0; i < all.length; i++) examples.read(i, all, i);
        return all;
    }

    @Test
    void anUnreadableExampleIsSkippedWithItsReason() throws Exception {
        Listing memory = MemoryExamples.decode(source(false), 2);
        Listing disk = new DiskCache(dir, DiskCache.DEFAULT_SEGMENT_BYTES).open(source(false), "five", "five", 2).listing();
        for (Listing listing : List.of(memory, disk)) {
            assertEquals(List.of(Listing.skippedLine("example 2", "damaged image: cut short")), listing.warnings());
            assertEquals("[10, 11, 13, 14]", java.util.Arrays.toString(pixels(listing.examples())));
        }
    }

    @Test
    void aBugInASourceIsNotASkippedExample() {
        assertEquals("a bug in the source",
                assertThrows(IllegalStateException.class, () -> MemoryExamples.decode(source(true), 2)).getMessage());
        assertEquals("a bug in the source", assertThrows(IllegalStateException.class,
                () -> new DiskCache(dir, DiskCache.DEFAULT_SEGMENT_BYTES).open(source(true), "five", "five", 2)).getMessage());
    }
}
