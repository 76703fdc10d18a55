package dev.specc.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specc.config.Precision;
import dev.specc.lower.CompiledModel;
import dev.specc.lower.WeightVariable;
import dev.specc.runtime.Sessions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * Dynamic loss scaling (float16 training): scaling by a power of two changes no float32 update; a
 * step whose float16 gradients overflow updates nothing and halves the scale; enough finite steps
 * in a row double it. The float16 steps run under TensorFlow's CPU emulation of its float16 rewrite
 * (float16 inputs and outputs of convolutions and matmuls), so the overflow is float16's own.
 */
class LossScaleTest {
    @TempDir
    Path dir;

    static final int BATCH = 8;
    static final String TRAIN = "optimizer: {type: sgd, learning_rate: 0.1, momentum: 0.9}";

    private static final String SPEC = String.join("\n",
            "specc: 1",
            "name: small_conv",
            "input: {shape: [8, 8, 3]}",
            "stem:",
            "  - {kind: conv2d, name: conv1, filters: 8, kernel: 3, padding: same}",
            "  - {kind: relu, name: relu1}",
            "head:",
            "  - {kind: flatten, name: flat}",
            "  - {kind: dense, name: predictions, units: 4, activation: softmax}",
            "");

    private final float[] images = new float[BATCH * 8 * 8 * 3];
    private final int[] labels = new int[BATCH];

    LossScaleTest() {
        Random random = new Random(11);
        for (int i = 0; i < images.length; i++) images[i] = random.nextFloat();
        for (int i = 0; i < BATCH; i++) labels[i] = random.nextInt(4);
    }

    @Test
    void scalingByAPowerOfTwoLeavesAFloat32StepExactlyAsItWas() throws Exception {
        try (CompiledModel plainModel = Nets.compile(dir, "plain", SPEC);
             CompiledModel scaledModel = Nets.compile(dir, "scaled", SPEC)) {
            TrainingGraph plain = new TrainingGraph(plainModel, Nets.config(TRAIN));
            TrainingGraph scaled = new TrainingGraph(scaledModel, Nets.config(TRAIN), true);
            try (Session p = Sessions.open(plainModel.graph(), 1, Precision.FLOAT32);
                 Session s = Sessions.open(scaledModel.graph(), 1, Precision.FLOAT32)) {
                p.initialize();
                s.initialize();
                Nets.assign(s, scaledModel, weights(p, plainModel));
                for (int i = 0; i < 3; i++) {
                    step(p, plain);
                    step(s, scaled);
                }
                Map<String, float[]> a = weights(p, plainModel);
                Map<String, float[]> b = weights(s, scaledModel);
                for (String name : a.keySet()) assertArrayEquals(a.get(name), b.get(name), name + " after 3 steps");
                assertEquals(LossScale.INITIAL_SCALE, scalar(s, scaled.lossScaling().scale()));
                assertEquals(3f, scalar(s, scaled.lossScaling().finiteSteps()));
            }
        }
    }

    @Test
    void aStepWhoseFloat16GradientsOverflowUpdatesNothingAndHalvesTheScale() throws Exception {
        try (CompiledModel model = Nets.compile(dir, "overflow", SPEC)) {
            TrainingGraph graph = new TrainingGraph(model, Nets.config(TRAIN), true);
            try (Session session = Sessions.open(model.graph(), 1, Precision.FLOAT16)) {
                session.initialize();
                step(session, graph); // a first update, so that the momentum slots hold values a skipped step must keep
                float huge = (float) Math.pow(2, 40); // float16 overflows at 65504: every gradient above 2^-24 does
                set(session, graph.lossScaling().scale(), huge);
                Map<String, float[]> before = state(session, graph);
                step(session, graph);
                Map<String, float[]> after = state(session, graph);
                for (String name : before.keySet()) {
                    assertArrayEquals(before.get(name), after.get(name), name + " changed in a step that overflowed");
                }
                assertEquals(huge / 2, scalar(session, graph.lossScaling().scale()));
                assertEquals(0f, scalar(session, graph.lossScaling().finiteSteps()));

                set(session, graph.lossScaling().scale(), 1024f);
                step(session, graph);
                assertFalse(java.util.Arrays.equals(before.get("conv1/kernel"), state(session, graph).get("conv1/kernel")),
                        "a step with finite float16 gradients updates the weights");
                assertEquals(1024f, scalar(session, graph.lossScaling().scale()));
            }
        }
    }

    @Test
    void theScaleDoublesAfterTheGrowthIntervalOfFiniteSteps() throws Exception {
        try (CompiledModel model = Nets.compile(dir, "growth", SPEC)) {
            TrainingGraph graph = new TrainingGraph(model, Nets.config(TRAIN), true);
            try (Session session = Sessions.open(model.graph(), 1, Precision.FLOAT32)) {
                session.initialize();
                set(session, graph.lossScaling().finiteSteps(), LossScale.GROWTH_INTERVAL - 2);
                step(session, graph);
                assertEquals(LossScale.INITIAL_SCALE, scalar(session, graph.lossScaling().scale()));
                step(session, graph);
                assertEquals(2 * LossScale.INITIAL_SCALE, scalar(session, graph.lossScaling().scale()));
                assertEquals(0f, scalar(session, graph.lossScaling().finiteSteps()));
            }
        }
    }

    @Test
    void theScaleAndItsCountAreSavedWithTheOptimizerSlots() throws Exception {
        try (CompiledModel model = Nets.compile(dir, "slots", SPEC)) {
            List<String> names = new TrainingGraph(model, Nets.config(TRAIN), true).slots().stream()
                    .map(Optimizer.Slot::name).toList();
            assertTrue(names.containsAll(List.of("optimizer/loss_scale", "optimizer/loss_scale_finite_steps")), names.toString());
            assertTrue(names.stream().filter(TrainingGraph::isLossScaleState).count() == 2, names.toString());
        }
    }

    private void step(Session session, TrainingGraph graph) {
        try (TFloat32 x = TFloat32.tensorOf(Shape.of(BATCH, 8, 8, 3), DataBuffers.of(images, true, false));
             TInt32 y = TInt32.tensorOf(Shape.of(BATCH), DataBuffers.of(labels, true, false));
             TFloat32 lr = TFloat32.scalarOf(0.1f);
             TInt64 seed = TInt64.scalarOf(1)) {
            Session.Runner runner = session.runner().feed(graph.model().input(), x).feed(graph.labels(), y)
                    .feed(graph.learningRate(), lr).feed(graph.model().stepSeed(), seed);
            graph.stepTargets().forEach(runner::addTarget);
            try (Result r = runner.fetch(graph.dataLoss()).run()) {
                assertTrue(Float.isFinite(((TFloat32) r.get(0)).getFloat()), "the loss itself stays finite");
            }
        }
    }

    private static Map<String, float[]> weights(Session session, CompiledModel model) {
        Map<String, float[]> m = new LinkedHashMap<>();
        for (WeightVariable w : model.trainableVariables()) m.put(w.name(), Nets.value(session, w));
        return m;
    }

    /** Weights and optimizer slots (the loss scale's own state left out). */
    private static Map<String, float[]> state(Session session, TrainingGraph graph) {
        Map<String, float[]> m = weights(session, graph.model());
        List<Optimizer.Slot> slots = new ArrayList<>(graph.slots());
        slots.removeIf(slot -> TrainingGraph.isLossScaleState(slot.name()));
        for (Optimizer.Slot slot : slots) {
            try (Result r = session.runner().fetch(slot.variable()).run()) {
                m.put(slot.name(), Tensors.floats((TFloat32) r.get(0)));
            }
        }
        return m;
    }

    private static float scalar(Session session, Variable<TFloat32> variable) {
        try (Result r = session.runner().fetch(variable).run()) {
            return ((TFloat32) r.get(0)).getFloat();
        }
    }

    private static void set(Session session, Variable<TFloat32> variable, float value) {
        Ops tf = Ops.create(variable.op().env());
        session.runner().addTarget(tf.assign(variable, tf.constant(value))).run();
    }
}
