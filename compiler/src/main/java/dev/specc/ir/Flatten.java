package dev.specc.ir;

import java.util.List;

/** Flattens each example to a vector, in NHWC order (as Keras Flatten). */
public record Flatten() implements LayerSpec {

    @Override
    public String kind() {
        return "flatten";
    }

    @Override
    public TensorShape outputShape(List<TensorShape> inputs) {
        long n = inputs.get(0).elements();
        if (n > Integer.MAX_VALUE) throw new ShapeException("flatten: " + inputs.get(0) + " has too many elements");
        return TensorShape.of((int) n);
    }
}
