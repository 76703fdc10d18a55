package dev.specc.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specc.lower.CompiledModel;
import dev.specc.lower.Mode;
import dev.specc.lower.WeightVariable;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/** Per-pixel cross-entropy with ignore_index and class weights, IoU metrics, and the fixed upsampling of DRNSeg. */
class SegmentationTrainingTest {
    private static final int SIZE = 8;
    private static final int CLASSES = 3;

    @TempDir
    Path dir;

    /** 8x8x2 -> 1x1 conv to 3 classes at 4x4 (stride 2) -> fixed bilinear transposed conv x2 -> log_softmax. */
    private CompiledModel net() throws Exception {
        return Nets.compile(dir, "seg", String.join("\n",
                "specc: 1",
                "name: seg",
                "input: {shape: [8, 8, 2]}",
                "head:",
                "  - {kind: conv2d, name: seg, filters: 3, kernel: 2, strides: 2}",
                "  - {kind: conv2d_transpose, name: up, filters: 3, kernel: 4, strides: 2, padding: 1, groups: 3, bias: false,",
                "     initializer: bilinear, trainable: false}",
                "  - {kind: log_softmax, name: softmax}",
                ""));
    }

    private static float[] input(int n, long seed) {
        Random random = new Random(seed);
        float[] x = new float[n * SIZE * SIZE * 2];
        for (int i = 0; i < x.length; i++) x[i] = (float) random.nextGaussian();
        return x;
    }

    private static int[] labels(int n, long seed) {
        Random random = new Random(seed);
        int[] y = new int[n * SIZE * SIZE];
        for (int i = 0; i < y.length; i++) y[i] = random.nextInt(CLASSES);
        return y;
    }

    private static float[][] run(Session session, TrainingGraph graph, float[] x, int[] y, int n) {
        try (TFloat32 in = TFloat32.tensorOf(Shape.of(n, SIZE, SIZE, 2), DataBuffers.of(x, true, false));
             TInt32 labels = TInt32.tensorOf(Shape.of(graph.labelShape(n)), DataBuffers.of(y, true, false));
             Result r = session.runner().feed(graph.model().input(), in).feed(graph.labels(), labels)
                     .fetch(graph.evalLoss()).fetch(graph.model().output(Mode.INFERENCE)).run()) {
            return new float[][] {Tensors.floats((TFloat32) r.get(0)), Tensors.floats((TFloat32) r.get(1))};
        }
    }

    /** The mean of -log p(label) over labelled pixels, weighted, computed from the network's log-probabilities. */
    private static double expectedLoss(float[] logProbabilities, int[] y, double[] weights) {
        double sum = 0;
        double weightSum = 0;
        for (int p = 0; p < y.length; p++) {
            if (y[p] >= CLASSES) continue;
            double w = weights == null ? 1 : weights[y[p]];
            sum -= w * logProbabilities[p * CLASSES + y[p]];
            weightSum += w;
        }
        return sum / weightSum;
    }

    @Test
    void ignoredPixelsChangeNeitherLossNorMetrics() throws Exception {
        try (CompiledModel model = net(); Session session = new Session(model.graph())) {
            TrainingGraph graph = new TrainingGraph(model, Nets.config("optimizer: {type: sgd, learning_rate: 0.1}"));
            assertTrue(graph.segmentation());
            assertArrayEquals(new long[] {2, 8, 8}, graph.labelShape(2));
            session.initialize();
            float[] x = input(2, 1);
            int[] y = labels(2, 2);
            for (int p = 0; p < y.length; p += 5) y[p] = 255;
            float[][] result = run(session, graph, x, y, 2);
            Nets.assertClose(expectedLoss(result[1], y, null), result[0][0], 1e-5, "loss over labelled pixels");

            // The network's scores at ignored pixels play no part: flipping their labels between two
            // values outside the classes, or leaving them labelled as a class, is all the loss sees.
            int[] otherIgnore = y.clone();
            for (int p = 0; p < y.length; p += 5) otherIgnore[p] = 200;
            assertEquals(result[0][0], run(session, graph, x, otherIgnore, 2)[0][0]);
            int[] moreIgnored = y.clone();
            moreIgnored[1] = 255;
            assertFalse(result[0][0] == run(session, graph, x, moreIgnored, 2)[0][0], "an ignored pixel is left out");

            EpochMetrics with = graph.newMetrics(List.of());
            with.add(result[0][0], result[1], y, 2);
            EpochMetrics relabelled = graph.newMetrics(List.of());
            relabelled.add(result[0][0], result[1], otherIgnore, 2);
            assertArrayEquals(with.confusion()[0], relabelled.confusion()[0]);
            assertEquals(with.accuracy(), relabelled.accuracy());
            assertEquals(y.length - (y.length + 4) / 5, with.labelledPixels());
        }
    }

    @Test
    void classWeightsWeighTheMeanAsPyTorchsNllLoss() throws Exception {
        try (CompiledModel model = net(); Session session = new Session(model.graph())) {
            TrainingGraph graph = new TrainingGraph(model, Nets.config("class_weights: [0.2, 1.0, 3.0]"));
            session.initialize();
            int[] y = labels(1, 4);
            y[0] = 255;
            float[][] result = run(session, graph, input(1, 3), y, 1);
            Nets.assertClose(expectedLoss(result[1], y, new double[] {0.2, 1.0, 3.0}), result[0][0], 1e-5, "weighted loss");
        }
    }

    @Test
    void iouFromAHandComputedConfusionMatrix() {
        long[][] confusion = {
                {50, 2, 8},
                {4, 30, 6},
                {0, 0, 0}};
        double[] iou = EpochMetrics.iou(confusion);
        assertEquals(50.0 / (60 + 54 - 50), iou[0], 1e-12);
        assertEquals(30.0 / (40 + 32 - 30), iou[1], 1e-12);
        assertEquals(0.0, iou[2], 1e-12, "predicted 14 times, never labelled: IoU 0");
        assertEquals((iou[0] + iou[1] + iou[2]) / 3, EpochMetrics.meanIou(confusion), 1e-12);
        long[][] absent = {{5, 0}, {0, 0}};
        assertTrue(Double.isNaN(EpochMetrics.iou(absent)[1]));
        assertEquals(1.0, EpochMetrics.meanIou(absent), "a class neither labelled nor predicted is left out of the mean");

        EpochMetrics m = EpochMetrics.segmentation(2);
        // Two pixels: scores favour class 1 then class 0; labels 1, 0, and a third ignored pixel.
        m.add(0.5, new float[] {0.1f, 0.9f, 0.8f, 0.2f, 0.3f, 0.7f}, new int[] {1, 1, 255}, 1);
        assertArrayEquals(new long[] {0, 0}, m.confusion()[0]);
        assertArrayEquals(new long[] {1, 1}, m.confusion()[1]);
        assertEquals(0.5, m.accuracy());
        assertEquals(0.25, m.values("val_").get("val_mean_iou"), 1e-12, "IoU 0 for class 0 and 1/2 for class 1");
    }

    /** The fixed bilinear upsampling is not trained: its kernel is the same after SGD steps that move every other weight. */
    @Test
    void theFixedUpsamplingWeightsDoNotChangeDuringTraining() throws Exception {
        try (CompiledModel model = net(); Session session = new Session(model.graph())) {
            TrainingGraph graph = new TrainingGraph(model, Nets.config("optimizer: {type: sgd, learning_rate: 0.5, momentum: 0.9}"));
            session.initialize();
            WeightVariable up = model.nonTrainableVariables().stream().filter(v -> v.name().equals("up/kernel")).findFirst()
                    .orElseThrow();
            assertEquals(List.of("seg/kernel", "seg/bias"), model.trainableVariables().stream().map(WeightVariable::name).toList());
            float[] upBefore = Nets.value(session, up);
            float[] segBefore = Nets.value(session, Nets.weight(model, "seg/kernel"));
            for (int step = 0; step < 3; step++) {
                try (TFloat32 x = TFloat32.tensorOf(Shape.of(2, SIZE, SIZE, 2), DataBuffers.of(input(2, step), true, false));
                     TInt32 y = TInt32.tensorOf(Shape.of(2, SIZE, SIZE), DataBuffers.of(labels(2, step + 10), true, false));
                     TFloat32 lr = TFloat32.scalarOf(0.5f);
                     TInt64 seed = TInt64.scalarOf(step)) {
                    Session.Runner runner = session.runner().feed(model.input(), x).feed(graph.labels(), y)
                            .feed(graph.learningRate(), lr).feed(model.stepSeed(), seed);
                    graph.stepTargets().forEach(runner::addTarget);
                    runner.run();
                }
            }
            assertArrayEquals(upBefore, Nets.value(session, up));
            assertFalse(Arrays.equals(segBefore, Nets.value(session, Nets.weight(model, "seg/kernel"))), "seg/kernel trained");
            assertEquals(0.0625f, upBefore[0], 1e-6f, "fill_up_weights for kernel 4: (1 - 3/4)^2");
        }
    }
}
