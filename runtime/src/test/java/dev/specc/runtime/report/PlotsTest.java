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
        Path png = dir.resolve("plots/loss.png");
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
}
