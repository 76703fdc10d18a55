package dev.specc.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarBatchesTest {
    @TempDir
    Path dir;

    /** A record whose pixel (row, col) of channel ch holds (ch * 80 + row + col) & 0xFF. */
    private static byte[] record(int label) {
        byte[] record = new byte[3073];
        record[0] = (byte) label;
        for (int ch = 0; ch < 3; ch++) {
            for (int row = 0; row < 32; row++) {
                for (int col = 0; col < 32; col++) record[1 + ch * 1024 + row * 32 + col] = (byte) (ch * 80 + row + col);
            }
        }
        return record;
    }

    @Test
    void channelPlanesBecomeInterleavedPixels() throws Exception {
        Path file = dir.resolve("data_batch_1.bin");
        byte[] two = new byte[2 * 3073];
        System.arraycopy(record(7), 0, two, 0, 3073);
        System.arraycopy(record(2), 0, two, 3073, 3073);
        Files.write(file, two);
        ImageSet set = CifarBatches.read(List.of(file), CifarBatches.STANDARD_CLASSES);
        assertEquals(new ImageShape(32, 32, 3), set.shape());
        assertArrayEquals(new int[] {7, 2}, set.labels());
        int row = 5;
        int col = 9;
        int at = 3072 + (row * 32 + col) * 3;
        assertArrayEquals(new byte[] {(byte) (row + col), (byte) (80 + row + col), (byte) (160 + row + col)},
                java.util.Arrays.copyOfRange(set.pixels(), at, at + 3));
    }

    @Test
    void classNamesComeFromTheMetaFileWhenPresent() throws Exception {
        assertEquals(CifarBatches.STANDARD_CLASSES, CifarBatches.classNames(dir));
        Files.writeString(dir.resolve("batches.meta.txt"), "a\nb\n\n");
        assertEquals(List.of("a", "b"), CifarBatches.classNames(dir));
    }

    @Test
    void partialRecordsAreReported() throws Exception {
        Path file = dir.resolve("data_batch_1.bin");
        Files.write(file, new byte[3073 + 10]);
        DataException e = assertThrows(DataException.class,
                () -> CifarBatches.read(List.of(file), CifarBatches.STANDARD_CLASSES));
        assertTrue(e.getMessage().startsWith(file + ": 3083 bytes is not a whole number"), e.getMessage());
    }
}
