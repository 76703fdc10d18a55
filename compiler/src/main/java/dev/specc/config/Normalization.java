package dev.specc.config;

import dev.specc.diag.SourcePos;
import java.util.List;
import java.util.Locale;

/**
 * Per-channel (value - mean) / std after rescaling, one entry applying to every channel; or one of
 * Keras' {@code preprocess_input} modes ({@link Preset}), which replaces rescaling too.
 */
public record Normalization(List<Double> mean, List<Double> std, Preset preset, SourcePos pos) {

    /**
     * Keras' {@code preprocess_input} modes, for weights trained on ImageNet, applied to raw 0-255 pixels:
     * {@code caffe} reverses RGB to BGR and subtracts the ImageNet means (no scaling), {@code torch}
     * divides by 255 and normalises with the ImageNet mean and std, {@code tf} maps to -1..1.
     */
    public enum Preset {
        CAFFE(1, new float[] {103.939f, 116.779f, 123.68f}, new float[] {1, 1, 1}, true),
        TORCH(255, new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f}, false),
        TF(127.5f, new float[] {1}, new float[] {1}, false);

        private final float divisor;
        private final float[] mean;
        private final float[] std;
        private final boolean bgr;

        Preset(float divisor, float[] mean, float[] std, boolean bgr) {
            this.divisor = divisor;
            this.mean = mean;
            this.std = std;
            this.bgr = bgr;
        }

        public String spelling() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** What the pixels are divided by before the mean is subtracted. */
        public float divisor() {
            return divisor;
        }

        /** The mean of model channel {@code c} (after any reversal: caffe's are blue, green, red). */
        public float meanOf(int c) {
            return mean[mean.length == 1 ? 0 : c];
        }

        public float stdOf(int c) {
            return std[std.length == 1 ? 0 : c];
        }

        /** Whether the channels are reversed (RGB to BGR) first. */
        public boolean bgr() {
            return bgr;
        }

        /** caffe and torch hold ImageNet's per-channel statistics of RGB images; tf fits any channels. */
        public boolean needsRgb() {
            return mean.length == 3;
        }
    }

    public Normalization {
        mean = List.copyOf(mean);
        std = List.copyOf(std);
    }

    public Normalization(List<Double> mean, List<Double> std, SourcePos pos) {
        this(mean, std, null, pos);
    }

    public static Normalization of(Preset preset, SourcePos pos) {
        return new Normalization(List.of(), List.of(), preset, pos);
    }

    /** The same values and preset, wherever they were written (a run's spec.resolved.json holds them at other positions). */
    @Override
    public boolean equals(Object o) {
        return o instanceof Normalization n && mean.equals(n.mean) && std.equals(n.std) && preset == n.preset;
    }

    @Override
    public int hashCode() {
        return (mean.hashCode() * 31 + std.hashCode()) * 31 + java.util.Objects.hashCode(preset);
    }

    public float meanOf(int channel) {
        if (preset != null) return preset.meanOf(channel);
        return (float) (double) mean.get(mean.size() == 1 ? 0 : channel);
    }

    public float stdOf(int channel) {
        if (preset != null) return preset.stdOf(channel);
        return (float) (double) std.get(std.size() == 1 ? 0 : channel);
    }

    /** Whether the entries fit a model input with {@code channels} channels. */
    public boolean fits(int channels) {
        if (preset != null) return !preset.needsRgb() || channels == 3;
        return (mean.size() == 1 || mean.size() == channels) && (std.size() == 1 || std.size() == channels);
    }

    /** What is written in the spec: the preset's name, or the mean and std lists. */
    public String describe() {
        return preset != null ? preset.spelling() : "mean " + mean + ", std " + std;
    }
}
