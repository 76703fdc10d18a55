package dev.specc.lower;

import static dev.specc.lower.TestModels.size;
import static dev.specc.lower.TestModels.tensor;
import static dev.specc.lower.TestModels.values;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;

/**
 * Compares Graph.addGradients with central finite differences for loss = sum(output * R), R a fixed
 * random tensor; the loss is summed in float64 so that only the float32 forward pass limits the
 * finite differences. Every target (the input, each weight read) is fed on every run, so perturbing
 * one element changes nothing else.
 */
final class GradientChecker {
    /** Elements perturbed per target tensor. */
    private static final int SAMPLES = 20;

    /** What one target came to: the largest |analytic - numeric| over the gradient's largest magnitude. */
    record TargetError(String target, double maxAbsError, double scale) {
        double relative() {
            return maxAbsError / scale;
        }
    }

    private final Graph graph;
    private final Operand<TFloat32> output;
    private final long[] outputShape;
    private final Map<String, Target> targets = new LinkedHashMap<>();
    private final Random random;

    private record Target(Operand<TFloat32> operand, long[] shape, float[] values) {
    }

    GradientChecker(Graph graph, Operand<TFloat32> output, long[] outputShape, long seed) {
        this.graph = graph;
        this.output = output;
        this.outputShape = outputShape;
        this.random = new Random(seed);
    }

    GradientChecker target(String name, Operand<TFloat32> operand, long[] shape, float[] values) {
        targets.put(name, new Target(operand, shape, values));
        return this;
    }

    List<TargetError> check(Session session, double eps) {
        Ops tf = Ops.create(graph).withSubScope("gradient_check");
        double[] weights = new double[size(outputShape)];
        for (int i = 0; i < weights.length; i++) weights[i] = random.nextDouble() * 2 - 1;
        Operand<TFloat64> r = tf.constant(Shape.of(outputShape), DataBuffers.of(weights, true, false));
        int[] allAxes = new int[outputShape.length];
        for (int i = 0; i < allAxes.length; i++) allAxes[i] = i;
        Operand<TFloat64> loss = tf.sum(tf.math.mul(tf.dtypes.cast(output, TFloat64.class), r), tf.constant(allAxes));
        List<Target> list = new ArrayList<>(targets.values());
        Output<?>[] xs = list.stream().map(t -> t.operand().asOutput()).toArray(Output<?>[]::new);
        Output<?>[] grads = graph.addGradients(loss.asOutput(), xs);

        List<float[]> analytic = new ArrayList<>();
        Session.Runner runner = feedAll(session, list, -1, 0, 0f);
        for (Output<?> g : grads) runner.fetch(g);
        try (Result result = runner.run()) {
            for (int i = 0; i < grads.length; i++) analytic.add(values(result.get(i)));
        } finally {
            closeFeeds();
        }

        List<TargetError> errors = new ArrayList<>();
        List<String> names = new ArrayList<>(targets.keySet());
        for (int t = 0; t < list.size(); t++) {
            float[] a = analytic.get(t);
            double scale = 1e-6;
            for (float v : a) scale = Math.max(scale, Math.abs(v));
            double maxError = 0;
            int n = list.get(t).values().length;
            for (int s = 0; s < Math.min(SAMPLES, n); s++) {
                int index = n <= SAMPLES ? s : random.nextInt(n);
                float original = list.get(t).values()[index];
                float up = (float) (original + eps);
                float down = (float) (original - eps);
                double numeric = (loss(session, list, t, index, up, loss) - loss(session, list, t, index, down, loss))
                        / ((double) up - down);
                maxError = Math.max(maxError, Math.abs(numeric - a[index]));
            }
            errors.add(new TargetError(names.get(t), maxError, scale));
        }
        return errors;
    }

    private final List<Tensor> feeds = new ArrayList<>();

    /** Feeds every target; target {@code perturbed} with element {@code index} set to {@code value}. */
    private Session.Runner feedAll(Session session, List<Target> list, int perturbed, int index, float value) {
        Session.Runner runner = session.runner();
        for (int t = 0; t < list.size(); t++) {
            Target target = list.get(t);
            float[] values = target.values();
            if (t == perturbed) {
                values = values.clone();
                values[index] = value;
            }
            TFloat32 tensor = tensor(target.shape(), values);
            feeds.add(tensor);
            runner.feed(target.operand(), tensor);
        }
        return runner;
    }

    private void closeFeeds() {
        feeds.forEach(Tensor::close);
        feeds.clear();
    }

    private double loss(Session session, List<Target> list, int target, int index, float value,
                        Operand<TFloat64> loss) {
        try (Result result = feedAll(session, list, target, index, value).fetch(loss).run()) {
            return ((TFloat64) result.get(0)).getDouble();
        } finally {
            closeFeeds();
        }
    }
}
