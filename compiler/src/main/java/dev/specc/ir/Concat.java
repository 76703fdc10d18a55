package dev.specc.ir;

import java.util.List;

/** Concatenation along one axis (-1, the channels, by default), as in an Inception block. */
public record Concat(int axis) implements LayerSpec {

    @Override
    public String kind() {
        return "concat";
    }

    @Override
    public boolean isMerge() {
        return true;
    }

    /** The axis counted from 0 over the example's dimensions (batch excluded). */
    public int resolvedAxis(int rank) {
        return axis < 0 ? rank + axis : axis - 1;
    }

    @Override
    public TensorShape outputShape(List<TensorShape> inputs) {
        TensorShape first = inputs.get(0);
        int rank = first.rank();
        int a = resolvedAxis(rank);
        if (a < 0 || a >= rank) {
            throw new ShapeException("concat: axis " + axis + " is out of range for " + first
                    + " (use 1.." + rank + " or -1..-" + rank + "; 0 is the batch)");
        }
        int[] dims = first.dims();
        for (TensorShape other : inputs.subList(1, inputs.size())) {
            boolean compatible = other.rank() == rank;
            for (int i = 0; compatible && i < rank; i++) {
                compatible = i == a || other.dim(i) == first.dim(i);
            }
            if (!compatible) {
                throw new ShapeException("cannot concatenate " + first + " and " + other + " along axis " + axis);
            }
            dims[a] += other.dim(a);
        }
        return TensorShape.of(dims);
    }
}
