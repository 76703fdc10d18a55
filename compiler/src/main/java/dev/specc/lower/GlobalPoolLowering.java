package dev.specc.lower;

import dev.specc.ir.GlobalPool;
import dev.specc.ir.Pool2d;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Max;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** Mean or max over height and width (axes 1 and 2). */
public final class GlobalPoolLowering implements LayerLowering<GlobalPool> {

    @Override
    public Operand<TFloat32> lower(GlobalPool pool, LoweringContext ctx, List<Operand<TFloat32>> inputs) {
        Ops tf = ctx.tf();
        Operand<TInt32> axes = tf.constant(new int[] {1, 2});
        return pool.mode() == Pool2d.Mode.MAX
                ? tf.max(inputs.get(0), axes, Max.keepDims(pool.keepdims()))
                : tf.math.mean(inputs.get(0), axes, Mean.keepDims(pool.keepdims()));
    }
}
