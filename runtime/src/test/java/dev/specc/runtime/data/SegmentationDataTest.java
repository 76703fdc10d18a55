package dev.specc.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specc.config.AugmentConfig;
import dev.specc.config.DataConfig;
import dev.specc.config.FillMode;
import dev.specc.config.SegmentationConfig;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Segmentation pairs: the three layouts, refused masks, and augmentation that keeps image and mask aligned. */
class SegmentationDataTest {
    private static final List<String> CLASSES = List.of("background", "a", "b");

    @TempDir
    Path dir;

    static DataConfig config(String path, List<String> classes, AugmentConfig augment, double randomScale, double validation) {
        return new DataConfig(DataConfig.Source.SEGMENTATION, path, null, null, validation, 5, 1.0, null, augment, 2, 2,
                classes, null, null, new SegmentationConfig(255, null, randomScale));
    }

    /** A grey PNG mask (or palette when {@code palette}) holding {@code values}. */
    static void writeMask(Path file, int[] values, int height, int width, boolean palette) throws Exception {
        Files.createDirectories(file.getParent());
        BufferedImage image = palette
                ? new BufferedImage(width, height, BufferedImage.TYPE_BYTE_INDEXED,
                        new IndexColorModel(8, 256, new byte[256], new byte[256], new byte[256]))
                : new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setPixels(0, 0, width, height, values);
        ImageIO.write(image, "png", file.toFile());
    }

    /** An RGB image whose pixel colour is (40 * class, 255 - 40 * class, 7) for the mask's class, 0 where ignored. */
    static void writeImageOf(Path file, int[] mask, int height, int width, String format) throws Exception {
        Files.createDirectories(file.getParent());
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int p = 0; p < mask.length; p++) {
            int c = mask[p];
            image.setRGB(p % width, p / width, c == 255 ? 0 : (40 * c) << 16 | (255 - 40 * c) << 8 | 7);
        }
        ImageIO.write(image, format, file.toFile());
    }

    /** Blocks of classes 0, 1 and 2 (large, so that most pixels are far from an edge), a few ignored pixels. */
    static int[] blocks(int height, int width, int shift) {
        int[] mask = new int[height * width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) mask[y * width + x] = ((x + shift) / 8 + y / 8) % 3;
        }
        mask[0] = 255;
        return mask;
    }

    @Test
    void foldersWithTrainAndTestAreReadWithTheirClasses() throws Exception {
        for (int i = 0; i < 5; i++) {
            String split = i < 4 ? "train" : "test";
            writeImageOf(dir.resolve(split + "/images/p" + i + ".png"), blocks(16, 16, i), 16, 16, "png");
            writeMask(dir.resolve(split + "/masks/p" + i + ".png"), blocks(16, 16, i), 16, 16, i % 2 == 0);
        }
        SegmentationData data = SegmentationData.load(config(dir.toString(), CLASSES, AugmentConfig.NONE, 0, 0.25),
                dir.resolve("spec.yaml"));
        assertEquals(3, data.train().size());
        assertEquals(1, data.validation().size());
        assertEquals(1, data.test().size());
        assertTrue(data.hasOwnTest());
        assertEquals(dir.resolve("test/images/p4.png"), data.test().pairs().get(0).image());

        float[] images = new float[16 * 16 * 3];
        int[] labels = new int[16 * 16];
        new SegmentationExamples(new ImageShape(16, 16, 3), config(dir.toString(), CLASSES, AugmentConfig.NONE, 0, 0.25), false)
                .prepare(data.test(), 0, 0, images, labels, 0);
        assertArrayEquals(blocks(16, 16, 4), labels, "an evaluation example at its own size keeps its mask");
        assertEquals(40f, images[(16 + 8) * 3], "pixel (1, 8) is class 1: red 40");
    }

    @Test
    void listFilesAsFyuDrnPreparesCityscapes() throws Exception {
        int[] mask = blocks(8, 8, 0);
        for (String name : List.of("a", "b", "c")) {
            writeImageOf(dir.resolve("leftImg8bit/" + name + ".png"), mask, 8, 8, "png");
            writeMask(dir.resolve("gtFine/" + name + "_trainIds.png"), mask, 8, 8, false);
        }
        Files.writeString(dir.resolve("train_images.txt"), "leftImg8bit/a.png\nleftImg8bit/b.png\n");
        Files.writeString(dir.resolve("train_labels.txt"), "gtFine/a_trainIds.png\ngtFine/b_trainIds.png\n");
        Files.writeString(dir.resolve("val_images.txt"), "leftImg8bit/c.png\n");
        Files.writeString(dir.resolve("val_labels.txt"), "gtFine/c_trainIds.png\n");
        SegmentationData data = SegmentationData.load(config(dir.toString(), CLASSES, AugmentConfig.NONE, 0, 0),
                dir.resolve("spec.yaml"));
        assertEquals(2, data.train().size());
        assertEquals(dir.resolve("gtFine/b_trainIds.png"), data.train().pairs().get(1).mask());
        assertEquals(List.of(dir.resolve("leftImg8bit/c.png")), data.test().pairs().stream().map(p -> p.image()).toList());
    }

    @Test
    void pascalVocLayoutWithJpegImagesAndPaletteMasks() throws Exception {
        int[] mask = blocks(8, 8, 1);
        for (String id : List.of("2007_000032", "2007_000033", "2007_000039")) {
            writeImageOf(dir.resolve("JPEGImages/" + id + ".jpg"), mask, 8, 8, "jpg");
            writeMask(dir.resolve("SegmentationClass/" + id + ".png"), mask, 8, 8, true);
        }
        Files.createDirectories(dir.resolve("ImageSets/Segmentation"));
        Files.writeString(dir.resolve("ImageSets/Segmentation/train.txt"), "2007_000032\n2007_000033\n");
        Files.writeString(dir.resolve("ImageSets/Segmentation/val.txt"), "2007_000039\n");
        SegmentationData data = SegmentationData.load(config(dir.toString(), CLASSES, AugmentConfig.NONE, 0, 0),
                dir.resolve("spec.yaml"));
        assertEquals(2, data.train().size());
        assertEquals(1, data.test().size());
        int[] labels = new int[64];
        new SegmentationExamples(new ImageShape(8, 8, 3), config(dir.toString(), CLASSES, AugmentConfig.NONE, 0, 0), false)
                .prepare(data.test(), 0, 0, new float[64 * 3], labels, 0);
        assertArrayEquals(mask, labels, "palette indices, not colours, are the classes");
    }

    @Test
    void aMaskWithAClassIndexBeyondTheClassesIsNamedAndRefused() throws Exception {
        int[] mask = blocks(8, 8, 0);
        mask[3 * 8 + 5] = 7;
        writeImageOf(dir.resolve("images/x.png"), blocks(8, 8, 0), 8, 8, "png");
        writeMask(dir.resolve("masks/x.png"), mask, 8, 8, false);
        DataException e = assertThrows(DataException.class, () -> SegmentationData.load(
                config(dir.toString(), CLASSES, AugmentConfig.NONE, 0, 0), dir.resolve("spec.yaml")));
        assertEquals(dir.resolve("masks/x.png") + ": class index 7 at row 3, column 5, but data.class_names lists 3 classes "
                + "(0 to 2) and data.segmentation.ignore_index is 255", e.getMessage());
    }

    @Test
    void anRgbMaskAndAMissingMaskAreRefused() throws Exception {
        writeImageOf(dir.resolve("images/x.png"), blocks(8, 8, 0), 8, 8, "png");
        writeImageOf(dir.resolve("masks/x.png"), blocks(8, 8, 0), 8, 8, "png");
        DataException e = assertThrows(DataException.class, () -> SegmentationData.load(
                config(dir.toString(), CLASSES, AugmentConfig.NONE, 0, 0), dir.resolve("spec.yaml")));
        assertEquals(dir.resolve("masks/x.png") + ": a mask must be an 8-bit grey or palette PNG holding one class index "
                + "per pixel; this one has 3 channels of colour", e.getMessage());
        writeImageOf(dir.resolve("images/y.jpg"), blocks(8, 8, 0), 8, 8, "jpg");
        e = assertThrows(DataException.class, () -> SegmentationData.load(
                config(dir.toString(), CLASSES, AugmentConfig.NONE, 0, 0), dir.resolve("spec.yaml")));
        assertEquals("data.path: " + dir.resolve("masks") + ": no mask for 1 of 2 images (first: y.jpg, whose mask would be y.png)",
                e.getMessage());
    }

    /**
     * The image is drawn from its own mask (each class one colour): after a random scale, crop,
     * rotation and flip, every pixel whose label is a class and whose neighbours share it must
     * still show that class's colour, and pixels brought in from outside the image are ignored.
     */
    @Test
    void jointAugmentationKeepsImageAndMaskAligned() throws Exception {
        int[] mask = blocks(40, 48, 3);
        writeImageOf(dir.resolve("images/m.png"), mask, 40, 48, "png");
        writeMask(dir.resolve("masks/m.png"), mask, 40, 48, false);
        AugmentConfig augment = new AugmentConfig(true, false, 25, 0, 0, 0, 0, 0, FillMode.CONSTANT);
        DataConfig config = config(dir.toString(), CLASSES, augment, 0.3, 0);
        SegmentationData data = SegmentationData.load(config, dir.resolve("spec.yaml"));
        ImageShape input = new ImageShape(32, 32, 3);
        SegmentationExamples examples = new SegmentationExamples(input, config, true);
        int checked = 0;
        int ignoredOutside = 0;
        for (int epoch = 0; epoch < 12; epoch++) {
            float[] images = new float[input.values()];
            int[] labels = new int[input.pixels()];
            examples.prepare(data.train(), 0, epoch, images, labels, 0);
            for (int y = 1; y < 31; y++) {
                for (int x = 1; x < 31; x++) {
                    int label = labels[y * 32 + x];
                    if (label == 255) {
                        if (images[(y * 32 + x) * 3 + 2] == 0f) ignoredOutside++;
                        continue;
                    }
                    if (!uniform(labels, y, x, 32)) continue;
                    assertEquals(40f * label, images[(y * 32 + x) * 3], 0.5f, "epoch " + epoch + ", pixel " + y + ", " + x);
                    assertEquals(7f, images[(y * 32 + x) * 3 + 2], 0.5f);
                    checked++;
                }
            }
        }
        assertTrue(checked > 12 * 200, "checked " + checked + " pixels");
        assertTrue(ignoredOutside > 0, "some draws rotate or shrink the image so that pixels from outside it are ignored");
    }

    private static boolean uniform(int[] labels, int y, int x, int width) {
        for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) if (labels[(y + dy) * width + x + dx] != labels[y * width + x]) return false;
        }
        return true;
    }

    @Test
    void trainingBatchesAreTheSameForAnyWorkerCount() throws Exception {
        for (int i = 0; i < 5; i++) {
            writeImageOf(dir.resolve("images/p" + i + ".png"), blocks(12, 12, i), 12, 12, "png");
            writeMask(dir.resolve("masks/p" + i + ".png"), blocks(12, 12, i), 12, 12, false);
        }
        AugmentConfig augment = new AugmentConfig(true, false, 15, 0, 0, 0, 0, 0, FillMode.CONSTANT);
        DataConfig two = config(dir.toString(), CLASSES, augment, 0.2, 0);
        SegmentationData data = SegmentationData.load(two, dir.resolve("spec.yaml"));
        ImageShape input = new ImageShape(12, 12, 3);
        DataConfig one = new DataConfig(two.source(), two.path(), null, null, 0, 5, 1.0, null, augment, 1, 1, CLASSES,
                null, null, two.segmentation());
        try (SegmentationBatches a = new SegmentationBatches(data.train(), input, 2, two, 3, 0, true);
             SegmentationBatches b = new SegmentationBatches(data.train(), input, 2, one, 3, 1, true)) {
            Batch first = a.next();
            Batch second = a.next();
            Batch resumed = b.next();
            assertEquals(2, first.size());
            assertEquals(2 * 144, first.labels().length);
            assertArrayEquals(second.images(), resumed.images());
            assertArrayEquals(second.labels(), resumed.labels());
        }
    }
}
