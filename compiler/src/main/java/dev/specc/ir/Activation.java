package dev.specc.ir;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** An element-wise activation (softmax and log_softmax: over the last axis). */
public record Activation(Function function, double alpha) implements LayerSpec {

    public enum Function {
        RELU, RELU6, LEAKY_RELU, ELU, SELU, SIGMOID, TANH, SOFTMAX, LOG_SOFTMAX, SWISH, SOFTPLUS, LINEAR;

        public String spelling() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static List<String> spellings() {
            return Arrays.stream(values()).map(Function::spelling).toList();
        }
    }

    /** Keras' default negative slope for LeakyReLU. */
    public static final double DEFAULT_LEAKY_ALPHA = 0.3;

    public static Activation of(Function function) {
        return new Activation(function, function == Function.LEAKY_RELU ? DEFAULT_LEAKY_ALPHA : 0);
    }

    @Override
    public String kind() {
        return function.spelling();
    }

    @Override
    public TensorShape outputShape(List<TensorShape> inputs) {
        return inputs.get(0);
    }
}
