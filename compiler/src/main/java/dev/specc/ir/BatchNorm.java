package dev.specc.ir;

import java.util.ArrayList;
import java.util.List;

/**
 * Keras BatchNormalization over the last axis. Moving mean and variance are non-trainable
 * variables, updated as moving = moving * momentum + batch * (1 - momentum).
 */
public record BatchNorm(double epsilon, double momentum, boolean center, boolean scale) implements LayerSpec {

    @Override
    public String kind() {
        return "batch_norm";
    }

    @Override
    public TensorShape outputShape(List<TensorShape> inputs) {
        return inputs.get(0);
    }

    @Override
    public List<WeightSpec> weights(List<TensorShape> inputs) {
        long[] c = {inputs.get(0).channels()};
        List<WeightSpec> weights = new ArrayList<>();
        if (scale) weights.add(new WeightSpec("gamma", c, true, WeightSpec.Initializer.ONES));
        if (center) weights.add(new WeightSpec("beta", c, true, WeightSpec.Initializer.ZEROS));
        weights.add(new WeightSpec("moving_mean", c, false, WeightSpec.Initializer.ZEROS));
        weights.add(new WeightSpec("moving_variance", c, false, WeightSpec.Initializer.ONES));
        return weights;
    }
}
