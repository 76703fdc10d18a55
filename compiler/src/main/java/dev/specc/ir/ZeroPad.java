package dev.specc.ir;

import java.util.List;

/** Keras ZeroPadding2D. */
public record ZeroPad(int top, int bottom, int left, int right) implements LayerSpec {

    @Override
    public String kind() {
        return "zero_pad";
    }

    @Override
    public TensorShape outputShape(List<TensorShape> inputs) {
        TensorShape in = LayerSpec.requireImage(kind(), inputs.get(0));
        return TensorShape.of(in.height() + top + bottom, in.width() + left + right, in.channels());
    }
}
