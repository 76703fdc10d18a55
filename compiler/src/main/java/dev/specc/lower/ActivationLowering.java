package dev.specc.lower;

import dev.specc.ir.Activation;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.LeakyRelu;
import org.tensorflow.types.TFloat32;

/** Element-wise activations; also applied by conv2d and dense for their fused activation. */
public final class ActivationLowering implements LayerLowering<Activation> {

    @Override
    public Operand<TFloat32> lower(Activation layer, LoweringContext ctx, List<Operand<TFloat32>> inputs) {
        return apply(ctx.tf(), layer, inputs.get(0));
    }

    /** A fused activation of conv2d or dense: {@code null} and LINEAR leave {@code x} as it is. */
    static Operand<TFloat32> applyFused(Ops tf, Activation.Function function, Operand<TFloat32> x) {
        return function == null || function == Activation.Function.LINEAR ? x : apply(tf, Activation.of(function), x);
    }

    /**
     * LogSoftmax over the last axis of a [n, classes] view: TensorFlow's C++ gradient of LogSoftmax
     * sums over axis 1, which is the class axis only for a matrix (on a feature map it was wrong by
     * order 1 in GradientCheckTest).
     */
    private static Operand<TFloat32> logSoftmax(Ops tf, Operand<TFloat32> x) {
        int rank = x.shape().numDimensions();
        if (rank == 2) return tf.nn.logSoftmax(x);
        long classes = x.shape().get(rank - 1);
        Operand<TFloat32> rows = tf.reshape(x, tf.constant(new long[] {-1, classes}));
        return tf.reshape(tf.nn.logSoftmax(rows), tf.shape(x));
    }

    static Operand<TFloat32> apply(Ops tf, Activation activation, Operand<TFloat32> x) {
        return switch (activation.function()) {
            case RELU -> tf.nn.relu(x);
            case RELU6 -> tf.nn.relu6(x);
            case LEAKY_RELU -> tf.nn.leakyRelu(x, LeakyRelu.alpha((float) activation.alpha()));
            case ELU -> tf.nn.elu(x);
            case SELU -> tf.nn.selu(x);
            case SIGMOID -> tf.math.sigmoid(x);
            case TANH -> tf.math.tanh(x);
            case SOFTMAX -> tf.nn.softmax(x);
            case LOG_SOFTMAX -> logSoftmax(tf, x);
            case SWISH -> tf.math.mul(x, tf.math.sigmoid(x));
            case SOFTPLUS -> tf.math.softplus(x);
            case LINEAR -> tf.identity(x);
        };
    }
}
