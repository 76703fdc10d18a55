package dev.specc.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * train.precision: the number format convolutions and matmuls compute in. Variables, optimizer
 * slots, batch-norm statistics, the loss and saved weights stay float32 in every case.
 */
public enum Precision {
    /** bfloat16 where the CPU runs it faster than float32, float32 elsewhere (decided at run time). */
    AUTO,
    FLOAT32,
    /** TensorFlow's oneDNN bfloat16 auto mixed precision rewrite. */
    BFLOAT16;

    /** As written in a spec and on the command line. */
    public String spelling() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The value spelled {@code text}, or null when there is none. */
    public static Precision of(String text) {
        return Arrays.stream(values()).filter(p -> p.spelling().equals(text)).findFirst().orElse(null);
    }

    public static List<String> spellings() {
        return Arrays.stream(values()).map(Precision::spelling).toList();
    }
}
