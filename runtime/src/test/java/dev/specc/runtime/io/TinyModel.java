package dev.specc.runtime.io;

import dev.specc.Pipeline;
import dev.specc.diag.SpecException;
import dev.specc.lower.CompiledModel;
import dev.specc.lower.GraphLowerer;
import dev.specc.lower.WeightVariable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** A conv + batch norm + dense network compiled from a spec file, small enough for fast tests. */
final class TinyModel {
    static final int SIZE = 5;
    static final int CHANNELS = 2;

    private TinyModel() {
    }

    static CompiledModel compile(Path dir, int classes) throws IOException, SpecException {
        Path spec = dir.resolve("tiny_" + classes + ".yaml");
        Files.writeString(spec, String.join("\n",
                "specc: 1",
                "name: tiny",
                "input: {shape: [" + SIZE + ", " + SIZE + ", " + CHANNELS + "]}",
                "stem:",
                "  - {kind: conv2d, name: conv1_conv, filters: 3, kernel: 3}",
                "  - {kind: batch_norm, name: conv1_bn}",
                "  - {kind: relu, name: conv1_relu}",
                "head:",
                "  - {kind: global_avg_pool, name: avg_pool}",
                "  - {kind: dense, name: predictions, units: " + classes + ", activation: softmax}",
                ""));
        return new GraphLowerer().lower(Pipeline.analyze(spec, Pipeline.Options.DEFAULT));
    }

    static List<WeightVariable> allVariables(CompiledModel model) {
        List<WeightVariable> all = new ArrayList<>(model.trainableVariables());
        all.addAll(model.nonTrainableVariables());
        return all;
    }

    /** Random values for every variable; variances positive so batch norm stays finite. */
    static Map<String, Tensor> randomWeights(List<WeightVariable> variables, long seed) {
        Random random = new Random(seed);
        Map<String, Tensor> values = new LinkedHashMap<>();
        for (WeightVariable v : variables) {
            float[] data = new float[(int) v.spec().elements()];
            boolean positive = v.name().endsWith("moving_variance");
            for (int i = 0; i < data.length; i++) {
                data[i] = positive ? 0.5f + random.nextFloat() : (float) random.nextGaussian();
            }
            values.put(v.name(), Tensor.ofFloats(v.spec().shape(), data));
        }
        return values;
    }

    static float[] randomInput(int batch, long seed) {
        Random random = new Random(seed);
        float[] input = new float[batch * SIZE * SIZE * CHANNELS];
        for (int i = 0; i < input.length; i++) input[i] = (float) random.nextGaussian();
        return input;
    }
}
