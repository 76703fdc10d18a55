package dev.specc.lower;

import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * A lowered model: one graph with the "input" placeholder, the variables, and two forward paths
 * that share them ("output" for inference, "train/output" for training).
 *
 * <p>Variables get their initial values from {@code Session.initialize()}, which a
 * {@code Session} also runs by itself before its first run. A training step fetches
 * {@code output(TRAINING)} (or a loss built on it) and runs {@link #updateOps()} in the same run,
 * with the same input fed. Closing the model closes the graph.
 */
public final class CompiledModel implements AutoCloseable {
    private final Graph graph;
    private final Operand<TFloat32> input;
    private final Map<Mode, Operand<TFloat32>> outputs;
    private final Map<Mode, Operand<TFloat32>> logits;
    private final Map<String, Operand<TFloat32>> layerOutputs;
    private final String activation;
    private final Operand<TInt64> stepSeed;
    private final List<WeightVariable> trainable;
    private final List<WeightVariable> nonTrainable;
    private final List<Op> updateOps;

    CompiledModel(Graph graph, Operand<TFloat32> input, Map<Mode, Operand<TFloat32>> outputs,
                  Map<Mode, Operand<TFloat32>> logits, String activation, Map<String, Operand<TFloat32>> layerOutputs,
                  Operand<TInt64> stepSeed, List<WeightVariable> trainable, List<WeightVariable> nonTrainable,
                  List<Op> updateOps) {
        this.logits = Map.copyOf(logits);
        this.activation = activation;
        this.layerOutputs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(layerOutputs));
        this.stepSeed = stepSeed;
        this.graph = graph;
        this.input = input;
        this.outputs = Map.copyOf(outputs);
        this.trainable = List.copyOf(trainable);
        this.nonTrainable = List.copyOf(nonTrainable);
        this.updateOps = List.copyOf(updateOps);
    }

    public Graph graph() {
        return graph;
    }

    /** The float32 placeholder "input", [-1, example dims...]. */
    public Operand<TFloat32> input() {
        return input;
    }

    /** The Identity "output" (INFERENCE) or "train/output" (TRAINING). */
    public Operand<TFloat32> output(Mode mode) {
        return outputs.get(mode);
    }

    /**
     * The input of the final softmax, log-softmax or sigmoid on a path (what cross-entropy is computed from),
     * or null when the network does not end in one.
     */
    public Operand<TFloat32> logits(Mode mode) {
        return logits.get(mode);
    }

    /** Every layer's output on the inference path, by layer name, in model order (for inspection: predict --layer). */
    public Map<String, Operand<TFloat32>> layerOutputs() {
        return layerOutputs;
    }

    /** Whether the output is a softmax ("softmax"), a log-softmax ("log_softmax"), a sigmoid ("sigmoid") or none ("none"). */
    public String outputActivation() {
        return activation;
    }

    /**
     * The int64 scalar "train/seed" (default 0): feed a different value each training step; every
     * random draw of the training path (dropout) is a pure function of it.
     */
    public Operand<TInt64> stepSeed() {
        return stepSeed;
    }

    /** In model order, layer by layer, weights in the order the layer declares them. */
    public List<WeightVariable> trainableVariables() {
        return trainable;
    }

    /** Batch-norm moving statistics, in model order. */
    public List<WeightVariable> nonTrainableVariables() {
        return nonTrainable;
    }

    /** The moving-statistics assignments of the training path, to run with each training step. */
    public List<Op> updateOps() {
        return updateOps;
    }

    @Override
    public void close() {
        graph.close();
    }
}
