package dev.specc.runtime.data;

import dev.specc.config.ColorMode;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/** Decodes a JPEG or PNG file with javax.imageio into HWC uint8 pixels of a given size and mode. */
public final class ImageDecoder {
    private final int height;
    private final int width;
    private final ColorMode mode;

    public ImageDecoder(int height, int width, ColorMode mode) {
        this.height = height;
        this.width = width;
        this.mode = mode;
    }

    /**
     * The file's pixels, or an exception whose message says what is wrong. A decoder warning
     * (a truncated JPEG decodes to grey padding with only a warning) counts as a failure.
     */
    public byte[] decode(Path file) throws IOException {
        BufferedImage image = read(file);
        boolean grey = image.getRaster().getNumBands() == 1 && !(image.getColorModel() instanceof IndexColorModel)
                && image.getSampleModel().getSampleSize(0) == 8;
        int channels = grey ? 1 : 3;
        float[] pixels = grey ? greyPixels(image.getRaster()) : rgbPixels(image);
        pixels = Pixels.convertChannels(pixels, image.getWidth() * image.getHeight(), channels, mode.channels());
        pixels = Pixels.resize(pixels, image.getHeight(), image.getWidth(), mode.channels(), height, width);
        return Pixels.toBytes(pixels);
    }

    static BufferedImage read(Path file) throws IOException {
        try (ImageInputStream input = ImageIO.createImageInputStream(file.toFile())) {
            if (input == null) throw new IOException("cannot open the file");
            Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
            if (!readers.hasNext()) throw new IOException("not a JPEG or PNG image");
            ImageReader reader = readers.next();
            List<String> warnings = new ArrayList<>();
            reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
            try {
                reader.setInput(input, true, true);
                BufferedImage image = reader.read(0);
                if (!warnings.isEmpty()) throw new IOException("damaged image: " + warnings.get(0));
                return image;
            } catch (RuntimeException e) {
                // ImageIO's decoders throw unchecked exceptions on some malformed files.
                throw new IOException("damaged image: " + e, e);
            } finally {
                reader.dispose();
            }
        }
    }

    /** Grey samples straight from the raster: getRGB would push them through a gamma conversion. */
    private static float[] greyPixels(Raster raster) {
        int w = raster.getWidth();
        int h = raster.getHeight();
        float[] result = new float[w * h];
        raster.getSamples(0, 0, w, h, 0, result);
        return result;
    }

    private static float[] rgbPixels(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        float[] result = new float[w * h * 3];
        for (int p = 0; p < argb.length; p++) {
            result[3 * p] = (argb[p] >> 16) & 0xFF;
            result[3 * p + 1] = (argb[p] >> 8) & 0xFF;
            result[3 * p + 2] = argb[p] & 0xFF;
        }
        return result;
    }
}
