package dev.specc.runtime.train;

import dev.specc.config.TrainConfig;
import dev.specc.lower.WeightVariable;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.train.ApplyMomentum;
import org.tensorflow.types.TFloat32;

/**
 * SGD (momentum, Nesterov), Adam and RMSprop as TensorFlow's fused apply ops. The learning rate
 * is fed each step (schedules live in Java), and so are Adam's bias corrections beta^t, so all of
 * an optimizer's state is in its slot variables and the step count: what a checkpoint saves.
 */
public final class Optimizer {
    /** One slot variable ("optimizer/conv1_conv/kernel/m") of one weight. */
    public record Slot(String name, Variable<TFloat32> variable, long[] shape) {
    }

    private final Ops tf;
    private final Ops scope;
    private final TrainConfig.OptimizerConfig config;
    private final Placeholder<TFloat32> learningRate;
    private final Placeholder<TFloat32> beta1Power;
    private final Placeholder<TFloat32> beta2Power;
    private final List<Slot> slots = new ArrayList<>();

    private Optimizer(Ops tf, TrainConfig.OptimizerConfig config, Placeholder<TFloat32> learningRate) {
        this.tf = tf;
        this.scope = tf.withSubScope("optimizer");
        this.config = config;
        this.learningRate = learningRate;
        boolean adam = config.type().equals("adam");
        beta1Power = adam ? scope.withName("beta1_power").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar())) : null;
        beta2Power = adam ? scope.withName("beta2_power").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar())) : null;
    }

    static Optimizer create(Ops tf, TrainConfig.OptimizerConfig config, Placeholder<TFloat32> learningRate) {
        return new Optimizer(tf, config, learningRate);
    }

    public TrainConfig.OptimizerConfig config() {
        return config;
    }

    /** The update of one weight, made with {@code gated} (which carries the update's control dependencies). */
    Op apply(Ops gated, WeightVariable weight, Operand<TFloat32> gradient) {
        Variable<TFloat32> var = weight.variable();
        return switch (config.type()) {
            case "adam" -> gated.train.applyAdam(var, slot(weight, "m"), slot(weight, "v"), beta1Power, beta2Power,
                    learningRate, constant(config.beta1()), constant(config.beta2()), constant(config.epsilon()), gradient);
            case "rmsprop" -> gated.train.applyRmsProp(var, slot(weight, "rms"), slot(weight, "momentum"), learningRate,
                    constant(config.rho()), constant(config.momentum()), constant(config.epsilon()), gradient);
            default -> config.momentum() == 0
                    ? gated.train.applyGradientDescent(var, learningRate, gradient)
                    : gated.train.applyMomentum(var, slot(weight, "momentum"), learningRate, gradient,
                            constant(config.momentum()), ApplyMomentum.useNesterov(config.nesterov()));
        };
    }

    private Operand<TFloat32> constant(double value) {
        return tf.constant((float) value);
    }

    private Variable<TFloat32> slot(WeightVariable weight, String slotName) {
        long[] shape = weight.spec().shape();
        String opName = weight.name().replace('/', '.') + "." + slotName;
        Operand<TFloat32> zeros = scope.withInitScope().fill(tf.constant(shape), tf.constant(0f));
        Variable<TFloat32> variable = scope.withName(opName).variable(zeros);
        slots.add(new Slot("optimizer/" + weight.name() + "/" + slotName, variable, shape));
        return variable;
    }

    public List<Slot> slots() {
        return slots;
    }

    /** The feeds a step needs besides the learning rate: Adam's beta1^t and beta2^t for step t (1-based). */
    public float[] biasCorrections(long step) {
        return new float[] {(float) Math.pow(config.beta1(), step), (float) Math.pow(config.beta2(), step)};
    }

    public Placeholder<TFloat32> beta1Power() {
        return beta1Power;
    }

    public Placeholder<TFloat32> beta2Power() {
        return beta2Power;
    }
}
