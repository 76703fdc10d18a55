package dev.specc.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * train.precision: the number format convolutions and matmuls compute in. Variables, optimizer
 * slots, batch-norm statistics, the loss and saved weights stay float32 in every case.
 */
public enum Precision {
    /**
     * Decided at run time: on a GPU float16; on a CPU bfloat16 where it has bfloat16 instructions, else float32.
     */
    AUTO,
    FLOAT32,
    /** TensorFlow's oneDNN bfloat16 auto mixed precision rewrite: CPUs only. */
    BFLOAT16,
    /**
     * TensorFlow's auto mixed precision rewrite to float16, with dynamic loss scaling: for GPUs; a CPU only
     * emulates it (float16 inputs and outputs, float32 arithmetic), slower than float32.
     */
    FLOAT16;

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
