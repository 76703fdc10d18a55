package dev.specc.lower;

import dev.specc.config.DataConfig;
import java.util.Arrays;

/**
 * Choices that do not come from the spec. {@code seed} fixes every random op of the graph (weight
 * initialisers, dropout masks): two lowerings of one model with the same seed start from identical
 * weights. {@code preprocessing}, when given, puts the data section's pixel scaling into the graph
 * right after the input placeholder, so that the graph takes raw 0-255 pixels (for exports).
 * {@code crossWorker}, when given, lowers the training path for one worker of a data-parallel cluster.
 */
public record LoweringOptions(long seed, Preprocessing preprocessing, CrossWorker crossWorker) {

    /** {@code (x * rescale - mean[c]) / std[c]} per channel c, in float32 as the data pipeline computes it. */
    public record Preprocessing(float rescale, float[] mean, float[] std) {
        public Preprocessing {
            mean = mean.clone();
            std = std.clone();
        }

        /** What the data section does to a pixel of a {@code channels}-channel input after resizing: rescale, normalize. */
        public static Preprocessing of(DataConfig data, int channels) {
            float[] mean = new float[channels];
            float[] std = new float[channels];
            for (int c = 0; c < channels; c++) {
                mean[c] = data.normalize() == null ? 0 : data.normalize().meanOf(c);
                std[c] = data.normalize() == null ? 1 : data.normalize().stdOf(c);
            }
            return new Preprocessing((float) data.rescale(), mean, std);
        }

        @Override
        public String toString() {
            return "x * " + rescale + ", minus " + Arrays.toString(mean) + ", divided by " + Arrays.toString(std);
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
