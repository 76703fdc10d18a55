package dev.specc.ir;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The shape of one example's tensor, batch dimension excluded: [h, w, c] for feature maps, [n] for vectors. */
public final class TensorShape {
    private final int[] dims;

    private TensorShape(int[] dims) {
        this.dims = dims.clone();
    }

    public static TensorShape of(int... dims) {
        return new TensorShape(dims);
    }

    public int rank() {
        return dims.length;
    }

    public int dim(int i) {
        return dims[i < 0 ? dims.length + i : i];
    }

    public int[] dims() {
        return dims.clone();
    }

    public boolean isImage() {
        return dims.length == 3;
    }

    public int height() {
        return dims[0];
    }

    public int width() {
        return dims[1];
    }

    public int channels() {
        return dims[dims.length - 1];
    }

    public long elements() {
        long n = 1;
        for (int d : dims) n *= d;
        return n;
    }

    /** The same shape with the last dimension replaced. */
    public TensorShape withChannels(int channels) {
        int[] copy = dims.clone();
        copy[copy.length - 1] = channels;
        return new TensorShape(copy);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorShape other && Arrays.equals(dims, other.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    /** Written as Keras users read it: 28x28x512. */
    @Override
    public String toString() {
        return Arrays.stream(dims).mapToObj(Integer::toString).collect(Collectors.joining("x"));
    }

    /** The Keras summary form, with the batch dimension: (None, 28, 28, 512). */
    public String toBatchString() {
        return "(None, " + Arrays.stream(dims).mapToObj(Integer::toString).collect(Collectors.joining(", ")) + ")";
    }
}
