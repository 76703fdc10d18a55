package dev.specc.runtime.data;

import dev.specc.config.DataConfig;
import java.util.SplittableRandom;

/**
 * One geometric map from the model input's pixels to a source image's, applied to an image
 * (bilinear, zero outside) and its mask (nearest, {@code ignore_index} outside) alike, so the two
 * stay aligned: the resize to the input size and, in training, segment.py's joint augmentation,
 * a random scale about the centre with a random crop (or pad) back to the input size, a random
 * rotation and a horizontal flip.
 */
record PairTransform(double scale, double radians, boolean flip, double rowOffset, double colOffset) {
    static final PairTransform IDENTITY = new PairTransform(1, 0, false, 0, 0);

    /** A training draw: scale from [1 - s, 1 + s], rotation from +-rotation degrees, a flip half the time, a crop offset. */
    static PairTransform sample(DataConfig config, int height, int width, SplittableRandom random) {
        double s = config.segmentation().randomScale();
        double scale = s == 0 ? 1 : random.nextDouble(1 - s, 1 + s);
        double rotation = config.augment().rotation();
        double radians = rotation == 0 ? 0 : Math.toRadians(random.nextDouble(-rotation, rotation));
        boolean flip = config.augment().horizontalFlip() && random.nextDouble() < 0.5;
        double slack = Math.abs(scale - 1) / 2;
        double rowOffset = slack == 0 ? 0 : random.nextDouble(-slack, slack) * height;
        double colOffset = slack == 0 ? 0 : random.nextDouble(-slack, slack) * width;
        return new PairTransform(scale, radians, flip, rowOffset, colOffset);
    }

    /** The source coordinates (row, column, in source pixel indices) that output pixel (r, c) of an out-sized image reads. */
    double[] source(int r, int c, int outHeight, int outWidth, int height, int width) {
        double y = r + 0.5 - outHeight / 2.0 + rowOffset;
        double x = c + 0.5 - outWidth / 2.0 + colOffset;
        if (flip) x = -x;
        double cos = Math.cos(radians);
        double sin = Math.sin(radians);
        double ry = (cos * y - sin * x) / scale;
        double rx = (sin * y + cos * x) / scale;
        return new double[] {ry * height / outHeight + height / 2.0 - 0.5, rx * width / outWidth + width / 2.0 - 0.5};
    }

    /** The image at the output size: bilinear, edges clamped within half a pixel, zero beyond. */
    float[] image(PairDecoder.Image in, int channels, int outHeight, int outWidth) {
        float[] out = new float[outHeight * outWidth * channels];
        for (int r = 0; r < outHeight; r++) {
            for (int c = 0; c < outWidth; c++) {
                double[] p = source(r, c, outHeight, outWidth, in.height(), in.width());
                if (p[0] < -0.5 || p[1] < -0.5 || p[0] > in.height() - 0.5 || p[1] > in.width() - 0.5) continue;
                double y = Math.min(Math.max(p[0], 0), in.height() - 1);
                double x = Math.min(Math.max(p[1], 0), in.width() - 1);
                int y0 = (int) Math.floor(y);
                int x0 = (int) Math.floor(x);
                int y1 = Math.min(y0 + 1, in.height() - 1);
                int x1 = Math.min(x0 + 1, in.width() - 1);
                double dy = y - y0;
                double dx = x - x0;
                for (int k = 0; k < channels; k++) {
                    double top = at(in, y0, x0, k, channels) * (1 - dx) + at(in, y0, x1, k, channels) * dx;
                    double bottom = at(in, y1, x0, k, channels) * (1 - dx) + at(in, y1, x1, k, channels) * dx;
                    out[(r * outWidth + c) * channels + k] = (float) (top * (1 - dy) + bottom * dy);
                }
            }
        }
        return out;
    }

    /** The mask at the output size: the nearest source pixel, {@code fill} outside the source. */
    int[] mask(PairDecoder.Mask in, int outHeight, int outWidth, int fill) {
        int[] out = new int[outHeight * outWidth];
        for (int r = 0; r < outHeight; r++) {
            for (int c = 0; c < outWidth; c++) {
                double[] p = source(r, c, outHeight, outWidth, in.height(), in.width());
                int y = (int) Math.floor(p[0] + 0.5);
                int x = (int) Math.floor(p[1] + 0.5);
                boolean inside = p[0] >= -0.5 && p[1] >= -0.5 && p[0] <= in.height() - 0.5 && p[1] <= in.width() - 0.5;
                out[r * outWidth + c] = inside ? in.indices()[Math.min(y, in.height() - 1) * in.width() + Math.min(x, in.width() - 1)] : fill;
            }
        }
        return out;
    }

    private static double at(PairDecoder.Image in, int y, int x, int k, int channels) {
        return in.pixels()[(y * in.width() + x) * channels + k];
    }
}
