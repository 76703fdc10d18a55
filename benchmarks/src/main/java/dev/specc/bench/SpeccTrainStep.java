package dev.specc.bench;

import dev.specc.config.TrainConfig;
import dev.specc.diag.Diagnostics;
import dev.specc.lower.CompiledModel;
import dev.specc.lower.Mode;
import dev.specc.runtime.train.TrainingGraph;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** specc's own training step (the runtime's {@link TrainingGraph}) on a compiled model, for the benchmark. */
public final class SpeccTrainStep {
    private final CompiledModel model;
    private final TrainingGraph graph;
    private final Op step;
    private final float learningRate;

    private SpeccTrainStep(CompiledModel model, TrainingGraph graph, Op step, float learningRate) {
        this.model = model;
        this.graph = graph;
        this.step = step;
        this.learningRate = learningRate;
    }

    /**
     * The training step specc's own trainer runs ({@link TrainingGraph}: cross-entropy from the
     * logits, gradients of the trainable weights, fused momentum updates after all gradients,
     * batch-norm statistics updates), for SGD with momentum.
     */
    public static SpeccTrainStep build(CompiledModel model, float learningRate, float momentum) {
        return build(model, learningRate, momentum, false);
    }

    /** {@code lossScaling}: with the dynamic loss scaling of float16 training. */
    public static SpeccTrainStep build(CompiledModel model, float learningRate, float momentum, boolean lossScaling) {
        TrainConfig defaults = TrainConfig.read(null, Map.of(), new Diagnostics());
        TrainConfig config = new TrainConfig(defaults.epochs(), defaults.batchSize(), defaults.seed(),
                new TrainConfig.OptimizerConfig("sgd", learningRate, momentum, false, 0.9, 0.999, 1e-7, 0.9),
                defaults.schedule(), "categorical_crossentropy", 0, List.of("accuracy"), 0, Map.of(), null,
                defaults.checkpointMonitor(), null, false, defaults.checkpointEvery(),
                defaults.precision(), null, false);
        TrainingGraph graph = new TrainingGraph(model, config, lossScaling);
        Op step = Ops.create(model.graph()).withSubScope("train_step").withControlDependencies(graph.stepTargets()).noOp();
        return new SpeccTrainStep(model, graph, step, learningRate);
    }

    public CompiledModel model() {
        return model;
    }

    public Operand<TFloat32> logits() {
        return model.logits(Mode.TRAINING);
    }

    public Operand<TFloat32> loss() {
        return graph.dataLoss();
    }

    /** The NoOp that runs every variable update of the step. */
    public Op step() {
        return step;
    }

    /** One step on a batch, fed as specc's Trainer feeds it; returns the batch's loss (before the update). */
    public float run(Session session, TFloat32 images, TInt32 batchLabels) {
        try (TFloat32 lr = TFloat32.scalarOf(learningRate);
             Result r = session.runner().feed(model.input(), images).feed(graph.labels(), batchLabels)
                     .feed(graph.learningRate(), lr).fetch(graph.dataLoss()).addTarget(step).run()) {
            return ((TFloat32) r.get(0)).getFloat();
        }
    }
}
