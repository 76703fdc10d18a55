package dev.specc.bench;

import dev.specc.lower.CompiledModel;
import dev.specc.lower.Mode;
import dev.specc.lower.WeightVariable;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * A training step on a {@link CompiledModel}, built the way the benchmark needs it until the real
 * trainer (issue #3) provides one: softmax cross-entropy from integer labels on the training
 * path's logits, gradients by {@link Graph#addGradients} with respect to each trainable
 * {@link WeightVariable#read()}, plain SGD with momentum ({@code ApplyMomentum}, constant learning
 * rate), and the model's batch-norm {@link CompiledModel#updateOps()}, all in one
 * {@code Session.run}.
 *
 * <p>The lowered model ends in a dense layer with a fused softmax; the logits are the input of the
 * Softmax op that the training output ({@code train/output}, an Identity) reads.
 */
public final class SpeccTrainStep {
    private final CompiledModel model;
    private final Placeholder<TInt32> labels;
    private final Operand<TFloat32> logits;
    private final Operand<TFloat32> loss;
    private final Op step;

    private SpeccTrainStep(CompiledModel model, Placeholder<TInt32> labels, Operand<TFloat32> logits,
                           Operand<TFloat32> loss, Op step) {
        this.model = model;
        this.labels = labels;
        this.logits = logits;
        this.loss = loss;
        this.step = step;
    }

    public static SpeccTrainStep build(CompiledModel model, float learningRate, float momentum) {
        Graph graph = model.graph();
        // One sub-scope, made once (withSubScope scans the whole graph).
        Ops tf = Ops.create(graph).withSubScope("train_step");
        Operand<TFloat32> logits = logitsOf(model);
        long classes = logits.shape().get(1);
        Placeholder<TInt32> labels = tf.withName("labels").placeholder(TInt32.class,
                Placeholder.shape(Shape.of(-1)));
        Operand<TFloat32> oneHot = tf.oneHot(labels, tf.constant((int) classes), tf.constant(1f), tf.constant(0f));
        Operand<TFloat32> perExample = tf.nn.softmaxCrossEntropyWithLogits(logits, oneHot).loss();
        Operand<TFloat32> loss = tf.withName("loss").math.mean(perExample, tf.constant(0));

        List<WeightVariable> trainable = model.trainableVariables();
        Output<?>[] reads = new Output<?>[trainable.size()];
        for (int i = 0; i < reads.length; i++) reads[i] = trainable.get(i).read().asOutput();
        Output<?>[] grads = graph.addGradients(loss.asOutput(), reads);

        Operand<TFloat32> lr = tf.constant(learningRate);
        Operand<TFloat32> mom = tf.constant(momentum);
        Ops init = tf.withInitScope();
        List<Op> targets = new ArrayList<>();
        for (int i = 0; i < grads.length; i++) {
            WeightVariable v = trainable.get(i);
            Operand<TInt64> shape = init.constant(v.spec().shape());
            Operand<TFloat32> zeros = init.fill(shape, init.constant(0f));
            Operand<TFloat32> accum = tf.withName("momentum_" + i).variable(zeros);
            @SuppressWarnings("unchecked")
            Operand<TFloat32> grad = (Operand<TFloat32>) grads[i];
            targets.add(tf.train.applyMomentum(v.variable(), accum, lr, grad, mom));
        }
        targets.addAll(model.updateOps());
        Op step = tf.withName("step").withControlDependencies(targets).noOp();
        return new SpeccTrainStep(model, labels, logits, loss, step);
    }

    /** The input of the Softmax that {@code train/output} reads, through any Identity ops. */
    static Operand<TFloat32> logitsOf(CompiledModel model) {
        Operation op = model.output(Mode.TRAINING).op();
        while (op.type().equals("Identity")) op = ((org.tensorflow.GraphOperation) op).input(0).op();
        if (!op.type().equals("Softmax")) {
            throw new IllegalStateException("train/output does not read a Softmax but " + op.type() + " " + op.name());
        }
        @SuppressWarnings("unchecked")
        Operand<TFloat32> logits = (Operand<TFloat32>) ((org.tensorflow.GraphOperation) op).input(0);
        return logits;
    }

    public CompiledModel model() {
        return model;
    }

    public Operand<TFloat32> logits() {
        return logits;
    }

    public Operand<TFloat32> loss() {
        return loss;
    }

    /** The NoOp that runs every variable update of the step. */
    public Op step() {
        return step;
    }

    /** One step on a batch; returns the batch's loss (before the update). */
    public float run(Session session, TFloat32 images, TInt32 batchLabels) {
        try (Result r = session.runner().feed(model.input(), images).feed(labels, batchLabels)
                .fetch(loss).addTarget(step).run()) {
            return ((TFloat32) r.get(0)).getFloat();
        }
    }
}
