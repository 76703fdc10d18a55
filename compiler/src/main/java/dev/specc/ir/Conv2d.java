package dev.specc.ir;

import java.util.ArrayList;
import java.util.List;

/** Keras Conv2D: NHWC, kernel [kh, kw, in, filters], optional bias and fused activation. */
public record Conv2d(int filters, int kh, int kw, int sh, int sw, Padding padding, int dh, int dw,
                     boolean bias, Activation.Function activation) implements LayerSpec {

    @Override
    public String kind() {
        return "conv2d";
    }

    @Override
    public TensorShape outputShape(List<TensorShape> inputs) {
        TensorShape in = LayerSpec.requireImage(kind(), inputs.get(0));
        if ((sh > 1 || sw > 1) && (dh > 1 || dw > 1)) {
            throw new ShapeException("conv2d: strides > 1 together with dilation > 1 are not supported (as in TensorFlow)");
        }
        int[] hw = padding.output(in, kh, kw, sh, sw, dh, dw);
        LayerSpec.requireSpatial(kind(), hw[0], hw[1], in, "kernel " + ((kh - 1) * dh + 1) + "x" + ((kw - 1) * dw + 1)
                + ", strides " + sh + "x" + sw + ", padding " + padding);
        return TensorShape.of(hw[0], hw[1], filters);
    }

    @Override
    public List<WeightSpec> weights(List<TensorShape> inputs) {
        List<WeightSpec> weights = new ArrayList<>();
        weights.add(new WeightSpec("kernel", new long[] {kh, kw, inputs.get(0).channels(), filters}, true,
                WeightSpec.Initializer.GLOROT_UNIFORM));
        if (bias) {
            weights.add(new WeightSpec("bias", new long[] {filters}, true, WeightSpec.Initializer.ZEROS));
        }
        return weights;
    }

    @Override
    public long macs(List<TensorShape> inputs, TensorShape output) {
        return (long) output.height() * output.width() * filters * kh * kw * inputs.get(0).channels();
    }

    @Override
    public Window window() {
        return new Window(kh, kw, sh, sw, dh, dw);
    }
}
