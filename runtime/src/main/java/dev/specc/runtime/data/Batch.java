package dev.specc.runtime.data;

/** {@code size} examples: images as NHWC floats, ready for the model input, and their labels. */
public record Batch(float[] images, int[] labels, int size) {
}
