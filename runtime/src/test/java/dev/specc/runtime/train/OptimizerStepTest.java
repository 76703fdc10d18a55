package dev.specc.runtime.train;

import static dev.specc.runtime.train.Nets.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specc.config.TrainConfig;
import dev.specc.lower.CompiledModel;
import dev.specc.lower.WeightVariable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * One training step of each optimizer on input [2] -> dense(3, softmax) moves every weight and
 * slot exactly as the textbook update (TensorFlow's Apply* ops) computed from the gradient that
 * the graph gives. Slots start from non-zero values so that the momentum terms show.
 */
class OptimizerStepTest {
    @TempDir
    Path dir;

    static final float[] X = TrainingGraphLossTest.X;
    static final int[] Y = TrainingGraphLossTest.Y;
    static final float LR = 0.1f;

    /** What one step did: gradients, weights and slots before and after, by name. */
    record Step(Map<String, float[]> gradient, Map<String, float[]> before, Map<String, float[]> after,
                Map<String, float[]> slotsBefore, Map<String, float[]> slotsAfter, List<String> slotNames,
                List<String> slotOps) {
    }

    private Step step(String optimizer) throws Exception {
        try (CompiledModel model = Nets.dense(dir, 2, 3, "softmax")) {
            TrainConfig config = Nets.config("optimizer: " + optimizer);
            TrainingGraph graph = new TrainingGraph(model, config);
            List<WeightVariable> weights = model.trainableVariables();
            Output<?>[] reads = weights.stream().map(w -> w.read().asOutput()).toArray(Output<?>[]::new);
            Output<?>[] gradients = model.graph().addGradients("test_gradients",
                    new Output<?>[] {graph.trainLoss().asOutput()}, reads, null);
            Ops tf = Ops.create(model.graph());
            List<Op> slotInits = new ArrayList<>();
            Map<String, float[]> slotsBefore = new LinkedHashMap<>();
            int k = 0;
            for (Optimizer.Slot slot : graph.slots()) {
                int size = 1;
                for (long d : slot.shape()) size *= (int) d;
                float[] v = new float[size];
                for (int i = 0; i < size; i++) v[i] = 0.05f + 0.1f * ((i + k) % 5);
                k++;
                slotsBefore.put(slot.name(), v);
                slotInits.add(tf.assign(slot.variable(), tf.constant(Shape.of(slot.shape()), DataBuffers.of(v))));
            }
            try (Session session = new Session(model.graph())) {
                session.initialize();
                Nets.assign(session, model, Map.of("predictions/kernel", TrainingGraphLossTest.KERNEL,
                        "predictions/bias", TrainingGraphLossTest.BIAS));
                if (!slotInits.isEmpty()) {
                    Session.Runner init = session.runner();
                    slotInits.forEach(init::addTarget);
                    init.run();
                }
                Map<String, float[]> gradient = new LinkedHashMap<>();
                Map<String, float[]> before = new LinkedHashMap<>();
                for (int i = 0; i < weights.size(); i++) {
                    @SuppressWarnings("unchecked")
                    org.tensorflow.Operand<TFloat32> g = (org.tensorflow.Operand<TFloat32>) gradients[i];
                    gradient.put(weights.get(i).name(), Nets.fetch(session, graph, X, Y, g)[0]);
                    before.put(weights.get(i).name(), Nets.value(session, weights.get(i)));
                }
                try (TFloat32 x = TFloat32.tensorOf(Shape.of(4, 2), DataBuffers.of(X, true, false));
                     TInt32 y = TInt32.tensorOf(Shape.of(4), DataBuffers.of(Y, true, false));
                     TFloat32 lr = TFloat32.scalarOf(LR);
                     TFloat32 b1 = TFloat32.scalarOf(graph.optimizer().biasCorrections(1)[0]);
                     TFloat32 b2 = TFloat32.scalarOf(graph.optimizer().biasCorrections(1)[1])) {
                    Session.Runner runner = session.runner().feed(model.input(), x).feed(graph.labels(), y)
                            .feed(graph.learningRate(), lr);
                    if (graph.optimizer().beta1Power() != null) {
                        runner.feed(graph.optimizer().beta1Power(), b1).feed(graph.optimizer().beta2Power(), b2);
                    }
                    graph.stepTargets().forEach(runner::addTarget);
                    runner.run();
                }
                Map<String, float[]> after = new LinkedHashMap<>();
                for (WeightVariable w : weights) after.put(w.name(), Nets.value(session, w));
                Map<String, float[]> slotsAfter = new LinkedHashMap<>();
                for (Optimizer.Slot slot : graph.slots()) {
                    try (Result r = session.runner().fetch(slot.variable()).run()) {
                        slotsAfter.put(slot.name(), Tensors.floats((TFloat32) r.get(0)));
                    }
                }
                return new Step(gradient, before, after, slotsBefore, slotsAfter,
                        graph.slots().stream().map(Optimizer.Slot::name).toList(),
                        graph.slots().stream().map(s -> s.variable().op().name()).toList());
            }
        }
    }

    /** The gradient of the mean cross-entropy: dL/dz = (softmax(z) - onehot) / n. */
    private static Map<String, double[]> handGradient() {
        double[][] z = Nets.logits(X, 4, TrainingGraphLossTest.KERNEL, TrainingGraphLossTest.BIAS);
        double[] kernel = new double[6];
        double[] bias = new double[3];
        for (int i = 0; i < 4; i++) {
            double[] p = Nets.softmax(z[i]);
            for (int c = 0; c < 3; c++) {
                double dz = (p[c] - (c == Y[i] ? 1 : 0)) / 4;
                bias[c] += dz;
                for (int f = 0; f < 2; f++) kernel[f * 3 + c] += X[i * 2 + f] * dz;
            }
        }
        return Map.of("predictions/kernel", kernel, "predictions/bias", bias);
    }

    private static void checkGradient(Step s) {
        Map<String, double[]> hand = handGradient();
        for (String name : List.of("predictions/kernel", "predictions/bias")) {
            float[] g = s.gradient().get(name);
            assertEquals(hand.get(name).length, g.length);
            for (int i = 0; i < g.length; i++) assertClose(hand.get(name)[i], g[i], 1e-5, name + " gradient " + i);
        }
    }

    interface Update {
        /** Expected new weight value for element i given weight w, gradient g and the slots' old values. */
        double apply(double w, double g, double[] slots);
    }

    private static void checkWeights(Step s, List<String> slotKinds, Update update) {
        double largestMove = 0;
        for (String name : List.of("predictions/kernel", "predictions/bias")) {
            float[] w = s.before().get(name);
            float[] g = s.gradient().get(name);
            float[] after = s.after().get(name);
            for (int i = 0; i < w.length; i++) {
                double[] slots = new double[slotKinds.size()];
                for (int k = 0; k < slots.length; k++) slots[k] = s.slotsBefore().get("optimizer/" + name + "/" + slotKinds.get(k))[i];
                double expected = update.apply(w[i], g[i], slots);
                largestMove = Math.max(largestMove, Math.abs(expected - w[i]));
                assertClose(expected, after[i], 1e-6, name + "[" + i + "]");
            }
        }
        assertTrue(largestMove > 1e-2, "the step must move the weights well beyond the tolerance: " + largestMove);
    }

    @Test
    void sgdWithoutMomentum() throws Exception {
        Step s = step("{type: sgd}");
        checkGradient(s);
        assertEquals(List.of(), s.slotNames(), "plain SGD has no state");
        checkWeights(s, List.of(), (w, g, slots) -> w - LR * g);
    }

    @Test
    void sgdWithMomentum() throws Exception {
        float m = 0.9f;
        Step s = step("{type: sgd, momentum: 0.9}");
        checkGradient(s);
        assertEquals(List.of("optimizer/predictions/kernel/momentum", "optimizer/predictions/bias/momentum"), s.slotNames());
        checkWeights(s, List.of("momentum"), (w, g, a) -> w - LR * (m * a[0] + g));
        float[] a0 = s.slotsBefore().get("optimizer/predictions/kernel/momentum");
        float[] a1 = s.slotsAfter().get("optimizer/predictions/kernel/momentum");
        for (int i = 0; i < a0.length; i++) {
            assertClose(m * a0[i] + s.gradient().get("predictions/kernel")[i], a1[i], 1e-6, "accumulator " + i);
        }
    }

    @Test
    void sgdWithNesterovMomentum() throws Exception {
        float m = 0.9f;
        Step s = step("{type: sgd, momentum: 0.9, nesterov: true}");
        checkWeights(s, List.of("momentum"), (w, g, a) -> {
            double accumulator = m * a[0] + g;
            return w - LR * g - LR * m * accumulator;
        });
    }

    @Test
    void adamFirstStep() throws Exception {
        float b1 = 0.9f;
        float b2 = 0.999f;
        float eps = 1e-7f;
        Step s = step("{type: adam, learning_rate: 0.1}");
        checkGradient(s);
        assertEquals(List.of("optimizer/predictions/kernel/m", "optimizer/predictions/kernel/v",
                "optimizer/predictions/bias/m", "optimizer/predictions/bias/v"), s.slotNames());
        for (String op : s.slotOps()) assertTrue(op.startsWith("optimizer/"), op);
        float b1Power = (float) Math.pow(0.9, 1);
        float b2Power = (float) Math.pow(0.999, 1);
        double lrT = LR * Math.sqrt(1 - b2Power) / (1 - b1Power);
        checkWeights(s, List.of("m", "v"), (w, g, slots) -> {
            double m = b1 * slots[0] + (1 - b1) * g;
            double v = b2 * slots[1] + (1 - b2) * g * g;
            return w - lrT * m / (Math.sqrt(v) + eps);
        });
        float[] v0 = s.slotsBefore().get("optimizer/predictions/bias/v");
        float[] v1 = s.slotsAfter().get("optimizer/predictions/bias/v");
        float[] g = s.gradient().get("predictions/bias");
        for (int i = 0; i < v0.length; i++) assertClose(b2 * v0[i] + (1 - b2) * g[i] * g[i], v1[i], 1e-6, "v " + i);
    }

    @Test
    void rmsprop() throws Exception {
        float rho = 0.9f;
        float momentum = 0.5f;
        float eps = 1e-7f;
        Step s = step("{type: rmsprop, learning_rate: 0.1, momentum: 0.5}");
        checkGradient(s);
        assertEquals(List.of("optimizer/predictions/kernel/rms", "optimizer/predictions/kernel/momentum",
                "optimizer/predictions/bias/rms", "optimizer/predictions/bias/momentum"), s.slotNames());
        checkWeights(s, List.of("rms", "momentum"), (w, g, slots) -> {
            double ms = rho * slots[0] + (1 - rho) * g * g;
            double mom = momentum * slots[1] + LR * g / Math.sqrt(ms + eps);
            return w - mom;
        });
    }

    @Test
    void plainSgdHasNoBetaPowers() throws Exception {
        try (CompiledModel model = Nets.dense(dir, 2, 3, "softmax")) {
            TrainingGraph graph = new TrainingGraph(model, Nets.config("optimizer: {type: sgd}"));
            assertNull(graph.optimizer().beta1Power());
            assertEquals(2, graph.stepTargets().size(), "one update per trainable weight, no batch norm");
        }
    }
}
