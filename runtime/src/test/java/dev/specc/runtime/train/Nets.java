package dev.specc.runtime.train;

import dev.specc.Pipeline;
import dev.specc.config.TrainConfig;
import dev.specc.diag.Diagnostics;
import dev.specc.load.SMap;
import dev.specc.load.YamlLoader;
import dev.specc.lower.CompiledModel;
import dev.specc.lower.GraphLowerer;
import dev.specc.lower.WeightVariable;
import dev.specc.runtime.io.Tensor;
import dev.specc.runtime.io.WeightAssigner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** Tiny dense networks whose outputs and losses can be computed by hand, and helpers to run them. */
final class Nets {
    private Nets() {
    }

    static CompiledModel compile(Path dir, String name, String yaml) throws Exception {
        Path spec = dir.resolve(name + ".yaml");
        Files.writeString(spec, yaml);
        return new GraphLowerer().lower(Pipeline.analyze(spec, Pipeline.Options.DEFAULT));
    }

    /** input [features] -> dense(units, activation) named "predictions". */
    static CompiledModel dense(Path dir, int features, int units, String activation) throws Exception {
        return compile(dir, "dense_" + features + "_" + units + "_" + activation, String.join("\n",
                "specc: 1",
                "name: d",
                "input: {shape: [" + features + "]}",
                "head:",
                "  - {kind: dense, name: predictions, units: " + units + ", activation: " + activation + "}",
                ""));
    }

    /** A train: section read like the runtime reads it; fails on any diagnostic. */
    static TrainConfig config(String trainSection) {
        Diagnostics diagnostics = new Diagnostics();
        SMap root = (SMap) new YamlLoader(diagnostics).parse("train.yaml",
                ("train:\n" + trainSection.indent(2)).getBytes(StandardCharsets.UTF_8));
        TrainConfig config = TrainConfig.read(root == null ? null : (SMap) root.get("train"), Map.of(), diagnostics);
        if (diagnostics.hasErrors()) throw new AssertionError(diagnostics.sorted().toString());
        return config;
    }

    static WeightVariable weight(CompiledModel model, String name) {
        return model.trainableVariables().stream().filter(w -> w.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no weight " + name));
    }

    /** Sets weights by name (each given as its flat row-major values). */
    static void assign(Session session, CompiledModel model, Map<String, float[]> values) {
        List<WeightVariable> vars = model.trainableVariables().stream().filter(w -> values.containsKey(w.name())).toList();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (WeightVariable w : vars) tensors.put(w.name(), Tensor.ofFloats(w.spec().shape(), values.get(w.name())));
        new WeightAssigner(model.graph(), vars).assign(session, tensors);
    }

    static float[] value(Session session, WeightVariable w) {
        try (Result r = session.runner().fetch(w.variable()).run()) {
            return Tensors.floats((TFloat32) r.get(0));
        }
    }

    /** Fetches float outputs with the input and labels fed, each in a run of its own (an operand may repeat). */
    static float[][] fetch(Session session, TrainingGraph graph, float[] input, int[] labels,
                           org.tensorflow.Operand<?>... operands) {
        int n = labels.length;
        float[][] out = new float[operands.length][];
        try (TFloat32 x = TFloat32.tensorOf(Shape.of(n, input.length / n), DataBuffers.of(input, true, false));
             TInt32 y = TInt32.tensorOf(Shape.of(n), DataBuffers.of(labels, true, false))) {
            for (int i = 0; i < operands.length; i++) {
                try (Result r = session.runner().feed(graph.model().input(), x).feed(graph.labels(), y)
                        .fetch(operands[i]).run()) {
                    out[i] = Tensors.floats((TFloat32) r.get(0));
                }
            }
        }
        return out;
    }

    /** logits[i][c] = sum_f x[i][f] * kernel[f][c] + bias[c]. */
    static double[][] logits(float[] x, int n, float[] kernel, float[] bias) {
        int features = x.length / n;
        int units = bias.length;
        double[][] z = new double[n][units];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < units; c++) {
                double s = bias[c];
                for (int f = 0; f < features; f++) s += (double) x[i * features + f] * kernel[f * units + c];
                z[i][c] = s;
            }
        }
        return z;
    }

    static double[] softmax(double[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) max = Math.max(max, v);
        double sum = 0;
        double[] p = new double[z.length];
        for (int c = 0; c < z.length; c++) sum += p[c] = Math.exp(z[c] - max);
        for (int c = 0; c < z.length; c++) p[c] /= sum;
        return p;
    }

    static void assertClose(double expected, double actual, double relative, String what) {
        double tolerance = relative * Math.max(1, Math.abs(expected));
        if (!(Math.abs(expected - actual) <= tolerance)) {
            throw new AssertionError(what + ": expected " + expected + " but was " + actual + " (tolerance " + tolerance + ")");
        }
    }
}
