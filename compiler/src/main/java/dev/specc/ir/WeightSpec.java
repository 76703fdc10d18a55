package dev.specc.ir;

import java.util.Arrays;

/**
 * One variable a layer owns, named as in Keras ("kernel", "bias", "gamma", "beta", "moving_mean",
 * "moving_variance"); the full name is the layer's name, a slash, and this name.
 */
public record WeightSpec(String name, long[] shape, boolean trainable, Initializer initializer) {

    public enum Initializer {
        GLOROT_UNIFORM, ZEROS, ONES,
        /** Bilinear upsampling filters: see {@link Conv2dTranspose#bilinearTaps}. */
        BILINEAR
    }

    public long elements() {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WeightSpec w && name.equals(w.name) && Arrays.equals(shape, w.shape)
                && trainable == w.trainable && initializer == w.initializer;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
