package dev.specc.ir;

import java.util.List;

/** Global average or max pooling over height and width; keepdims leaves a 1x1xC map. */
public record GlobalPool(Pool2d.Mode mode, boolean keepdims) implements LayerSpec {

    @Override
    public String kind() {
        return mode == Pool2d.Mode.MAX ? "global_max_pool" : "global_avg_pool";
    }

    @Override
    public TensorShape outputShape(List<TensorShape> inputs) {
        TensorShape in = LayerSpec.requireImage(kind(), inputs.get(0));
        return keepdims ? TensorShape.of(1, 1, in.channels()) : TensorShape.of(in.channels());
    }
}
