package dev.specc.runtime.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specc.config.AugmentConfig;
import dev.specc.config.ColorMode;
import dev.specc.config.DataConfig;
import dev.specc.config.FillMode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamingMatchesInMemoryTest {
    @TempDir
    Path dir;

    /** 19 PNGs of several sizes in three classes (colour and grey), a garbage .jpg and a text file. */
    static Path folder(Path root) throws IOException {
        Path pics = root.resolve("pics");
        String[] classes = {"cat", "dog", "eel"};
        for (int i = 0; i < 19; i++) {
            int w = 9 + i % 5;
            int h = 7 + i % 3;
            boolean grey = i % 4 == 3;
            BufferedImage image = new BufferedImage(w, h, grey ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int v = (i * 37 + x * 11 + y * 23) & 0xFF;
                    if (grey) image.getRaster().setSample(x, y, 0, v);
                    else image.setRGB(x, y, (v << 16) | (((v * 3) & 0xFF) << 8) | ((v * 7 + i) & 0xFF));
                }
            }
            Path file = pics.resolve(classes[i % 3]).resolve("img" + i + ".png");
            Files.createDirectories(file.getParent());
            ImageIO.write(image, "png", file.toFile());
        }
        Files.writeString(pics.resolve("dog/garbage.jpg"), "not a JPEG");
        Files.writeString(pics.resolve("eel/notes.txt"), "not an image name");
        return pics;
    }

    static DataConfig config(DataConfig.Cache cache) {
        AugmentConfig augment = new AugmentConfig(true, true, 20, 0.1, 0.1, 0.1, 5, 2, FillMode.REFLECT);
        return new DataConfig(DataConfig.Source.FOLDER, "pics", new DataConfig.ImageSize(10, 12), ColorMode.RGB, 0.25, 5,
                1.0 / 255, null, augment, 3, 2, null, null, cache, null);
    }

    /** A segment of 7 examples of 10x12x3: the 19 images' cache file spans 3 mapped segments. */
    static final long SEGMENT = 7L * 10 * 12 * 3;

    DataSettings settings(long budget) {
        return new DataSettings(dir.resolve("cache"), budget, SEGMENT, 0);
    }

    static final ImageShape INPUT = new ImageShape(8, 8, 3);

    /** SHA-256 (first 16 hex digits) of every float's bits and label of the batches, in order. */
    static String digest(List<Batch> batches) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (Batch b : batches) {
            ByteBuffer bytes = ByteBuffer.allocate(b.images().length * 4 + b.size() * 4);
            for (float f : b.images()) bytes.putInt(Float.floatToIntBits(f));
            for (int k = 0; k < b.size(); k++) bytes.putInt(b.labels()[k]);
            sha.update(bytes.array());
        }
        return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    }

    static List<Batch> all(BatchStream stream) {
        List<Batch> batches = new ArrayList<>();
        try (stream) {
            while (stream.hasNext()) batches.add(stream.next());
        }
        return batches;
    }

    /**
     * The digests of the batches the in-memory pipeline made before streaming existed (recorded from
     * that code with this fixture): training epochs 0 and 1, epoch 1 resumed at batch 2, validation,
     * and the test split (the validation set standing in).
     */
    static final List<String> RECORDED = List.of("5f7f92a00319f87a", "908665c3bdb23908", "4e5cefe56bed3d3f",
            "b29bbc4408c319e3", "b29bbc4408c319e3");

    static List<String> digests(Splits splits, DataConfig config) throws Exception {
        List<String> digests = new ArrayList<>();
        for (int epoch = 0; epoch < 2; epoch++) {
            digests.add(digest(all(BatchStream.training(splits.train(), INPUT, 4, config, epoch, 0))));
        }
        digests.add(digest(all(BatchStream.training(splits.train(), INPUT, 4, config, 1, 2))));
        digests.add(digest(all(BatchStream.evaluation(splits.validation(), INPUT, 4, config))));
        digests.add(digest(all(BatchStream.evaluation(splits.test(), INPUT, 4, config))));
        return digests;
    }

    @Test
    void everyCacheModeGivesTheBatchesOfTheFormerInMemoryPipeline() throws Exception {
        Path pics = folder(dir);
        for (DataConfig.Cache cache : DataConfig.Cache.values()) {
            List<String> warnings = new ArrayList<>();
            Splits splits = DataSources.load(config(cache), dir.resolve("s.yaml"), warnings, settings(Long.MAX_VALUE));
            assertEquals(List.of(pics.resolve("dog/garbage.jpg") + ": skipped, cannot decode: not a JPEG or PNG image"),
                    warnings, cache + ": named once");
            assertEquals(1, splits.skipped(), cache.toString());
            assertEquals(15, splits.train().size());
            assertEquals(4, splits.validation().size());
            assertTrue(splits.cache().startsWith(cache.spelling() + " (data.cache: " + cache.spelling()
                    + "; the decoded examples take 6.7 KiB"), splits.cache());
            assertEquals(RECORDED, digests(splits, config(cache)), cache + ": same examples, order and pixels");
        }
    }

    @Test
    void withoutAChoiceTheDecodedSizeAgainstTheBudgetDecides() throws Exception {
        folder(dir);
        Splits fits = DataSources.load(config(null), dir.resolve("s.yaml"), new ArrayList<>(), settings(6840));
        assertEquals("memory (automatic: the decoded examples take 6.7 KiB, within a quarter of the heap (6.7 KiB))",
                fits.cache());
        Splits big = DataSources.load(config(null), dir.resolve("s.yaml"), new ArrayList<>(), settings(6839));
        assertEquals("none (automatic: the decoded examples take 6.7 KiB, more than a quarter of the heap (6.7 KiB); "
                + "decoded on the fly each epoch (data.cache: disk decodes once))", big.cache());
        assertTrue(big.train().select(new int[] {0}) instanceof Subset, "nothing decoded up front");
        assertEquals(RECORDED, digests(big, config(null)));
    }
}
