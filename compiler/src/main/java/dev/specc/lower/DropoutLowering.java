package dev.specc.lower;

import dev.specc.ir.Dropout;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Inverted dropout: while training, each element is kept when a uniform [0, 1) draw is at least
 * {@code rate} and scaled by 1 / (1 - rate); at inference the layer passes its input through.
 */
public final class DropoutLowering implements LayerLowering<Dropout> {

    @Override
    public Operand<TFloat32> lower(Dropout dropout, LoweringContext ctx, List<Operand<TFloat32>> inputs) {
        Ops tf = ctx.tf();
        Operand<TFloat32> x = inputs.get(0);
        if (ctx.mode() == Mode.INFERENCE || dropout.rate() <= 0) {
            return tf.identity(x);
        }
        if (dropout.rate() >= 1) { // the resolver reports a rate of 1 or more at the spec's rate:
            throw new IllegalArgumentException("dropout rate must be below 1, got " + dropout.rate()
                    + " [layer " + ctx.node().node().name() + "]");
        }
        Operand<TFloat32> draw = tf.random.statelessRandomUniform(tf.shape(x), ctx.statelessSeed(), TFloat32.class);
        Operand<TFloat32> keep = tf.dtypes.cast(tf.math.greaterEqual(draw, tf.constant((float) dropout.rate())),
                TFloat32.class);
        return tf.math.mul(tf.math.mul(x, keep), tf.constant((float) (1 / (1 - dropout.rate()))));
    }
}
