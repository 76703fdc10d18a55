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
 *
 * <p>On a worker of a data-parallel cluster ({@link CrossWorker}), the moving statistics are updated
 * with the global mean of the workers' batch statistics, so they stay the same on every worker. By
 * default each worker normalises with its own shard's statistics (as TensorFlow's
 * MultiWorkerMirroredStrategy does); synchronised batch norm normalises with the global batch's mean
 * and variance ({@link SynchronisedBatchNorm}: the fused kernels' arithmetic with all-reduced sums).
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
        CrossWorker cluster = ctx.crossWorker();
        if (ctx.mode() == Mode.TRAINING && cluster != null && cluster.syncBatchNorm()) {
            y = synchronised(bn, ctx, cluster, x, gamma, beta, shape);
        } else if (ctx.mode() == Mode.TRAINING) {
            Operand<TFloat32> none = tf.constant(new float[0]);
            FusedBatchNorm<TFloat32, TFloat32> norm = tf.nn.fusedBatchNorm(x, gamma, beta, none, none, epsilon,
                    FusedBatchNorm.isTraining(true), FusedBatchNorm.exponentialAvgFactor(1f));
            Operand<TFloat32> mean = norm.batchMean();
            Operand<TFloat32> variance = norm.batchVariance();
            if (cluster != null) {
                mean = cluster.globalMean(tf, mean);
                variance = cluster.globalMean(tf, variance);
            }
            ctx.addUpdate(movingUpdate(tf, "update_moving_mean", ctx.variable("moving_mean"), mean, bn.momentum()));
            ctx.addUpdate(movingUpdate(tf, "update_moving_variance", ctx.variable("moving_variance"), variance,
                    bn.momentum()));
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

    /** Batch norm with the global batch's statistics; x is [N, H, W, C]. */
    private static Operand<TFloat32> synchronised(BatchNorm bn, LoweringContext ctx, CrossWorker cluster, Operand<TFloat32> x,
                                                  Operand<TFloat32> gamma, Operand<TFloat32> beta, TensorShape shape) {
        Ops tf = ctx.tf();
        long pixels = shape.isImage() ? (long) shape.height() * shape.width() : 1;
        SynchronisedBatchNorm.Result norm = new SynchronisedBatchNorm(tf, cluster)
                .apply(x, gamma, beta, (float) bn.epsilon(), pixels);
        // The moving variance is Bessel-corrected over the global count of values per channel, as the fused op does.
        Operand<TFloat32> count = norm.count();
        Operand<TFloat32> unbiased = tf.math.mul(norm.variance(), tf.math.div(count,
                tf.math.maximum(tf.math.sub(count, tf.constant(1f)), tf.constant(1f))));
        ctx.addUpdate(movingUpdate(tf, "update_moving_mean", ctx.variable("moving_mean"), norm.mean(), bn.momentum()));
        ctx.addUpdate(movingUpdate(tf, "update_moving_variance", ctx.variable("moving_variance"), unbiased, bn.momentum()));
        return norm.y();
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
