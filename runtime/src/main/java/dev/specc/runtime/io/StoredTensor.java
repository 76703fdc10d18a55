package dev.specc.runtime.io;

/**
 * A tensor as a weight file stores it, without its values: its name there (the name a weight
 * mapping's patterns see), its shape, and its element type as the file stores it ({@code float32},
 * {@code float16}, {@code bfloat16}, {@code int64}, ...).
 */
public record StoredTensor(String name, long[] shape, String dtype) {
    public long elements() {
        return Shapes.elements(shape);
    }
}
