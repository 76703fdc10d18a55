package dev.specc.lower;

import dev.specc.ir.Padding;
import dev.specc.ir.Pool2d;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * MaxPool (TF Java only offers the tensor-ksize MaxPoolV2, whose gradient is registered) and AvgPool.
 * Explicit padding pads first and pools VALID: with -infinity for max, with zeros for average (the
 * zeros count in the mean, as PyTorch's count_include_pad).
 */
public final class Pool2dLowering implements LayerLowering<Pool2d> {

    @Override
    public Operand<TFloat32> lower(Pool2d pool, LoweringContext ctx, List<Operand<TFloat32>> inputs) {
        Ops tf = ctx.tf();
        Operand<TFloat32> x = inputs.get(0);
        Padding p = pool.padding();
        String padding = switch (p.mode()) {
            case SAME -> "SAME";
            case VALID, EXPLICIT -> "VALID";
        };
        if (p.mode() == Padding.Mode.EXPLICIT) {
            float fill = pool.mode() == Pool2d.Mode.MAX ? Float.NEGATIVE_INFINITY : 0f;
            x = ZeroPadLowering.pad(tf, x, p.top(), p.bottom(), p.left(), p.right(), fill);
        }
        return switch (pool.mode()) {
            case MAX -> tf.nn.maxPool(x, tf.constant(new int[] {1, pool.kh(), pool.kw(), 1}),
                    tf.constant(new int[] {1, pool.sh(), pool.sw(), 1}), padding);
            case AVG -> tf.nn.avgPool(x, List.of(1L, (long) pool.kh(), (long) pool.kw(), 1L),
                    List.of(1L, (long) pool.sh(), (long) pool.sw(), 1L), padding);
        };
    }
}
