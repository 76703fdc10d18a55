package dev.specc.runtime.data;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.file.Path;

/** Reads one image/mask pair at its own size: RGB or grey floats, and the mask's class indices. */
final class PairDecoder {
    /** An image's pixels, HWC floats 0-255 with {@code channels} (1 or 3) channels. */
    record Image(int height, int width, float[] pixels) {
    }

    /** A mask's class index per pixel. */
    record Mask(int height, int width, int[] indices) {
    }

    private PairDecoder() {
    }

    static Image image(Path file, int channels) throws DataException {
        BufferedImage image = read(file, "image");
        int w = image.getWidth();
        int h = image.getHeight();
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        float[] rgb = new float[w * h * 3];
        for (int p = 0; p < argb.length; p++) {
            rgb[3 * p] = (argb[p] >> 16) & 0xFF;
            rgb[3 * p + 1] = (argb[p] >> 8) & 0xFF;
            rgb[3 * p + 2] = argb[p] & 0xFF;
        }
        return new Image(h, w, Pixels.convertChannels(rgb, w * h, 3, channels));
    }

    /**
     * The class indices of an 8-bit grey or palette PNG (a palette PNG's indices, not its colours,
     * as Pascal VOC stores its masks). Anything else is refused with what it is.
     */
    static Mask mask(Path file) throws DataException {
        BufferedImage image = read(file, "mask");
        boolean palette = image.getColorModel() instanceof IndexColorModel;
        boolean grey = image.getRaster().getNumBands() == 1 && image.getSampleModel().getSampleSize(0) <= 8;
        if (!grey) {
            throw new DataException(file + ": a mask must be an 8-bit grey or palette PNG holding one class index per pixel; "
                    + "this one has " + image.getRaster().getNumBands() + " channels" + (palette ? "" : " of colour"));
        }
        int w = image.getWidth();
        int h = image.getHeight();
        int[] indices = new int[w * h];
        image.getRaster().getSamples(0, 0, w, h, 0, indices);
        return new Mask(h, w, indices);
    }

    private static BufferedImage read(Path file, String what) throws DataException {
        try {
            return ImageDecoder.read(file);
        } catch (IOException e) {
            throw new DataException(file + ": cannot read this " + what + ": " + e.getMessage(), e);
        }
    }
}
