package dev.specc.ir;

import java.util.List;

/** Element-wise sum of two or more tensors of the same shape (a residual connection). */
public record Add() implements LayerSpec {

    @Override
    public String kind() {
        return "add";
    }

    @Override
    public boolean isMerge() {
        return true;
    }

    @Override
    public TensorShape outputShape(List<TensorShape> inputs) {
        TensorShape first = inputs.get(0);
        for (TensorShape other : inputs.subList(1, inputs.size())) {
            if (!other.equals(first)) {
                throw new ShapeException("cannot add " + first + " and " + other);
            }
        }
        return first;
    }
}
