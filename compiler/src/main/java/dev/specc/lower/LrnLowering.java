package dev.specc.lower;

import dev.specc.ir.Lrn;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * TensorFlow's LRN across channels, built from Square, a 1x1 Conv2D with a band matrix (the sum
 * over [c - r, c + r]) and Pow. Not the LRN op: TF Java's C++ gradient of LRN ignores the op's
 * depth_radius, bias, alpha and beta and differentiates the defaults (5, 1, 1, 0.5) instead.
 */
public final class LrnLowering implements LayerLowering<Lrn> {

    @Override
    public Operand<TFloat32> lower(Lrn lrn, LoweringContext ctx, List<Operand<TFloat32>> inputs) {
        Ops tf = ctx.tf();
        Operand<TFloat32> x = inputs.get(0);
        int channels = ctx.inputShape(0).channels();
        float[][][][] band = new float[1][1][channels][channels];
        for (int in = 0; in < channels; in++) {
            for (int out = 0; out < channels; out++) {
                band[0][0][in][out] = Math.abs(in - out) <= lrn.depthRadius() ? 1f : 0f;
            }
        }
        Operand<TFloat32> windowSum = tf.nn.conv2d(tf.math.square(x), tf.constant(band), List.of(1L, 1L, 1L, 1L),
                "VALID");
        Operand<TFloat32> base = tf.math.add(tf.constant((float) lrn.bias()),
                tf.math.mul(tf.constant((float) lrn.alpha()), windowSum));
        return tf.math.mul(x, tf.math.pow(base, tf.constant((float) -lrn.beta())));
    }
}
