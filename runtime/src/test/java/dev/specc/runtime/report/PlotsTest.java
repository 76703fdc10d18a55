package dev.specc.runtime.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotsTest {
    @TempDir
    Path dir;

    /** Pixels of the two series' colours (matplotlib's first two). */
    private static int[] countColours(BufferedImage image) {
        int blue = 0;
        int orange = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y) & 0xffffff;
                if (rgb == 0x1f77b4) blue++;
                if (rgb == 0xff7f0e) orange++;
            }
        }
        return new int[] {blue, orange};
    }

    @Test
    void writesAPngOfTheExpectedSizeWithBothSeries() throws Exception {
        Path png = dir.resolve("loss.png");
        Plots.write(png, "loss", List.of(
                Map.of("loss", 2.0, "val_loss", 2.2),
                Map.of("loss", 1.2, "val_loss", 1.5),
                Map.of("loss", 0.7, "val_loss", 1.1)));
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(720, image.getWidth());
        assertEquals(440, image.getHeight());
        int[] colours = countColours(image);
        assertTrue(colours[0] > 50, "training series drawn: " + colours[0]);
        assertTrue(colours[1] > 50, "validation series drawn: " + colours[1]);
    }

    @Test
    void aMetricWithoutValidationValuesDrawsOneSeries() throws Exception {
        Path png = dir.resolve("accuracy.png");
        Plots.write(png, "accuracy", List.of(Map.of("accuracy", 0.5), Map.of("accuracy", 0.5)));
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(720, image.getWidth());
        int[] colours = countColours(image);
        assertTrue(colours[0] > 20, "training series drawn: " + colours[0]);
        assertEquals(0, colours[1], "no validation series");
        assertNotEquals(0xffffff, image.getRGB(70, 40) & 0xffffff, "the frame is drawn");
    }

    @Test
    void theLegendAndEverySeriesStayInsideTheFrame() throws Exception {
        Path png = dir.resolve("accuracy.png");
        List<Map<String, Double>> history = new java.util.ArrayList<>();
        for (int e = 0; e < 7; e++) history.add(Map.of("accuracy", 0.5 + 0.06 * e, "val_accuracy", 0.48 + 0.05 * e));
        Plots.write(png, "accuracy", history);
        BufferedImage image = ImageIO.read(png.toFile());
        int outside = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y) & 0xffffff;
                boolean inFrame = x > 70 && x < 700 && y > 40 && y < 390;
                if ((rgb == 0x1f77b4 || rgb == 0xff7f0e) && !inFrame) outside++;
            }
        }
        assertEquals(0, outside, "series or legend pixels outside the frame");
    }

    @Test
    void axisTicksAreRoundNumbersAndWholeEpochs() {
        Ticks values = Ticks.inside(0.4735, 0.9312, 6);
        assertEquals(List.of("0.5", "0.6", "0.7", "0.8", "0.9"), values.values().stream().map(values::label).toList());
        Ticks small = Ticks.inside(0.0123, 0.0161, 5);
        assertEquals(List.of("0.013", "0.014", "0.015", "0.016"), small.values().stream().map(small::label).toList());
        Ticks epochs = Ticks.epochs(0.7, 7.3, 10);
        assertEquals(List.of("1", "2", "3", "4", "5", "6", "7"), epochs.values().stream().map(epochs::label).toList());
        Ticks many = Ticks.epochs(-0.1, 23.1, 10);
        assertEquals(List.of("5", "10", "15", "20"), many.values().stream().map(many::label).toList());
        Ticks one = Ticks.epochs(0.5, 1.5, 10);
        assertEquals(List.of("1"), one.values().stream().map(one::label).toList());
    }
}
