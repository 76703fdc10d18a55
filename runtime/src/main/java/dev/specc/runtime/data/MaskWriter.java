package dev.specc.runtime.data;

import dev.specc.config.SegmentationConfig;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Writes predicted class maps as palette PNGs (the index is the class, the colour the spec's palette) and overlays. */
public final class MaskWriter {
    private final SegmentationConfig config;
    private final int classes;

    public MaskWriter(SegmentationConfig config, int classes) {
        this.config = config;
        this.classes = classes;
    }

    /** A palette PNG of {@code classIndices} ([height * width]), written atomically. */
    public void writeMask(Path file, int[] classIndices, int height, int width) throws IOException {
        byte[] r = new byte[256];
        byte[] g = new byte[256];
        byte[] b = new byte[256];
        for (int c = 0; c < Math.min(classes, 256); c++) {
            int[] colour = config.colour(c);
            r[c] = (byte) colour[0];
            g[c] = (byte) colour[1];
            b[c] = (byte) colour[2];
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(8, 256, r, g, b));
        byte[] indices = new byte[classIndices.length];
        for (int i = 0; i < indices.length; i++) indices[i] = (byte) classIndices[i];
        image.getRaster().setDataElements(0, 0, width, height, indices);
        write(file, image);
    }

    /** The image with each pixel blended half and half with its class's colour. */
    public void writeOverlay(Path file, float[] rgb, int[] classIndices, int height, int width) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int p = 0; p < classIndices.length; p++) {
            int[] colour = config.colour(classIndices[p]);
            int value = 0;
            for (int k = 0; k < 3; k++) value = (value << 8) | Math.min(255, Math.round((rgb[3 * p + k] + colour[k]) / 2f));
            image.setRGB(p % width, p / width, value);
        }
        write(file, image);
    }

    private static void write(Path file, BufferedImage image) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        if (!ImageIO.write(image, "png", bytes)) throw new IOException("no PNG writer");
        dev.specc.runtime.io.AtomicFiles.write(file, bytes.toByteArray());
    }

    /** Reads an image at its own size as RGB floats, for predictions and overlays. */
    public static float[][] readRgb(Path file, int[] size) throws DataException {
        PairDecoder.Image image = PairDecoder.image(file, 3);
        size[0] = image.height();
        size[1] = image.width();
        return new float[][] {image.pixels()};
    }

    /** {@code image} (HWC floats, 0-255) resized to the model input as evaluation batches are. */
    public static float[] toInput(float[] rgb, int height, int width, ImageShape input) {
        float[] pixels = Pixels.convertChannels(rgb, height * width, 3, input.channels());
        return PairTransform.IDENTITY.image(new PairDecoder.Image(height, width, pixels), input.channels(), input.height(), input.width());
    }

    /** A class map at the input size brought back to an image's size, nearest neighbour. */
    public static int[] toImageSize(int[] map, ImageShape input, int height, int width) {
        return PairTransform.IDENTITY.mask(new PairDecoder.Mask(input.height(), input.width(), map), height, width, 0);
    }
}
