package dev.specc.lower;

import dev.specc.ir.TensorShape;
import dev.specc.shapes.AnalyzedNode;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/** What a {@link LayerLowering} may use while lowering one node on one forward path. */
public final class LoweringContext {
    private final Ops tf;
    private final Mode mode;
    private final AnalyzedNode node;
    private final Map<String, WeightVariable> weights;
    private final List<Op> updates;
    private final long seed;
    private final LongSupplier nextSeed2;
    private final Operand<TInt64> stepSeed;
    private final CrossWorker crossWorker;

    LoweringContext(Ops tf, Mode mode, AnalyzedNode node, Map<String, WeightVariable> weights, List<Op> updates,
                    long seed, LongSupplier nextSeed2, Operand<TInt64> stepSeed, CrossWorker crossWorker) {
        this.stepSeed = stepSeed;
        this.crossWorker = crossWorker;
        this.tf = tf;
        this.mode = mode;
        this.node = node;
        this.weights = weights;
        this.updates = updates;
        this.seed = seed;
        this.nextSeed2 = nextSeed2;
    }

    /** Ops that are named under this path and node ("train/conv1/..."). */
    public Ops tf() {
        return tf;
    }

    public Mode mode() {
        return mode;
    }

    public AnalyzedNode node() {
        return node;
    }

    /** The statically known shape of input {@code i}, batch excluded. */
    public TensorShape inputShape(int i) {
        return node.inputShapes().get(i);
    }

    /** The read of this node's weight {@code name} ("kernel", "moving_mean"). */
    public Operand<TFloat32> weight(String name) {
        return variable(name).read();
    }

    public WeightVariable variable(String name) {
        WeightVariable v = weights.get(name);
        if (v == null) {
            throw new IllegalStateException("layer " + node.node().name() + " has no weight '" + name + "' (it has "
                    + weights.keySet() + ")");
        }
        return v;
    }

    /** The other workers of a data-parallel cluster, or null when one process trains. */
    public CrossWorker crossWorker() {
        return crossWorker;
    }

    /** Registers an op to run after each training step (a moving-statistics update). */
    public void addUpdate(Op update) {
        if (mode != Mode.TRAINING) {
            throw new IllegalStateException("update ops belong to the training path, not " + mode);
        }
        updates.add(update);
    }

    /**
     * The [2] seed of one stateless random op: the step seed fed to the training path (see
     * {@link CompiledModel#stepSeed()}) and a number fixed by the lowering's seed and different for
     * every op. The draws are then a pure function of the step, which is what makes a resumed run
     * repeat an uninterrupted one.
     */
    public Operand<TInt64> statelessSeed() {
        long salt = seed * 1_000_003L + nextSeed2.getAsLong();
        return tf.stack(List.of(stepSeed, tf.constant(salt)));
    }
}
