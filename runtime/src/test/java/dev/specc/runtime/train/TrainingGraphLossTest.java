package dev.specc.runtime.train;

import static dev.specc.runtime.train.Nets.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specc.lower.CompiledModel;
import dev.specc.lower.WeightVariable;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Output;
import org.tensorflow.Session;

/** The training graph's losses against the formulas, on dense networks whose logits are known. */
class TrainingGraphLossTest {
    @TempDir
    Path dir;

    static final float[] KERNEL = {0.5f, -1.0f, 2.0f, 1.5f, 0.25f, -0.75f};   // [2, 3]
    static final float[] BIAS = {0.1f, -0.2f, 0.3f};
    static final float[] X = {1.0f, 2.0f, -1.0f, 0.5f, 3.0f, -2.0f, 0.0f, 0.0f};  // 4 examples
    static final int[] Y = {0, 2, 1, 2};

    /** Mean categorical cross-entropy with Keras' label smoothing (targets (1 - s) * onehot + s / K). */
    static double categorical(double smoothing) {
        double[][] z = Nets.logits(X, 4, KERNEL, BIAS);
        double total = 0;
        for (int i = 0; i < 4; i++) {
            double[] p = Nets.softmax(z[i]);
            for (int c = 0; c < 3; c++) {
                double target = (c == Y[i] ? 1 - smoothing : 0) + smoothing / 3;
                total -= target * Math.log(p[c]);
            }
        }
        return total / 4;
    }

    private float[] categoricalLosses(String train) throws Exception {
        try (CompiledModel model = Nets.dense(dir, 2, 3, "softmax")) {
            TrainingGraph graph = new TrainingGraph(model, Nets.config(train));
            assertEquals(TrainingGraph.Loss.CATEGORICAL_CROSSENTROPY, graph.loss());
            assertEquals(3, graph.classes());
            try (Session session = new Session(model.graph())) {
                session.initialize();
                Nets.assign(session, model, Map.of("predictions/kernel", KERNEL, "predictions/bias", BIAS));
                float[][] out = Nets.fetch(session, graph, X, Y, graph.dataLoss(), graph.trainLoss(), graph.evalLoss());
                return new float[] {out[0][0], out[1][0], out[2][0]};
            }
        }
    }

    @Test
    void categoricalCrossEntropyIsTheFormula() throws Exception {
        float[] losses = categoricalLosses("epochs: 1");
        double expected = categorical(0);
        assertTrue(expected > 0.5, "a loss worth comparing: " + expected);
        assertClose(expected, losses[0], 1e-5, "data loss");
        assertClose(expected, losses[1], 1e-5, "train loss without weight decay");
        assertClose(expected, losses[2], 1e-5, "eval loss");
    }

    @Test
    void labelSmoothingChangesTheTargetsOfTheTrainingLossOnly() throws Exception {
        float[] losses = categoricalLosses("label_smoothing: 0.2");
        double smoothed = categorical(0.2);
        assertTrue(Math.abs(smoothed - categorical(0)) > 0.05, "smoothing must matter for this data");
        assertClose(smoothed, losses[0], 1e-5, "data loss");
        assertClose(smoothed, losses[1], 1e-5, "train loss");
        assertClose(categorical(0), losses[2], 1e-5, "eval loss is not smoothed");
    }

    static double softplus(double t) {
        return Math.max(t, 0) + Math.log1p(Math.exp(-Math.abs(t)));
    }

    @Test
    void binaryCrossEntropyIsTheFormulaEvenForLargeLogits() throws Exception {
        // kernel [1, 0], bias 0: the logit is the first feature.
        float[] logits = {-3f, 0.5f, 2f, 60f, -60f, 80f, -90f};
        int[] labels = {0, 1, 1, 0, 1, 1, 0};
        int n = logits.length;
        float[] x = new float[2 * n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = logits[i];
            x[2 * i + 1] = 7f;
        }
        double expected = 0;
        double[] gradient = new double[2];
        for (int i = 0; i < n; i++) {
            double z = labels[i];
            double logP = -softplus(-logits[i]);       // log sigmoid(x)
            double logNotP = -softplus(logits[i]);     // log (1 - sigmoid(x))
            double term = -(z * logP + (1 - z) * logNotP);
            if (Math.abs(logits[i]) < 10) {
                double p = 1 / (1 + Math.exp(-logits[i]));
                assertClose(-(z * Math.log(p) + (1 - z) * Math.log(1 - p)), term, 1e-12, "the textbook form");
            }
            expected += term / n;
            double residual = 1 / (1 + Math.exp(-logits[i])) - z;
            gradient[0] += residual * x[2 * i] / n;
            gradient[1] += residual * x[2 * i + 1] / n;
        }
        try (CompiledModel model = Nets.dense(dir, 2, 1, "sigmoid")) {
            TrainingGraph graph = new TrainingGraph(model, Nets.config("epochs: 1"));
            assertEquals(TrainingGraph.Loss.BINARY_CROSSENTROPY, graph.loss(), "chosen from the sigmoid");
            WeightVariable kernel = Nets.weight(model, "predictions/kernel");
            Output<?>[] g = model.graph().addGradients("test_gradients", new Output<?>[] {graph.trainLoss().asOutput()},
                    new Output<?>[] {kernel.read().asOutput()}, null);
            try (Session session = new Session(model.graph())) {
                session.initialize();
                Nets.assign(session, model, Map.of("predictions/kernel", new float[] {1, 0}, "predictions/bias", new float[] {0}));
                @SuppressWarnings("unchecked")
                float[][] out = Nets.fetch(session, graph, x, labels, graph.dataLoss(), graph.evalLoss(),
                        (org.tensorflow.Operand<org.tensorflow.types.TFloat32>) g[0]);
                assertTrue(Float.isFinite(out[0][0]) && Float.isFinite(out[1][0]), "finite losses");
                assertClose(expected, out[0][0], 1e-5, "train loss");
                assertClose(expected, out[1][0], 1e-5, "eval loss");
                assertClose(gradient[0], out[2][0], 1e-5, "dL/dkernel[0]");
                assertClose(gradient[1], out[2][1], 1e-5, "dL/dkernel[1]");
            }
        }
    }

    @Test
    void binaryLabelSmoothingMovesTargetsTowardsOneHalf() throws Exception {
        float[] logits = {-1f, 2f, 0.5f};
        int[] labels = {0, 1, 0};
        double s = 0.2;
        double expected = 0;
        for (int i = 0; i < 3; i++) {
            double z = labels[i] * (1 - s) + s / 2;
            expected += (softplus(logits[i]) - logits[i] * z) / 3;
        }
        float[] x = {logits[0], 0, logits[1], 0, logits[2], 0};
        try (CompiledModel model = Nets.dense(dir, 2, 1, "sigmoid")) {
            TrainingGraph graph = new TrainingGraph(model, Nets.config("loss: binary_crossentropy\nlabel_smoothing: 0.2"));
            try (Session session = new Session(model.graph())) {
                session.initialize();
                Nets.assign(session, model, Map.of("predictions/kernel", new float[] {1, 0}, "predictions/bias", new float[] {0}));
                assertClose(expected, Nets.fetch(session, graph, x, labels, graph.dataLoss())[0][0], 1e-5, "smoothed loss");
            }
        }
    }

    static final String TWO_LAYERS = """
            specc: 1
            name: two
            input: {shape: [2]}
            head:
              - {kind: dense, name: hidden, units: 3}
              - {kind: dense, name: predictions, units: 2, activation: softmax}
            """;

    static final float[] HIDDEN_KERNEL = {0.5f, -1.0f, 2.0f, 1.5f, 0.25f, -0.75f};
    static final float[] PREDICTIONS_KERNEL = {1.0f, -2.0f, 0.5f, 0.5f, -1.5f, 3.0f};

    static double sumOfSquares(float[] w) {
        double s = 0;
        for (float v : w) s += (double) v * v;
        return s;
    }

    /** train_loss - data_loss for a train: section on the two-layer network. */
    private double penalty(String train) throws Exception {
        try (CompiledModel model = Nets.compile(dir, "two", TWO_LAYERS)) {
            TrainingGraph graph = new TrainingGraph(model, Nets.config(train));
            try (Session session = new Session(model.graph())) {
                session.initialize();
                // Large biases: a penalty that included them would be far off.
                Nets.assign(session, model, Map.of("hidden/kernel", HIDDEN_KERNEL, "hidden/bias", new float[] {5, 5, 5},
                        "predictions/kernel", PREDICTIONS_KERNEL, "predictions/bias", new float[] {-4, 4}));
                float[][] out = Nets.fetch(session, graph, new float[] {1, 2, 3, 4}, new int[] {0, 1},
                        graph.trainLoss(), graph.dataLoss());
                return (double) out[0][0] - out[1][0];
            }
        }
    }

    @Test
    void weightDecayAddsDecayTimesTheSquaredKernelsOnly() throws Exception {
        double hidden = sumOfSquares(HIDDEN_KERNEL);
        double predictions = sumOfSquares(PREDICTIONS_KERNEL);
        assertClose(0.01 * (hidden + predictions), penalty("weight_decay: 0.01"), 1e-5, "global decay");
        assertClose(0.01 * hidden + 0.5 * predictions,
                penalty("weight_decay: 0.01\nlayer_weight_decay: {\"pred*\": 0.5}"), 1e-5, "glob override");
        assertClose(0.2 * predictions,
                penalty("layer_weight_decay: {predictions: 0.2}"), 1e-5, "per layer without a global decay");
        assertClose(0.01 * predictions,
                penalty("weight_decay: 0.01\nlayer_weight_decay: {hidden: 0}"), 1e-5, "a layer exempted");
        assertEquals(0.0, penalty("epochs: 1"), "no decay, no penalty");
    }

    @Test
    void aLossThatDoesNotFitTheOutputIsAnInternalErrorSinceTheSpecsCheckReportsIt() throws Exception {
        try (CompiledModel model = Nets.dense(dir, 2, 3, "softmax")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new TrainingGraph(model, Nets.config("loss: binary_crossentropy")));
            assertEquals("train.loss binary_crossentropy does not fit a network that ends in softmax; Pipeline.check "
                    + "reports this", e.getMessage());
        }
        try (CompiledModel model = Nets.dense(dir, 2, 3, "relu")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new TrainingGraph(model, Nets.config("epochs: 1")));
            assertTrue(e.getMessage().startsWith("train.loss (unset) does not fit"), e.getMessage());
        }
    }
}
