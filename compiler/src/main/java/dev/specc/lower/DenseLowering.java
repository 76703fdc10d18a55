package dev.specc.lower;

import dev.specc.ir.Dense;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** MatMul with the kernel, then bias and the fused activation. */
public final class DenseLowering implements LayerLowering<Dense> {

    @Override
    public Operand<TFloat32> lower(Dense dense, LoweringContext ctx, List<Operand<TFloat32>> inputs) {
        Ops tf = ctx.tf();
        Operand<TFloat32> y = tf.linalg.matMul(inputs.get(0), ctx.weight("kernel"));
        if (dense.bias()) {
            y = tf.nn.biasAdd(y, ctx.weight("bias"));
        }
        return ActivationLowering.applyFused(tf, dense.activation(), y);
    }
}
