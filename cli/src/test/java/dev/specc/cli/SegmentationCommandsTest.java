package dev.specc.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * specc run, eval and predict on a segmentation spec, end to end, on a tiny set of image/mask
 * pairs made here: a bright square (class 1) on a dark background (class 0), its edge ignored.
 */
class SegmentationCommandsTest {
    @TempDir
    static Path dir;

    static Path spec;

    static final String SPEC = """
            specc: 1
            name: tinyseg
            params: {classes: 2}
            input: {shape: [16, 16, 3]}
            stem:
              - {kind: conv2d, name: conv, filters: 4, kernel: 3, padding: same, activation: relu}
              - {kind: conv2d, name: seg, filters: classes, kernel: 2, strides: 2}
            head:
              - {kind: conv2d_transpose, name: up, filters: classes, kernel: 4, strides: 2, padding: 1, groups: classes,
                 bias: false, initializer: bilinear, trainable: false}
              - {kind: log_softmax, name: softmax}
            train:
              epochs: 1
              batch_size: 4
              optimizer: {type: adam, learning_rate: 0.01}
              schedule: {type: poly}
            data:
              source: segmentation
              path: pairs
              validation_split: 0.25
              class_names: [dark, square]
              augment: {horizontal_flip: true}
              segmentation: {palette: [[0, 0, 0], [255, 0, 0]], random_scale: 0.1}
            """;

    @BeforeAll
    static void makeData() throws IOException {
        for (int i = 0; i < 10; i++) {
            String split = i < 8 ? "train" : "test";
            write(dir.resolve("pairs/" + split + "/images/s" + i + ".png"), dir.resolve("pairs/" + split + "/masks/s" + i + ".png"),
                    2 + i % 5, 3 + i % 4, -1);
        }
        spec = dir.resolve("tinyseg.yaml");
        Files.writeString(spec, SPEC);
    }

    /** A 16x16 image with an 8x8 bright square at (top, left), and its mask; {@code bad} >= 0 writes that index at pixel 0. */
    static void write(Path image, Path mask, int top, int left, int bad) throws IOException {
        Files.createDirectories(image.getParent());
        Files.createDirectories(mask.getParent());
        BufferedImage rgb = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        byte[] classes = new byte[256];
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                boolean inside = y >= top && y < top + 8 && x >= left && x < left + 8;
                boolean edge = inside && (y == top || x == left || y == top + 7 || x == left + 7);
                rgb.setRGB(x, y, inside ? 0xE0E0E0 : 0x202020 + (x * 5 << 8));
                classes[y * 16 + x] = (byte) (edge ? 255 : inside ? 1 : 0);
            }
        }
        if (bad >= 0) classes[0] = (byte) bad;
        ImageIO.write(rgb, "png", image.toFile());
        BufferedImage indexed = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_INDEXED,
                new IndexColorModel(8, 256, new byte[256], new byte[256], new byte[256]));
        indexed.getRaster().setDataElements(0, 0, 16, 16, classes);
        ImageIO.write(indexed, "png", mask.toFile());
    }

    @Test
    void runEvalAndPredictASegmentationSpec() throws Exception {
        Path runs = dir.resolve("runs");
        TrainingCommandsTest.Result run = TrainingCommandsTest.specc("run", spec.toString(), "--runs-dir", runs.toString());
        assertEquals(0, run.code(), run.out() + run.err());
        assertTrue(run.out().contains("data: 6 training, 2 validation, 2 test image/mask pairs, 2 classes"), run.out());
        assertTrue(run.out().contains("mean_iou: "), "the progress line shows mean IoU: " + run.out());
        Path runDir;
        try (Stream<Path> s = Files.list(runs.resolve("tinyseg"))) {
            runDir = s.findFirst().orElseThrow();
        }
        JsonNode report = new ObjectMapper().readTree(runDir.resolve("report.json").toFile());
        assertEquals("test", report.get("split").asText());
        double dark = report.at("/per_class_iou/dark").asDouble();
        double square = report.at("/per_class_iou/square").asDouble();
        assertEquals((dark + square) / 2, report.get("mean_iou").asDouble(), 1e-9);
        assertTrue(Files.readString(runDir.resolve("metrics.csv")).startsWith("epoch,loss,accuracy,mean_iou,iou_0,iou_1,val_loss,val_accuracy,val_mean_iou,val_iou_0,val_iou_1,"),
                Files.readString(runDir.resolve("metrics.csv")));
        assertTrue(Files.isRegularFile(runDir.resolve("mean_iou.png")));
        // Per-class IoU by class index, in the metrics files (the summary line keeps to the means).
        JsonNode lastEpoch = new ObjectMapper().readTree(runDir.resolve("metrics.json").toFile()).get(0);
        double valDark = lastEpoch.get("val_iou_0").asDouble();
        double valSquare = lastEpoch.get("val_iou_1").asDouble();
        assertEquals((valDark + valSquare) / 2, lastEpoch.get("val_mean_iou").asDouble(), 1e-9);
        assertFalse(run.out().contains("val_iou_0"), run.out());

        TrainingCommandsTest.Result eval = TrainingCommandsTest.specc("eval", "--run", runDir.toString());
        assertEquals(0, eval.code(), eval.err());
        assertTrue(eval.out().contains("mean IoU " + String.format(java.util.Locale.ROOT, "%.4f", report.get("mean_iou").asDouble())),
                eval.out());
        assertTrue(eval.out().contains("square"), eval.out());

        Path masks = Files.createDirectories(dir.resolve("masks-out"));
        Path image = dir.resolve("pairs/test/images/s8.png");
        TrainingCommandsTest.Result predict = TrainingCommandsTest.specc("predict", "--run", runDir.toString(), image.toString(),
                "--masks", masks.toString(), "--overlay");
        assertEquals(0, predict.code(), predict.err());
        BufferedImage mask = ImageIO.read(masks.resolve("s8.png").toFile());
        assertEquals(16, mask.getWidth());
        assertTrue(mask.getColorModel() instanceof IndexColorModel palette && palette.getRGB(1) == 0xFFFF0000,
                "a palette PNG in the spec's colours");
        assertTrue(Files.isRegularFile(masks.resolve("s8_overlay.png")));

        TrainingCommandsTest.Result noMasks = TrainingCommandsTest.specc("predict", "--run", runDir.toString(), image.toString());
        assertEquals(2, noMasks.code());
        assertEquals("specc: this network segments images: give --masks DIR, the folder to write one mask PNG per image into "
                + "(or --out FILE.npy for its output)\n", noMasks.err());

        Path npy = dir.resolve("maps.npy");
        TrainingCommandsTest.Result maps = TrainingCommandsTest.specc("predict", "--run", runDir.toString(), image.toString(),
                "--out", npy.toString());
        assertEquals(0, maps.code(), maps.err());
        dev.specc.runtime.io.Npy.Array array = dev.specc.runtime.io.Npy.read(npy);
        assertArrayEquals(new long[] {1, 16, 16, 2}, array.shape(), "the per-pixel log-probabilities of the one image");
        TrainingCommandsTest.Result both = TrainingCommandsTest.specc("predict", "--run", runDir.toString(), image.toString(),
                "--out", dir.resolve("other.npy").toString(), "--masks", masks.toString());
        assertEquals(2, both.code());
        assertEquals("specc: give --masks or --out, not both\n", both.err());
    }

    @Test
    void aMaskWithAnIndexBeyondTheClassesFailsTheRunNamingTheFile() throws Exception {
        Path bad = dir.resolve("bad");
        write(bad.resolve("pairs/images/a.png"), bad.resolve("pairs/masks/a.png"), 2, 2, -1);
        write(bad.resolve("pairs/images/b.png"), bad.resolve("pairs/masks/b.png"), 4, 4, 3);
        Path badSpec = bad.resolve("tinyseg.yaml");
        Files.writeString(badSpec, SPEC);
        TrainingCommandsTest.Result run = TrainingCommandsTest.specc("run", badSpec.toString(), "--runs-dir", bad.resolve("runs").toString());
        assertEquals(1, run.code());
        assertEquals("specc: " + bad.resolve("pairs/masks/b.png") + ": class index 3 at row 0, column 0, but data.class_names "
                + "lists 2 classes (0 to 1) and data.segmentation.ignore_index is 255\n", run.err());
    }
}
