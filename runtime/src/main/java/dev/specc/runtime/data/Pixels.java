package dev.specc.runtime.data;

/** Conversions of HWC float images: channel count and size. */
final class Pixels {
    /** ITU-R BT.601 luma, as TensorFlow's rgb_to_grayscale and libjpeg use. */
    private static final float RED = 0.299f;
    private static final float GREEN = 0.587f;
    private static final float BLUE = 0.114f;

    private Pixels() {
    }

    static float[] toFloats(byte[] pixels, int offset, int length) {
        float[] result = new float[length];
        for (int i = 0; i < length; i++) result[i] = pixels[offset + i] & 0xFF;
        return result;
    }

    /** Grey to RGB by replication, RGB to grey by luminance; the same count returns the input. */
    static float[] convertChannels(float[] image, int pixelCount, int from, int to) {
        if (from == to) return image;
        float[] result = new float[pixelCount * to];
        if (from == 1) {
            for (int p = 0; p < pixelCount; p++) {
                result[3 * p] = result[3 * p + 1] = result[3 * p + 2] = image[p];
            }
        } else {
            for (int p = 0; p < pixelCount; p++) {
                result[p] = RED * image[3 * p] + GREEN * image[3 * p + 1] + BLUE * image[3 * p + 2];
            }
        }
        return result;
    }

    /**
     * Bilinear resize with half-pixel centres and no antialiasing, as TensorFlow's
     * {@code tf.image.resize(method="bilinear")} that Keras uses.
     */
    static float[] resize(float[] image, int height, int width, int channels, int toHeight, int toWidth) {
        if (height == toHeight && width == toWidth) return image;
        float[] result = new float[toHeight * toWidth * channels];
        float rowScale = (float) height / toHeight;
        float colScale = (float) width / toWidth;
        for (int r = 0; r < toHeight; r++) {
            float y = Math.max(0, (r + 0.5f) * rowScale - 0.5f);
            int y0 = Math.min((int) y, height - 1);
            int y1 = Math.min(y0 + 1, height - 1);
            float dy = y - y0;
            for (int c = 0; c < toWidth; c++) {
                float x = Math.max(0, (c + 0.5f) * colScale - 0.5f);
                int x0 = Math.min((int) x, width - 1);
                int x1 = Math.min(x0 + 1, width - 1);
                float dx = x - x0;
                int out = (r * toWidth + c) * channels;
                for (int k = 0; k < channels; k++) {
                    float top = image[(y0 * width + x0) * channels + k] * (1 - dx) + image[(y0 * width + x1) * channels + k] * dx;
                    float bottom = image[(y1 * width + x0) * channels + k] * (1 - dx) + image[(y1 * width + x1) * channels + k] * dx;
                    result[out + k] = top * (1 - dy) + bottom * dy;
                }
            }
        }
        return result;
    }

    static byte[] toBytes(float[] image) {
        byte[] result = new byte[image.length];
        for (int i = 0; i < image.length; i++) {
            result[i] = (byte) Math.max(0, Math.min(255, Math.round(image[i])));
        }
        return result;
    }
}
