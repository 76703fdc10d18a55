package dev.specc.runtime.train;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * Dynamic loss scaling for float16 training, as Keras' LossScaleOptimizer does it: the loss is
 * multiplied by a scale before it is differentiated, so that small gradients survive float16, and
 * the gradients are divided by it again. A step whose gradients are not all finite updates no weight
 * and no optimizer slot (each update takes its gradient through a Switch on "all finite", so it does
 * not run at all) and halves the scale; after {@code growthInterval} finite steps in a row the scale
 * doubles. The scale and the count are variables saved with the optimizer slots, so a resume
 * continues exactly.
 */
final class LossScale {
    /** Keras' defaults. */
    static final float INITIAL_SCALE = 32768f;
    static final int GROWTH_INTERVAL = 2000;
    /** Checkpoint names start with this; runs without loss scaling have none of them. */
    static final String NAME_PREFIX = "optimizer/loss_scale";

    private final Variable<TFloat32> scale;
    private final Variable<TFloat32> finiteSteps;
    private final List<Optimizer.Slot> slots = new ArrayList<>();
    private Operand<TBool> allFinite;

    LossScale(Ops tf, float initialScale) {
        Ops scope = tf.withSubScope("optimizer");
        scale = scope.withName("loss_scale").variable(scope.withInitScope().constant(initialScale));
        finiteSteps = scope.withName("loss_scale_finite_steps").variable(scope.withInitScope().constant(0f));
        slots.add(new Optimizer.Slot(NAME_PREFIX, scale, new long[0]));
        slots.add(new Optimizer.Slot(NAME_PREFIX + "_finite_steps", finiteSteps, new long[0]));
    }

    /** What is differentiated: the loss times the scale. */
    Operand<TFloat32> scaled(Ops tf, Operand<TFloat32> loss) {
        return tf.withName("scaled_loss").math.mul(loss, scale);
    }

    /**
     * The gradients of the scaled loss divided by the scale, each passed on only when every one of
     * them is finite (a dead tensor otherwise, so that the update consuming it does not run).
     */
    Output<?>[] unscaleAndGate(Ops tf, Output<?>[] scaledGradients) {
        List<Operand<TFloat32>> unscaled = new ArrayList<>();
        List<Operand<TBool>> finite = new ArrayList<>();
        for (Output<?> gradient : scaledGradients) {
            @SuppressWarnings("unchecked")
            Operand<TFloat32> g = tf.math.div((Operand<TFloat32>) gradient, scale);
            unscaled.add(g);
            finite.add(tf.reduceAll(tf.math.isFinite(g), tf.range(tf.constant(0), tf.rank(g), tf.constant(1))));
        }
        allFinite = tf.withName("all_gradients_finite").reduceAll(tf.stack(finite), tf.constant(0));
        Output<?>[] gated = new Output<?>[unscaled.size()];
        for (int i = 0; i < gated.length; i++) gated[i] = tf.switchCond(unscaled.get(i), allFinite).outputTrue();
        return gated;
    }

    /**
     * The step's update of the scale: after every read of it in the step (the unscaled gradients come
     * last), halve it (not below 1) when a gradient was not finite, double it after enough finite steps.
     */
    Op update(Ops tf) {
        Ops after = tf.withControlDependencyOps(List.of(allFinite.op()));
        Operand<TFloat32> steps = after.select(allFinite, after.math.add(finiteSteps, after.constant(1f)), after.constant(0f));
        Operand<TBool> grow = after.math.greaterEqual(steps, after.constant((float) GROWTH_INTERVAL));
        Operand<TFloat32> halved = after.math.maximum(after.math.div(scale, after.constant(2f)), after.constant(1f));
        Operand<TFloat32> newScale = after.select(grow, after.math.mul(scale, after.constant(2f)),
                after.select(allFinite, after.identity(scale), halved));
        Operand<TFloat32> newSteps = after.select(grow, after.constant(0f), steps);
        Ops assign = tf.withSubScope("optimizer").withControlDependencyOps(List.of(newScale.op(), newSteps.op()));
        return assign.withControlDependencies(List.of(assign.assign(scale, newScale), assign.assign(finiteSteps, newSteps)))
                .withName("loss_scale_update").noOp();
    }

    Variable<TFloat32> scale() {
        return scale;
    }

    Variable<TFloat32> finiteSteps() {
        return finiteSteps;
    }

    List<Optimizer.Slot> slots() {
        return slots;
    }
}
