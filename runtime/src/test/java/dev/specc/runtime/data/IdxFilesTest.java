package dev.specc.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxFilesTest {
    @TempDir
    Path dir;

    private static byte[] pixels(int count) {
        byte[] pixels = new byte[count * 3 * 2];
        for (int i = 0; i < pixels.length; i++) pixels[i] = (byte) (i * 7 + 200);
        return pixels;
    }

    @Test
    void gzippedAndRawFilesReadBackTheSame() throws Exception {
        int[] labels = {3, 0, 9, 1};
        for (String suffix : new String[] {".gz", ""}) {
            Path sub = Files.createDirectories(dir.resolve("s" + suffix.length()));
            IdxWriter.writeImages(sub.resolve("train-images-idx3-ubyte" + suffix), 3, 2, pixels(4));
            IdxWriter.writeLabels(sub.resolve("train-labels-idx1-ubyte" + suffix), labels);
            ImageSet set = IdxFiles.read(IdxFiles.imagesFile(sub, "train"), IdxFiles.labelsFile(sub, "train"),
                    DataSources.DIGITS);
            assertEquals(new ImageShape(3, 2, 1), set.shape());
            assertArrayEquals(pixels(4), set.pixels());
            assertArrayEquals(labels, set.labels());
        }
    }

    @Test
    void badMagicNamesTheFile() throws IOException {
        Path images = dir.resolve("train-images-idx3-ubyte");
        Path labels = dir.resolve("train-labels-idx1-ubyte");
        IdxWriter.writeLabels(images, new int[] {1, 2});
        IdxWriter.writeLabels(labels, new int[] {1, 2});
        DataException e = assertThrows(DataException.class, () -> IdxFiles.read(images, labels, DataSources.DIGITS));
        assertEquals(images + ": magic number 0x00000801, expected 0x00000803 for images (idx3, unsigned bytes)",
                e.getMessage());
    }

    @Test
    void truncatedImagesAndMismatchedCountsAreReported() throws IOException {
        Path images = dir.resolve("train-images-idx3-ubyte.gz");
        Path labels = dir.resolve("train-labels-idx1-ubyte.gz");
        IdxWriter.writeImages(images, 3, 2, pixels(2));
        IdxWriter.writeLabels(labels, new int[] {1, 2, 3});
        DataException e = assertThrows(DataException.class, () -> IdxFiles.read(images, labels, DataSources.DIGITS));
        assertEquals(labels + ": 3 labels for the 2 images of " + images, e.getMessage());

        byte[] whole = Files.readAllBytes(dir.resolve(images));
        Path raw = dir.resolve("raw-images");
        IdxWriter.writeImages(raw, 3, 2, pixels(2));
        byte[] bytes = Files.readAllBytes(raw);
        Files.write(raw, java.util.Arrays.copyOf(bytes, bytes.length - 5));
        e = assertThrows(DataException.class, () -> IdxFiles.read(raw, labels, DataSources.DIGITS));
        assertTrue(e.getMessage().startsWith(raw + ": header says 2 images of 3x2 (12 bytes) but 7 bytes follow"),
                e.getMessage());

        Files.write(images, java.util.Arrays.copyOf(whole, whole.length / 2));
        e = assertThrows(DataException.class, () -> IdxFiles.read(images, labels, DataSources.DIGITS));
        assertTrue(e.getMessage().startsWith(images + ": cannot read"), e.getMessage());
    }

    @Test
    void labelBeyondTheClassesIsAnError() throws IOException {
        Path images = dir.resolve("i");
        Path labels = dir.resolve("l");
        IdxWriter.writeImages(images, 3, 2, pixels(2));
        IdxWriter.writeLabels(labels, new int[] {1, 10});
        DataException e = assertThrows(DataException.class, () -> IdxFiles.read(images, labels, DataSources.DIGITS));
        assertEquals(labels + ": label 10 of example 1 but only 10 classes", e.getMessage());
    }
}
