package dev.specc.runtime.data;

import dev.specc.config.AugmentConfig;
import dev.specc.config.FillMode;
import java.util.SplittableRandom;

/**
 * Keras ImageDataGenerator's random transforms on one HWC float image: a random crop from a
 * zero-padded copy, then rotation, shift, shear and zoom as one affine map sampled bilinearly
 * with the fill mode (SciPy's {@code affine_transform} with order 1, as Keras uses), then flips.
 */
final class Augmentation {
    private static final double EDGE_TOLERANCE = 1e-6;

    /**
     * One example's draw. Shifts are in pixels with Keras' sign: the output pixel (r, c) reads
     * the input at (r + rowShift, c + colShift), so a positive shift moves content up or left.
     */
    record Transform(double rotation, double rowShift, double colShift, double shear, double rowZoom,
                     double colZoom, boolean flipHorizontal, boolean flipVertical, int cropTop, int cropLeft) {

        static final Transform IDENTITY = new Transform(0, 0, 0, 0, 1, 1, false, false, 0, 0);

        boolean isAffine() {
            return rotation != 0 || rowShift != 0 || colShift != 0 || shear != 0 || rowZoom != 1 || colZoom != 1;
        }
    }

    private final AugmentConfig augment;

    Augmentation(AugmentConfig augment) {
        this.augment = augment;
    }

    /** Draws in Keras' order: rotation, height shift, width shift, shear, zoom, flips; then the crop. */
    Transform sample(int height, int width, SplittableRandom random) {
        double rotation = symmetric(random, augment.rotation());
        double rowShift = symmetric(random, augment.heightShift()) * height;
        double colShift = symmetric(random, augment.widthShift()) * width;
        double shear = symmetric(random, augment.shear());
        double rowZoom = 1 + symmetric(random, augment.zoom());
        double colZoom = 1 + symmetric(random, augment.zoom());
        boolean flipHorizontal = augment.horizontalFlip() && random.nextDouble() < 0.5;
        boolean flipVertical = augment.verticalFlip() && random.nextDouble() < 0.5;
        int pad = augment.randomCrop();
        int cropTop = pad == 0 ? 0 : random.nextInt(2 * pad + 1);
        int cropLeft = pad == 0 ? 0 : random.nextInt(2 * pad + 1);
        return new Transform(rotation, rowShift, colShift, shear, rowZoom, colZoom, flipHorizontal, flipVertical,
                cropTop, cropLeft);
    }

    private static double symmetric(SplittableRandom random, double range) {
        return range == 0 ? 0 : random.nextDouble(-range, range);
    }

    float[] apply(Transform t, float[] image, ImageShape shape) {
        float[] result = augment.randomCrop() > 0 ? crop(image, shape, augment.randomCrop(), t.cropTop(), t.cropLeft())
                : image;
        if (t.isAffine()) result = affine(result, shape, matrix(t, shape));
        if (t.flipHorizontal()) result = flip(result, shape, false);
        if (t.flipVertical()) result = flip(result, shape, true);
        return result;
    }

    /** The window at (top, left) of the image padded by {@code pad} zeros on every side. */
    private static float[] crop(float[] image, ImageShape shape, int pad, int top, int left) {
        int h = shape.height();
        int w = shape.width();
        int c = shape.channels();
        float[] result = new float[image.length];
        for (int r = 0; r < h; r++) {
            int sourceRow = r + top - pad;
            if (sourceRow < 0 || sourceRow >= h) continue;
            for (int col = 0; col < w; col++) {
                int sourceCol = col + left - pad;
                if (sourceCol < 0 || sourceCol >= w) continue;
                System.arraycopy(image, (sourceRow * w + sourceCol) * c, result, (r * w + col) * c, c);
            }
        }
        return result;
    }

    /** Keras' rotation . shift . shear . zoom about the image centre, mapping output (row, col) to input. */
    static double[][] matrix(Transform t, ImageShape shape) {
        double theta = Math.toRadians(t.rotation());
        double shear = Math.toRadians(t.shear());
        double[][] m = {
                {Math.cos(theta), -Math.sin(theta), 0},
                {Math.sin(theta), Math.cos(theta), 0},
                {0, 0, 1}};
        m = times(m, new double[][] {{1, 0, t.rowShift()}, {0, 1, t.colShift()}, {0, 0, 1}});
        m = times(m, new double[][] {{1, -Math.sin(shear), 0}, {0, Math.cos(shear), 0}, {0, 0, 1}});
        m = times(m, new double[][] {{t.rowZoom(), 0, 0}, {0, t.colZoom(), 0}, {0, 0, 1}});
        double centreRow = shape.height() / 2.0 - 0.5;
        double centreCol = shape.width() / 2.0 - 0.5;
        double[][] toCentre = {{1, 0, centreRow}, {0, 1, centreCol}, {0, 0, 1}};
        double[][] fromCentre = {{1, 0, -centreRow}, {0, 1, -centreCol}, {0, 0, 1}};
        return times(times(toCentre, m), fromCentre);
    }

    private static double[][] times(double[][] a, double[][] b) {
        double[][] result = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 3; k++) result[i][j] += a[i][k] * b[k][j];
            }
        }
        return result;
    }

    private float[] affine(float[] image, ImageShape shape, double[][] m) {
        int h = shape.height();
        int w = shape.width();
        int c = shape.channels();
        float[] result = new float[image.length];
        for (int r = 0; r < h; r++) {
            for (int col = 0; col < w; col++) {
                double y = m[0][0] * r + m[0][1] * col + m[0][2];
                double x = m[1][0] * r + m[1][1] * col + m[1][2];
                sample(image, h, w, c, y, x, result, (r * w + col) * c);
            }
        }
        return result;
    }

    private void sample(float[] image, int h, int w, int c, double y, double x, float[] out, int at) {
        FillMode mode = augment.fillMode();
        if (mode == FillMode.CONSTANT) {
            boolean outside = y < -EDGE_TOLERANCE || y > h - 1 + EDGE_TOLERANCE
                    || x < -EDGE_TOLERANCE || x > w - 1 + EDGE_TOLERANCE;
            if (outside) return;
            y = Math.min(Math.max(y, 0), h - 1);
            x = Math.min(Math.max(x, 0), w - 1);
        }
        int y0 = (int) Math.floor(y);
        int x0 = (int) Math.floor(x);
        float dy = (float) (y - y0);
        float dx = (float) (x - x0);
        int top = index(y0, h, mode) * w;
        int bottom = index(y0 + 1, h, mode) * w;
        int left = index(x0, w, mode);
        int right = index(x0 + 1, w, mode);
        for (int k = 0; k < c; k++) {
            float upper = image[(top + left) * c + k] * (1 - dx) + image[(top + right) * c + k] * dx;
            float lower = image[(bottom + left) * c + k] * (1 - dx) + image[(bottom + right) * c + k] * dx;
            out[at + k] = upper * (1 - dy) + lower * dy;
        }
    }

    /** An index into 0..n-1 for any integer, by the fill mode (constant mode clamps its neighbours). */
    private static int index(int i, int n, FillMode mode) {
        if (i >= 0 && i < n) return i;
        return switch (mode) {
            case CONSTANT, NEAREST -> Math.min(Math.max(i, 0), n - 1);
            case REFLECT -> {
                int period = Math.floorMod(i, 2 * n);
                yield period < n ? period : 2 * n - 1 - period;
            }
            case WRAP -> Math.floorMod(i, n);
        };
    }

    private static float[] flip(float[] image, ImageShape shape, boolean vertical) {
        int h = shape.height();
        int w = shape.width();
        int c = shape.channels();
        float[] result = new float[image.length];
        for (int r = 0; r < h; r++) {
            for (int col = 0; col < w; col++) {
                int source = vertical ? ((h - 1 - r) * w + col) * c : (r * w + (w - 1 - col)) * c;
                System.arraycopy(image, source, result, (r * w + col) * c, c);
            }
        }
        return result;
    }
}
