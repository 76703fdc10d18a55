package dev.specc.lower;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.StopGradient;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Training-mode batch norm with the global batch's statistics, for a worker of a data-parallel
 * cluster: the same arithmetic as TensorFlow's fused CPU kernels (FusedBatchNormV3 and
 * FusedBatchNormGradV3), operation for operation, with each sum over the batch all-reduced.
 *
 * <p>The forward pass is the fused kernel's: mean = sum(x) * (1/n), variance = sum((x - mean)^2) *
 * (1/n), y = (x - mean) * (rsqrt(variance + epsilon) * gamma) + beta, where n counts the global
 * batch's values per channel. Differentiating those primitives would give the right gradient with
 * a different rounding: where it cancels (the input gradient sums to zero over the batch) that
 * alone moved a short training run 1e-5 away from one process's fused batch norm. So the output
 * is the forward value with its gradient stopped, plus {@code t - stopGradient(t)} (zero), where
 * {@code t} is built so that TensorFlow's own gradients of its ops are the fused gradient kernel's
 * steps in its order, its sums over the batch being BiasAddGrad (the same reduction over outer
 * dimensions as the fused kernel's) followed by an all-reduce:
 * <pre>
 *   d beta  = sum(dy)                       d gamma = sum(dy * (x - mean) * rsqrt(variance + epsilon))
 *   d x     = gamma * rsqrt(variance + epsilon) * ((dy - sum(dy) * (1/n))
 *             - (x - mean) * (rsqrt(variance + epsilon)^2 * (sum(dy * (x - mean)) / n)))
 * </pre>
 * d beta and d gamma stay per worker here: the gradient all-reduce sums them like every weight's.
 */
final class SynchronisedBatchNorm {
    private final Ops tf;
    private final CrossWorker cluster;
    private final Operand<TInt32> batchAxes;

    SynchronisedBatchNorm(Ops tf, CrossWorker cluster) {
        this.tf = tf;
        this.cluster = cluster;
        this.batchAxes = tf.constant(new int[] {0, 1, 2});
    }

    /** The normalised [N, H, W, C] x and the global batch's mean and (biased) variance per channel. */
    record Result(Operand<TFloat32> y, Operand<TFloat32> mean, Operand<TFloat32> variance, Operand<TFloat32> count) {
    }

    /** {@code valuesPerExample}: H * W, the values of a channel in one example. */
    Result apply(Operand<TFloat32> x, Operand<TFloat32> gamma, Operand<TFloat32> beta, float epsilon,
                 long valuesPerExample) {
        Operand<TFloat32> count = tf.math.mul(cluster.globalBatchSize(tf), tf.constant((float) valuesPerExample));
        Operand<TFloat32> perCount = tf.math.div(tf.constant(1f), count);
        Operand<TFloat32> input = tf.stopGradient(x);
        Operand<TFloat32> mean = tf.math.mul(cluster.globalSum(tf, tf.sum(input, batchAxes)), perCount);
        // Stopped too, so that no gradient is even built through the statistics' all-reduces.
        Operand<TFloat32> centred = tf.stopGradient(tf.math.sub(input, mean));
        Operand<TFloat32> variance = tf.math.mul(cluster.globalSum(tf, tf.sum(tf.math.square(centred), batchAxes)), perCount);
        Operand<TFloat32> inverseDeviation = tf.stopGradient(tf.math.rsqrt(tf.math.add(variance, tf.constant(epsilon))));
        Operand<TFloat32> value = tf.math.add(tf.math.mul(centred, tf.math.mul(inverseDeviation, stopped(gamma))),
                stopped(beta));

        Operand<TFloat32> carrier = gradientCarrier(x, centred, inverseDeviation, gamma, beta, perCount, count);
        Operand<TFloat32> y = tf.math.add(tf.stopGradient(value), tf.math.sub(carrier, tf.stopGradient(carrier)));
        return new Result(y, mean, variance, count);
    }

    /**
     * A tensor whose value does not matter and whose ops differentiate, in reverse order, into the
     * fused gradient kernel's steps (see the class comment). Each consumer of a tensor adds one
     * incoming gradient, so the two subtractions of d x happen in the kernel's order.
     */
    private Operand<TFloat32> gradientCarrier(Operand<TFloat32> x, Operand<TFloat32> centred,
                                              Operand<TFloat32> inverseDeviation, Operand<TFloat32> gamma,
                                              Operand<TFloat32> beta, Operand<TFloat32> perCount,
                                              Operand<TFloat32> count) {
        // d x = d scaled * gamma * rsqrt(variance + epsilon)
        Operand<TFloat32> scaled = tf.math.mul(x, tf.math.mul(stopped(gamma), inverseDeviation));
        // d scaled = d centredGradient - (x - mean) * (rsqrt(variance + epsilon)^2 * (sum(dy * (x - mean)) / n))
        Operand<TFloat32> centredGradient = tf.identity(scaled);
        Operand<TFloat32> projection = tf.math.mul(centred, broadcast(centred, cluster.globalSum(tf, tf.math.div(
                tf.math.mul(tf.math.neg(tf.sum(tf.math.mul(scaled, centred), batchAxes)), tf.math.square(inverseDeviation)),
                count))));
        // d centredGradient = dy - sum(dy) * (1/n)
        Operand<TFloat32> meanGradient = broadcast(centred, cluster.globalSum(tf,
                tf.math.mul(tf.math.neg(tf.sum(centredGradient, batchAxes)), perCount)));
        // d gamma = sum(dy * normalised)
        Operand<TFloat32> normalised = tf.math.mul(centred, inverseDeviation);
        Operand<TFloat32> scaleTerm = tf.math.mul(broadcast(centred, gamma), normalised);
        // d beta = sum(dy)
        return tf.nn.biasAdd(tf.math.addN(List.of(centredGradient, meanGradient, projection, scaleTerm)), beta);
    }

    /** A per-channel value as an [N, H, W, C] tensor whose gradient is summed over the batch by BiasAddGrad. */
    private Operand<TFloat32> broadcast(Operand<TFloat32> like, Operand<TFloat32> perChannel) {
        return tf.nn.biasAdd(like, perChannel);
    }

    private StopGradient<TFloat32> stopped(Operand<TFloat32> value) {
        return tf.stopGradient(value);
    }
}
