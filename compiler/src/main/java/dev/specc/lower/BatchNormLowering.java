package dev.specc.lower;

import dev.specc.ir.BatchNorm;
import dev.specc.ir.TensorShape;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Assign;
import org.tensorflow.op.nn.FusedBatchNorm;
import org.tensorflow.types.TFloat32;

/**
 * FusedBatchNormV3 over the last axis (inputs that are not feature maps are viewed as 1x1 maps).
 * Training: batch statistics, and update ops moving = moving * momentum + batch * (1 - momentum),
 * where the batch variance is FusedBatchNormV3's, Bessel-corrected as in Keras' fused path.
 * Inference: the moving statistics.
 */
public final class BatchNormLowering implements LayerLowering<BatchNorm> {

    @Override
    public Operand<TFloat32> lower(BatchNorm bn, LoweringContext ctx, List<Operand<TFloat32>> inputs) {
        Ops tf = ctx.tf();
        TensorShape shape = ctx.inputShape(0);
        int channels = shape.channels();
        Operand<TFloat32> x = inputs.get(0);
        if (!shape.isImage()) {
            x = tf.reshape(x, tf.constant(new int[] {-1, 1, 1, channels}));
        }
        Operand<TFloat32> gamma = bn.scale() ? ctx.weight("gamma") : filled(tf, channels, 1f);
        Operand<TFloat32> beta = bn.center() ? ctx.weight("beta") : filled(tf, channels, 0f);
        FusedBatchNorm.Options epsilon = FusedBatchNorm.epsilon((float) bn.epsilon());
        Operand<TFloat32> y;
        if (ctx.mode() == Mode.TRAINING) {
            Operand<TFloat32> none = tf.constant(new float[0]);
            FusedBatchNorm<TFloat32, TFloat32> norm = tf.nn.fusedBatchNorm(x, gamma, beta, none, none, epsilon,
                    FusedBatchNorm.isTraining(true), FusedBatchNorm.exponentialAvgFactor(1f));
            ctx.addUpdate(movingUpdate(tf, "update_moving_mean", ctx.variable("moving_mean"),
                    norm.batchMean(), bn.momentum()));
            ctx.addUpdate(movingUpdate(tf, "update_moving_variance", ctx.variable("moving_variance"),
                    norm.batchVariance(), bn.momentum()));
            y = norm.y();
        } else {
            y = tf.nn.fusedBatchNorm(x, gamma, beta, ctx.weight("moving_mean"), ctx.weight("moving_variance"), epsilon,
                    FusedBatchNorm.isTraining(false)).y();
        }
        if (!shape.isImage()) {
            int[] dims = IntStream.concat(IntStream.of(-1), Arrays.stream(shape.dims())).toArray();
            y = tf.reshape(y, tf.constant(dims));
        }
        return y;
    }

    private static Assign<TFloat32> movingUpdate(Ops tf, String name, WeightVariable moving, Operand<TFloat32> batch,
                                                 double momentum) {
        Operand<TFloat32> blended = tf.math.add(
                tf.math.mul(moving.read(), tf.constant((float) momentum)),
                tf.math.mul(batch, tf.constant((float) (1 - momentum))));
        return tf.withName(name).assign(moving.variable(), blended);
    }

    private static Operand<TFloat32> filled(Ops tf, int n, float value) {
        float[] values = new float[n];
        Arrays.fill(values, value);
        return tf.constant(values);
    }
}
