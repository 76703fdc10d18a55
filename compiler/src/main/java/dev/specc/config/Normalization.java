package dev.specc.config;

import dev.specc.diag.SourcePos;
import java.util.List;

/** Per-channel (value - mean) / std after rescaling; one entry applies to every channel. */
public record Normalization(List<Double> mean, List<Double> std, SourcePos pos) {
    public Normalization {
        mean = List.copyOf(mean);
        std = List.copyOf(std);
    }

    /** The same values, wherever they were written (a run's spec.resolved.json holds them at other positions). */
    @Override
    public boolean equals(Object o) {
        return o instanceof Normalization n && mean.equals(n.mean) && std.equals(n.std);
    }

    @Override
    public int hashCode() {
        return mean.hashCode() * 31 + std.hashCode();
    }

    public float meanOf(int channel) {
        return (float) (double) mean.get(mean.size() == 1 ? 0 : channel);
    }

    public float stdOf(int channel) {
        return (float) (double) std.get(std.size() == 1 ? 0 : channel);
    }

    /** Whether the entries fit a model input with {@code channels} channels. */
    public boolean fits(int channels) {
        return (mean.size() == 1 || mean.size() == channels) && (std.size() == 1 || std.size() == channels);
    }
}
