package dev.specc.runtime.train;

import dev.specc.config.TrainConfig;
import dev.specc.config.RunChecks;
import dev.specc.lower.CompiledModel;
import dev.specc.lower.Mode;
import dev.specc.lower.WeightVariable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * What training adds to a compiled model: label and learning-rate inputs, the loss on the
 * training path (cross-entropy from logits plus L2 weight decay), its gradients with respect to
 * the trainable weights only (Graph.addGradients: Optimizer.minimize would also differentiate the
 * batch-norm statistics), the optimizer's apply ops with their slot variables, and the same loss
 * on the inference path for evaluation.
 */
public final class TrainingGraph {
    public enum Loss { CATEGORICAL_CROSSENTROPY, BINARY_CROSSENTROPY }

    private final CompiledModel model;
    private final Loss loss;
    private final int classes;
    /** [height, width] of the per-pixel labels of a network that outputs a map (segmentation); null for one label per example. */
    private final int[] labelMap;
    private final List<Double> classWeights;
    private final Placeholder<TInt32> labels;
    private final Placeholder<TFloat32> learningRate;
    private final Operand<TFloat32> trainLoss;
    private final Operand<TFloat32> dataLoss;
    private final Operand<TFloat32> reportedLoss;
    private final Map<Mode, Operand<TFloat32>> evalLoss;
    private final Optimizer optimizer;
    private final LossScale lossScale;
    private final List<Op> stepTargets = new ArrayList<>();

    public TrainingGraph(CompiledModel model, TrainConfig config) {
        this(model, config, false, null);
    }

    /** {@code lossScaling}: dynamic loss scaling (float16 training, {@link LossScale}). */
    public TrainingGraph(CompiledModel model, TrainConfig config, boolean lossScaling) {
        this(model, config, lossScaling, null);
    }

    /**
     * {@code lossScaling}: dynamic loss scaling (float16 training, {@link LossScale}). {@code workers}:
     * null for a single process; else this process is one worker of a data-parallel group, and the
     * step applies the gradients of the global batch, summed over the workers.
     */
    public TrainingGraph(CompiledModel model, TrainConfig config, boolean lossScaling, WorkerGroup workers) {
        this.model = model;
        String activation = model.outputActivation();
        this.loss = chooseLoss(config.loss(), activation);
        long[] outShape = model.output(Mode.INFERENCE).shape().asArray();
        this.classes = (int) outShape[outShape.length - 1];
        this.labelMap = outShape.length == 4 ? new int[] {(int) outShape[1], (int) outShape[2]} : null;
        this.classWeights = config.classWeights();
        Ops tf = Ops.create(model.graph());
        labels = tf.withName("labels").placeholder(TInt32.class,
                Placeholder.shape(labelMap == null ? Shape.of(-1) : Shape.of(-1, labelMap[0], labelMap[1])));
        learningRate = tf.withName("learning_rate").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));

        dataLoss = lossOn(tf, model.logits(Mode.TRAINING), config.labelSmoothing());
        Operand<TFloat32> penalty = weightDecay(tf, model.trainableVariables(), config);
        trainLoss = penalty == null ? dataLoss : tf.withName("total_loss").math.add(dataLoss, penalty);
        evalLoss = Map.of(Mode.INFERENCE, lossOn(tf, model.logits(Mode.INFERENCE), 0));

        List<WeightVariable> weights = model.trainableVariables();
        lossScale = lossScaling ? new LossScale(tf, LossScale.INITIAL_SCALE) : null;
        Operand<TFloat32> differentiated = lossScale == null ? trainLoss : lossScale.scaled(tf, trainLoss);
        Output<?>[] gradients;
        if (workers == null) {
            gradients = gradientsOf(tf, differentiated, weights);
            reportedLoss = dataLoss;
        } else {
            Operand<TFloat32> objective = tf.withName("worker_objective").math.mul(differentiated, workers.share(tf));
            List<Operand<TFloat32>> summed = workers.sum(tf, withLoss(gradientsOf(tf, objective, weights),
                    tf.math.mul(dataLoss, workers.share(tf))));
            gradients = summed.subList(0, weights.size()).stream().map(Operand::asOutput).toArray(Output<?>[]::new);
            reportedLoss = summed.get(weights.size());
        }
        if (lossScale != null) gradients = lossScale.unscaleAndGate(tf, gradients);
        optimizer = Optimizer.create(tf, config.optimizer(), learningRate);
        for (int i = 0; i < weights.size(); i++) {
            @SuppressWarnings("unchecked")
            Operand<TFloat32> gradient = (Operand<TFloat32>) gradients[i];
            // A read of a VariableV2 aliases its buffer: the update of a weight must wait until every
            // op of this step that reads it (its backward ops included) has run, or a gradient would
            // see the new value and runs would not repeat. Gating each update on its own readers,
            // not on all gradients, lets later layers' updates overlap the rest of the backward pass.
            Ops gated = tf.withControlDependencyOps(readersInStep(weights.get(i).read().op(), gradients[i].op()));
            stepTargets.add(optimizer.apply(gated, weights.get(i), gradient));
        }
        stepTargets.addAll(model.updateOps());
        if (lossScale != null) stepTargets.add(lossScale.update(tf));
    }

    @SuppressWarnings("unchecked")
    private static List<Operand<TFloat32>> withLoss(Output<?>[] gradients, Operand<TFloat32> loss) {
        List<Operand<TFloat32>> values = new ArrayList<>();
        for (Output<?> gradient : gradients) values.add((Operand<TFloat32>) gradient);
        values.add(loss);
        return values;
    }

    /**
     * The gradients of {@code loss} for each weight. A weight the loss does not depend on (a layer whose
     * output nothing uses, as drn.py's DRN-C-58 has) gets a zero gradient: every optimizer then leaves
     * it as it is, as PyTorch leaves a parameter without a gradient.
     */
    private Output<?>[] gradientsOf(Ops tf, Operand<TFloat32> loss, List<WeightVariable> weights) {
        Set<String> reached = opsReaching(loss.op());
        List<WeightVariable> used = weights.stream().filter(w -> reached.contains(w.read().op().name())).toList();
        Output<?>[] reads = used.stream().map(w -> w.read().asOutput()).toArray(Output<?>[]::new);
        Output<?>[] usedGradients = reads.length == 0 ? reads : model.graph().addGradients(loss.asOutput(), reads);
        Output<?>[] gradients = new Output<?>[weights.size()];
        for (int i = 0, u = 0; i < weights.size(); i++) {
            gradients[i] = u < used.size() && used.get(u) == weights.get(i) ? usedGradients[u++]
                    : tf.zerosLike(weights.get(i).read()).asOutput();
        }
        return gradients;
    }

    /** The names of the ops that {@code target} is computed from (itself included). */
    private static Set<String> opsReaching(Operation target) {
        Set<String> seen = new HashSet<>();
        Deque<GraphOperation> queue = new ArrayDeque<>();
        queue.add((GraphOperation) target);
        seen.add(target.name());
        while (!queue.isEmpty()) {
            GraphOperation op = queue.poll();
            for (int i = 0; i < op.numInputs(); i++) {
                GraphOperation input = (GraphOperation) op.input(i).op();
                if (seen.add(input.name())) queue.add(input);
            }
        }
        return seen;
    }

    private static final Set<String> ALIASING = Set.of("Identity", "Reshape", "ExpandDims", "Squeeze", "Snapshot");

    /** The ops of a training step that read a weight's buffer, through ops that alias it; the inference path excluded. */
    private static List<Operation> readersInStep(Operation read, Operation gradient) {
        List<Operation> readers = new ArrayList<>();
        readers.add(gradient);
        Deque<GraphOperation> queue = new ArrayDeque<>();
        queue.add((GraphOperation) read);
        Set<String> seen = new HashSet<>();
        while (!queue.isEmpty()) {
            GraphOperation op = queue.poll();
            for (GraphOperation consumer : op.consumers()) {
                if (consumer.name().startsWith(Mode.INFERENCE.scope() + "/") || !seen.add(consumer.name())) continue;
                readers.add(consumer);
                if (ALIASING.contains(consumer.type())) queue.add(consumer);
            }
        }
        return readers;
    }

    /** The loss of RunChecks.lossFor, which the spec's check (Pipeline.check) has already found to fit. */
    private static Loss chooseLoss(String requested, String activation) {
        String loss = RunChecks.lossFor(requested, activation);
        if (loss == null) {
            throw new IllegalArgumentException("train.loss " + (requested == null ? "(unset)" : requested)
                    + " does not fit a network that ends in " + activation + "; Pipeline.check reports this");
        }
        return loss.equals(RunChecks.BINARY) ? Loss.BINARY_CROSSENTROPY : Loss.CATEGORICAL_CROSSENTROPY;
    }

    private Operand<TFloat32> lossOn(Ops tf, Operand<TFloat32> logits, double smoothing) {
        if (labelMap != null) return pixelLoss(tf, logits);
        if (loss == Loss.CATEGORICAL_CROSSENTROPY) {
            float off = (float) (smoothing / classes);
            float on = (float) (1 - smoothing) + off;
            Operand<TFloat32> target = tf.oneHot(labels, tf.constant(classes), tf.constant(on), tf.constant(off));
            Operand<TFloat32> perExample = tf.nn.softmaxCrossEntropyWithLogits(logits, target).loss();
            if (classWeights != null) {
                // PyTorch's CrossEntropyLoss(weight=): sum of w[label] * loss over sum of w[label].
                Operand<TFloat32> w = tf.reduceSum(tf.math.mul(tf.oneHot(labels, tf.constant(classes), tf.constant(1f),
                        tf.constant(0f)), tf.constant(weightArray())), tf.constant(1));
                return tf.math.div(tf.reduceSum(tf.math.mul(perExample, w), tf.constant(0)),
                        tf.math.maximum(tf.reduceSum(w, tf.constant(0)), tf.constant(1e-12f)));
            }
            return tf.math.mean(perExample, tf.constant(0));
        }
        // Binary cross-entropy from logits x and targets z: softplus(x) - x * z (stable for any x).
        Operand<TFloat32> x = tf.reshape(logits, tf.constant(new long[] {-1}));
        Operand<TFloat32> z = tf.dtypes.cast(labels, TFloat32.class);
        if (smoothing > 0) {
            z = tf.math.add(tf.math.mul(z, tf.constant((float) (1 - smoothing))), tf.constant((float) (smoothing / 2)));
        }
        Operand<TFloat32> perExample = tf.math.sub(tf.math.softplus(x), tf.math.mul(x, z));
        return tf.math.mean(perExample, tf.constant(0));
    }

    /**
     * Per-pixel cross-entropy, PyTorch's NLLLoss(weight, ignore_index) on log_softmax: the weighted
     * sum of -log p(label) over the pixels whose label is a class, divided by the sum of their
     * weights. A label outside 0..classes-1 (ignore_index) one-hot encodes to zeros, so it adds
     * neither loss nor weight. Built from LogSoftmax on a [pixels, classes] view and a one-hot mask:
     * TF Java has no gradient for SparseSoftmaxCrossEntropyWithLogits.
     */
    private Operand<TFloat32> pixelLoss(Ops tf, Operand<TFloat32> logits) {
        Operand<TFloat32> logProbabilities = tf.nn.logSoftmax(tf.reshape(logits, tf.constant(new long[] {-1, classes})));
        Operand<TFloat32> target = tf.oneHot(tf.reshape(labels, tf.constant(new long[] {-1})), tf.constant(classes),
                tf.constant(1f), tf.constant(0f));
        if (classWeights != null) target = tf.math.mul(target, tf.constant(weightArray()));
        Operand<TFloat32> weightSum = tf.reduceSum(target, tf.constant(new int[] {0, 1}));
        Operand<TFloat32> nll = tf.math.neg(tf.reduceSum(tf.math.mul(target, logProbabilities), tf.constant(new int[] {0, 1})));
        return tf.math.div(nll, tf.math.maximum(weightSum, tf.constant(1e-12f)));
    }

    private float[] weightArray() {
        float[] w = new float[classes];
        for (int c = 0; c < classes; c++) w[c] = classWeights.get(c).floatValue();
        return w;
    }

    /** Whether labels are per pixel (a network that outputs a class map). */
    public boolean segmentation() {
        return labelMap != null;
    }

    /** The shape of the label tensor of a batch of {@code n}: [n], or [n, height, width] for per-pixel labels. */
    public long[] labelShape(int n) {
        return labelMap == null ? new long[] {n} : new long[] {n, labelMap[0], labelMap[1]};
    }

    /** Running metrics of the right kind: per example, or per pixel with IoU. */
    public EpochMetrics newMetrics(List<Integer> topK) {
        return labelMap != null ? EpochMetrics.segmentation(classes)
                : new EpochMetrics(topK, loss == Loss.BINARY_CROSSENTROPY);
    }

    /** Keras' L2 regularizer on kernels: decay * sum(w^2), the decay per layer name (globs allowed). */
    private static Operand<TFloat32> weightDecay(Ops tf, List<WeightVariable> weights, TrainConfig config) {
        Operand<TFloat32> total = null;
        for (WeightVariable w : weights) {
            if (!w.name().endsWith("/kernel")) continue;
            double decay = config.weightDecayOf(w.name().substring(0, w.name().length() - "/kernel".length()));
            if (decay == 0) continue;
            Operand<TFloat32> term = tf.math.mul(tf.constant((float) decay), tf.reduceSum(tf.math.square(w.read()),
                    tf.constant(allAxes(w.spec().shape().length))));
            total = total == null ? term : tf.math.add(total, term);
        }
        return total;
    }

    private static int[] allAxes(int rank) {
        int[] axes = new int[rank];
        for (int i = 0; i < rank; i++) axes[i] = i;
        return axes;
    }

    public CompiledModel model() {
        return model;
    }

    public Loss loss() {
        return loss;
    }

    public int classes() {
        return classes;
    }

    public Placeholder<TInt32> labels() {
        return labels;
    }

    public Placeholder<TFloat32> learningRate() {
        return learningRate;
    }

    /** Cross-entropy plus weight decay on the training path: what is minimised. */
    public Operand<TFloat32> trainLoss() {
        return trainLoss;
    }

    /**
     * Cross-entropy alone on the training path: what is reported as the running loss (on a worker of
     * a group, the global batch's, the same on every worker).
     */
    public Operand<TFloat32> dataLoss() {
        return reportedLoss;
    }

    /** Cross-entropy on the inference path (moving averages, no dropout), for evaluation. */
    public Operand<TFloat32> evalLoss() {
        return evalLoss.get(Mode.INFERENCE);
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    /** The ops one training step runs: every weight update and the batch-norm statistics updates. */
    public List<Op> stepTargets() {
        return stepTargets;
    }

    /**
     * Slot variables of the optimizer, named "optimizer/<weight>/<slot>", and with loss scaling its
     * scale and count ("optimizer/loss_scale..."), for checkpoints.
     */
    public List<Optimizer.Slot> slots() {
        if (lossScale == null) return optimizer.slots();
        List<Optimizer.Slot> all = new ArrayList<>(optimizer.slots());
        all.addAll(lossScale.slots());
        return all;
    }

    /** The loss scaling, or null without it. */
    LossScale lossScaling() {
        return lossScale;
    }

    /** Whether a checkpoint tensor of this name belongs to loss scaling, which a run may have or not. */
    public static boolean isLossScaleState(String name) {
        return name.startsWith(LossScale.NAME_PREFIX);
    }

}
