package dev.specc.ir;

import java.util.List;

/** Max or average pooling over a window (Keras MaxPooling2D / AveragePooling2D). */
public record Pool2d(Mode mode, int kh, int kw, int sh, int sw, Padding padding) implements LayerSpec {

    public enum Mode { MAX, AVG }

    @Override
    public String kind() {
        return mode == Mode.MAX ? "max_pool" : "avg_pool";
    }

    @Override
    public TensorShape outputShape(List<TensorShape> inputs) {
        TensorShape in = LayerSpec.requireImage(kind(), inputs.get(0));
        int[] hw = padding.output(in, kh, kw, sh, sw, 1, 1);
        LayerSpec.requireSpatial(kind(), hw[0], hw[1], in, "pool " + kh + "x" + kw + ", strides " + sh + "x" + sw
                + ", padding " + padding);
        return TensorShape.of(hw[0], hw[1], in.channels());
    }

    @Override
    public Window window() {
        return new Window(kh, kw, sh, sw, 1, 1);
    }
}
