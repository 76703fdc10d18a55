package dev.specc.ir;

import java.util.List;

/**
 * Local response normalisation across channels, TensorFlow's definition:
 * out = in / (bias + alpha * sum(in^2 over [c - depth_radius, c + depth_radius]))^beta.
 */
public record Lrn(int depthRadius, double bias, double alpha, double beta) implements LayerSpec {

    @Override
    public String kind() {
        return "lrn";
    }

    @Override
    public TensorShape outputShape(List<TensorShape> inputs) {
        return LayerSpec.requireImage(kind(), inputs.get(0));
    }
}
