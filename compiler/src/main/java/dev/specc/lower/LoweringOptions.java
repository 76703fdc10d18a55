package dev.specc.lower;

import dev.specc.config.DataConfig;
import dev.specc.config.Normalization;
import java.util.Arrays;

/**
 * Choices that do not come from the spec. {@code seed} fixes every random op of the graph (weight
 * initialisers, dropout masks): two lowerings of one model with the same seed start from identical
 * weights. {@code preprocessing}, when given, puts the data section's pixel scaling into the graph
 * right after the input placeholder, so that the graph takes raw 0-255 pixels (for exports).
 * {@code crossWorker}, when given, lowers the training path for one worker of a data-parallel cluster.
 */
public record LoweringOptions(long seed, Preprocessing preprocessing, CrossWorker crossWorker) {

    /**
     * {@code (x * rescale / divisor - mean[c]) / std[c]} per channel c, in float32 as the data pipeline
     * computes it, after reversing the channels (RGB to BGR) when {@code reverseChannels}. A rescale
     * or divisor of 1 changes nothing, exactly: the data section's {@code rescale} multiplies, as
     * Keras' ImageDataGenerator does, and a preset divides, as Keras' {@code preprocess_input} does.
     */
    public record Preprocessing(float rescale, float divisor, float[] mean, float[] std, boolean reverseChannels) {
        public Preprocessing {
            mean = mean.clone();
            std = std.clone();
        }

        public Preprocessing(float rescale, float[] mean, float[] std) {
            this(rescale, 1, mean, std, false);
        }

        /** What the data section does to a pixel of a {@code channels}-channel input after resizing: rescale, normalize. */
        public static Preprocessing of(DataConfig data, int channels) {
            Normalization n = data.normalize();
            float[] mean = new float[channels];
            float[] std = new float[channels];
            for (int c = 0; c < channels; c++) {
                mean[c] = n == null ? 0 : n.meanOf(c);
                std[c] = n == null ? 1 : n.stdOf(c);
            }
            if (n != null && n.preset() != null) {
                return new Preprocessing(1, n.preset().divisor(), mean, std, n.preset().bgr());
            }
            return new Preprocessing((float) data.rescale(), mean, std);
        }

        /** One image, channels interleaved (HWC), into model input at {@code out[offset...]}. */
        public void apply(float[] image, int channels, float[] out, int offset) {
            for (int i = 0; i < image.length; i++) {
                int c = i % channels;
                float x = image[reverseChannels ? i - c + channels - 1 - c : i];
                out[offset + i] = (x * rescale / divisor - mean[c]) / std[c];
            }
        }

        @Override
        public String toString() {
            return (reverseChannels ? "channels reversed, " : "") + "x * " + rescale + " / " + divisor
                    + ", minus " + Arrays.toString(mean) + ", divided by " + Arrays.toString(std);
        }
    }

    public LoweringOptions(long seed, Preprocessing preprocessing) {
        this(seed, preprocessing, null);
    }

    public LoweringOptions(long seed) {
        this(seed, null, null);
    }

    public static LoweringOptions defaults() {
        return new LoweringOptions(42);
    }
}
