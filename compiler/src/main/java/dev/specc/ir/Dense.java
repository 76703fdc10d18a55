package dev.specc.ir;

import java.util.ArrayList;
import java.util.List;

/** Keras Dense on a vector: kernel [in, units], optional bias and activation. */
public record Dense(int units, boolean bias, Activation.Function activation) implements LayerSpec {

    @Override
    public String kind() {
        return "dense";
    }

    @Override
    public TensorShape outputShape(List<TensorShape> inputs) {
        TensorShape in = inputs.get(0);
        if (in.rank() != 1) {
            throw new ShapeException("dense expects a vector, got " + in + " (add a flatten or a global pool before it)");
        }
        return TensorShape.of(units);
    }

    @Override
    public List<WeightSpec> weights(List<TensorShape> inputs) {
        List<WeightSpec> weights = new ArrayList<>();
        weights.add(new WeightSpec("kernel", new long[] {inputs.get(0).dim(0), units}, true,
                WeightSpec.Initializer.GLOROT_UNIFORM));
        if (bias) weights.add(new WeightSpec("bias", new long[] {units}, true, WeightSpec.Initializer.ZEROS));
        return weights;
    }

    @Override
    public long macs(List<TensorShape> inputs, TensorShape output) {
        return (long) inputs.get(0).dim(0) * units;
    }
}
