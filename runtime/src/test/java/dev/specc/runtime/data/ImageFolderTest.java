package dev.specc.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specc.config.ColorMode;
import dev.specc.config.DataConfig;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderTest {
    @TempDir
    Path dir;

    static void writeImage(Path file, String format, int width, int height, int rgb) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) image.setRGB(x, y, rgb);
        }
        Files.createDirectories(file.getParent());
        if (!ImageIO.write(image, format, file.toFile())) throw new IOException("no writer for " + format);
    }

    /** The folder listed, then every listed image decoded, as a run with data.cache: memory reads it. */
    static ImageSet read(Path dir, DataConfig.ImageSize size, ColorMode mode, List<String> classNames, int workers,
                         List<String> warnings) throws Exception {
        Listing listing = ImageFolder.list(dir, size, mode, classNames, workers, 0);
        warnings.addAll(listing.warnings());
        return Materialized.of(listing.examples(), listing.skipped());
    }

    private static DataConfig.ImageSize size(int h, int w) {
        return new DataConfig.ImageSize(h, w);
    }

    @Test
    void classesAreSortedSubfoldersAndImagesAreResized() throws Exception {
        writeImage(dir.resolve("zebra/b.PNG"), "png", 8, 6, 0x102030);
        writeImage(dir.resolve("zebra/a.png"), "png", 3, 3, 0x405060);
        writeImage(dir.resolve("ant/x.jpg"), "jpeg", 16, 16, 0x808080);
        Files.writeString(dir.resolve("ant/notes.txt"), "ignored: not an image name");
        List<String> warnings = new ArrayList<>();
        ImageSet set = read(dir, size(4, 5), ColorMode.RGB, null, 2, warnings);
        assertEquals(List.of("ant", "zebra"), set.classNames());
        assertArrayEquals(new int[] {0, 1, 1}, set.labels());
        assertEquals(new ImageShape(4, 5, 3), set.shape());
        assertEquals(List.of(), warnings);
        assertEquals(0, set.skipped());
        int second = 4 * 5 * 3;
        assertArrayEquals(new byte[] {0x40, 0x50, 0x60}, java.util.Arrays.copyOfRange(set.pixels(), second, second + 3),
                "a.png sorts before b.PNG; a flat colour stays flat when resized");
        int grey = set.pixels()[0] & 0xFF;
        assertTrue(Math.abs(grey - 128) <= 2, "JPEG grey decodes to about 128, got " + grey);
    }

    @Test
    void grayscaleModeUsesLuminance() throws Exception {
        writeImage(dir.resolve("c/a.png"), "png", 2, 2, 0xFF0000);
        ImageSet set = read(dir, size(2, 2), ColorMode.GRAYSCALE, null, 1, new ArrayList<>());
        assertEquals(1, set.shape().channels());
        assertEquals(Math.round(0.299f * 255), set.pixels()[0] & 0xFF);
    }

    @Test
    void undecodableFilesAreReportedByPathSkippedAndCounted() throws Exception {
        writeImage(dir.resolve("cat/good.png"), "png", 4, 4, 0x111111);
        Path garbage = dir.resolve("cat/garbage.jpg");
        Files.writeString(garbage, "this is not a JPEG");
        writeImage(dir.resolve("dog/whole.jpg"), "jpeg", 64, 64, 0x336699);
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        BufferedImage noisy = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < 64 * 64; i++) noisy.setRGB(i % 64, i / 64, i * 7919);
        ImageIO.write(noisy, "jpeg", jpeg);
        Path truncated = dir.resolve("dog/truncated.jpg");
        Files.write(truncated, java.util.Arrays.copyOf(jpeg.toByteArray(), jpeg.size() / 2));
        List<String> warnings = new ArrayList<>();
        ImageSet set = read(dir, size(4, 4), ColorMode.RGB, null, 3, warnings);
        assertEquals(2, set.size());
        assertEquals(2, set.skipped());
        assertArrayEquals(new int[] {0, 1}, set.labels());
        assertEquals(2, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith(garbage + ": skipped, cannot decode"), warnings.get(0));
        assertTrue(warnings.get(1).startsWith(truncated + ": skipped, cannot decode"), warnings.get(1));
    }

    @Test
    void explicitClassNamesChooseAndOrderTheFolders() throws Exception {
        writeImage(dir.resolve("a/1.png"), "png", 2, 2, 0);
        writeImage(dir.resolve("b/1.png"), "png", 2, 2, 0);
        writeImage(dir.resolve("c/1.png"), "png", 2, 2, 0);
        ImageSet set = read(dir, size(2, 2), ColorMode.RGB, List.of("c", "a"), 1, new ArrayList<>());
        assertEquals(List.of("c", "a"), set.classNames());
        assertEquals(2, set.size());
    }

    /** A noisy PNG whose compressed data is overwritten in the middle: whole to the listing's look, broken to the decoder. */
    static Path damagedInside(Path file) throws IOException {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        BufferedImage noisy = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < 64 * 64; i++) noisy.setRGB(i % 64, i / 64, i * 7919);
        ImageIO.write(noisy, "png", png);
        byte[] bytes = png.toByteArray();
        java.util.Arrays.fill(bytes, bytes.length / 2, bytes.length / 2 + 64, (byte) 0x55);
        Files.createDirectories(file.getParent());
        return Files.write(file, bytes);
    }

    @Test
    void aFileDamagedInsideIsLeftOutOfItsBatchesAndNamedOnceInEveryCacheMode() throws Exception {
        for (int i = 0; i < 5; i++) writeImage(dir.resolve("a/" + i + ".png"), "png", 4, 4, 0x010101 * i);
        Path damaged = damagedInside(dir.resolve("a/damaged.png"));
        Listing listing = ImageFolder.list(dir, size(4, 4), ColorMode.RGB, null, 2, 0);
        assertEquals(6, listing.examples().size(), "the listing's look passes it");
        SkipLog log = new SkipLog();
        List<String> lines = new ArrayList<>();
        log.reportTo(lines::add);
        DataConfig config = DataConfig.defaults();
        for (int epoch = 0; epoch < 3; epoch++) {
            int seen = 0;
            try (BatchStream stream = BatchStream.training(listing.examples(), new ImageShape(4, 4, 3), 4, config, epoch, 0,
                    log)) {
                while (stream.hasNext()) seen += stream.next().size();
            }
            assertEquals(5, seen, "epoch " + epoch);
        }
        assertEquals(1, log.count());
        assertEquals(1, lines.size(), lines.toString());
        assertEquals(damaged + ": skipped, cannot decode: Error reading PNG image data (1 skipped while reading batches)",
                lines.get(0));

        Listing decoded = MemoryExamples.decode(listing.examples(), 2);
        assertEquals(5, decoded.examples().size(), "the memory cache finds it when decoding, before the split");
        assertEquals(1, decoded.skipped());
        assertEquals(List.of(damaged + ": skipped, cannot decode: Error reading PNG image data"), decoded.warnings());
    }
}
