package dev.specc.runtime.data;

/**
 * A batch of {@code size} examples and their labels; {@code images} holds the NHWC floats, ready
 * for the model input, of its rows [{@code first}, {@code first + rows}): all of them, or a
 * worker's shard (see {@link Shard}) when only those were read.
 */
public record Batch(float[] images, int[] labels, int size, int first, int rows) {
    public Batch(float[] images, int[] labels, int size) {
        this(images, labels, size, 0, size);
    }

    /** Whether {@code images} holds every example of the batch. */
    public boolean whole() {
        return first == 0 && rows == size;
    }
}
