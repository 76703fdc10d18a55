package dev.specc.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.specc.lower.CompiledModel;
import dev.specc.lower.WeightVariable;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Session;

class WeightIOTest {
    @TempDir
    Path dir;

    @Test
    void fetchGivesEveryVariableByNameWithItsInitialValue() throws Exception {
        try (CompiledModel model = TinyModel.compile(dir, 3); Session session = new Session(model.graph())) {
            session.initialize();
            List<WeightVariable> variables = TinyModel.allVariables(model);
            Map<String, Tensor> values = WeightIO.fetch(session, variables);

            assertEquals(variables.stream().map(WeightVariable::name).toList(), List.copyOf(values.keySet()));
            assertEquals(List.of("conv1_conv/kernel", "conv1_conv/bias", "conv1_bn/gamma", "conv1_bn/beta",
                    "predictions/kernel", "predictions/bias", "conv1_bn/moving_mean", "conv1_bn/moving_variance"),
                    List.copyOf(values.keySet()));
            for (WeightVariable v : variables) {
                assertArrayEquals(v.spec().shape(), values.get(v.name()).shape(), v.name());
            }
            assertEquals(Tensor.ofFloats(new long[] {3}, 1, 1, 1), values.get("conv1_bn/moving_variance"));
            assertEquals(Tensor.ofFloats(new long[] {3}, 0, 0, 0), values.get("conv1_bn/beta"));
        }
    }

    @Test
    void assignedValuesAreFetchedBackAndRepeatedLoadsAddNoOps() throws Exception {
        try (CompiledModel model = TinyModel.compile(dir, 3); Session session = new Session(model.graph())) {
            List<WeightVariable> variables = TinyModel.allVariables(model);
            WeightIO io = new WeightIO(model.graph());

            Map<String, Tensor> first = TinyModel.randomWeights(variables, 1);
            io.assign(session, variables, first);
            assertEquals(first, WeightIO.fetch(session, variables));
            long ops = opCount(model.graph());

            Map<String, Tensor> second = TinyModel.randomWeights(variables, 2);
            assertNotEquals(first, second);
            io.assign(session, variables, second);
            assertEquals(second, WeightIO.fetch(session, variables));
            assertEquals(ops, opCount(model.graph()), "the second load reuses the assign ops of the first");
        }
    }

    @Test
    void aValueOfAnotherShapeIsRefusedAndNothingChanges() throws Exception {
        try (CompiledModel model = TinyModel.compile(dir, 3); Session session = new Session(model.graph())) {
            session.initialize();
            List<WeightVariable> variables = TinyModel.allVariables(model);
            Map<String, Tensor> before = WeightIO.fetch(session, variables);
            Map<String, Tensor> values = new LinkedHashMap<>(TinyModel.randomWeights(variables, 1));
            values.put("predictions/bias", Tensor.ofFloats(new long[] {4}, 1, 2, 3, 4));

            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new WeightIO(model.graph()).assign(session, variables, values));
            assertEquals("weight predictions/bias has shape [3], but its value has shape [4]", e.getMessage());
            assertEquals(before, WeightIO.fetch(session, variables));
        }
    }

    @Test
    void partialLoadingForFineTuningKeepsInitialValuesWhereTheFileDoesNotFit() throws Exception {
        Path file = dir.resolve("pretrained.safetensors");
        try (CompiledModel pretrained = TinyModel.compile(dir, 5)) {
            List<WeightVariable> variables = TinyModel.allVariables(pretrained);
            Map<String, Tensor> values = new LinkedHashMap<>(TinyModel.randomWeights(variables, 7));
            values.remove("conv1_bn/moving_mean");
            values.put("extra/kernel", Tensor.ofFloats(new long[] {1, 2}, 1, 2));
            Safetensors.write(file, values);
        }
        try (CompiledModel model = TinyModel.compile(dir, 3); Session session = new Session(model.graph())) {
            session.initialize();
            List<WeightVariable> variables = TinyModel.allVariables(model);
            Map<String, Tensor> initial = WeightIO.fetch(session, variables);
            Map<String, Tensor> fromFile = Safetensors.read(file).tensors();

            LoadReport report = new WeightIO(model.graph()).load(session, variables, fromFile, true);

            assertEquals(String.join("\n",
                    "fine-tuning: loaded 5 of 8 weights; 3 keep their initial values:",
                    "  predictions/kernel [3, 3] (file has [3, 5])",
                    "  predictions/bias [3] (file has [5])",
                    "  conv1_bn/moving_mean [3] (not in the file)",
                    "ignored 1 weight of the file that the model does not have:",
                    "  extra/kernel [1, 2]"), report.toString());
            Map<String, Tensor> now = WeightIO.fetch(session, variables);
            for (String name : List.of("predictions/kernel", "predictions/bias", "conv1_bn/moving_mean")) {
                assertEquals(initial.get(name), now.get(name), name);
            }
            for (String name : List.of("conv1_conv/kernel", "conv1_conv/bias", "conv1_bn/gamma", "conv1_bn/beta",
                    "conv1_bn/moving_variance")) {
                assertEquals(fromFile.get(name), now.get(name), name);
            }
        }
    }

    @Test
    void strictLoadingRefusesAnyMismatchWithTheWholeReport() throws Exception {
        try (CompiledModel model = TinyModel.compile(dir, 3)) {
            List<WeightVariable> variables = TinyModel.allVariables(model);
            Map<String, Tensor> file = new LinkedHashMap<>(TinyModel.randomWeights(variables, 1));
            file.remove("conv1_conv/bias");
            file.put("predictions/kernel", Tensor.ofFloats(new long[] {3, 1}, 1, 2, 3));
            file.put("conv1_bn/gamma", Tensor.ofDoubles(new long[] {3}, 1, 1, 1));
            file.put("fc/kernel", Tensor.ofFloats(new long[] {2}, 1, 2));

            WeightLoadException e = assertThrows(WeightLoadException.class, () -> WeightIO.match(variables, file, false));
            assertEquals(String.join("\n",
                    "the weights do not match the model (1 missing, 1 unexpected, 2 with another shape); nothing was loaded",
                    "  missing from the file:",
                    "    conv1_conv/bias [3]",
                    "  in the file but not in the model:",
                    "    fc/kernel [2]",
                    "  with another shape in the file:",
                    "    conv1_bn/gamma [3] (file has F64 [3])",
                    "    predictions/kernel [3, 3] (file has [3, 1])",
                    "to fine-tune, load partially: missing and mismatched weights then keep their initial values"),
                    e.getMessage());
            assertEquals(5, e.report().loaded().size());
        }
    }

    @Test
    void aMatchingFileLoadsCompletelyAndAnUnrelatedOneIsRefusedEvenWhenPartial() throws Exception {
        try (CompiledModel model = TinyModel.compile(dir, 3)) {
            List<WeightVariable> variables = TinyModel.allVariables(model);
            assertEquals("loaded all 8 weights",
                    WeightIO.match(variables, TinyModel.randomWeights(variables, 1), false).toString());

            Map<String, Tensor> unrelated = Map.of("dense/kernel", Tensor.ofFloats(new long[] {1}, 1));
            WeightLoadException e = assertThrows(WeightLoadException.class, () -> WeightIO.match(variables, unrelated, true));
            assertEquals("none of the 1 weights in the file fits the model's 8 weights by name and shape; "
                    + "is it the weight file of another network?", e.getMessage().lines().findFirst().orElseThrow());
        }
    }

    private static long opCount(Graph graph) {
        long n = 0;
        for (Iterator<?> it = graph.operations(); it.hasNext(); it.next()) n++;
        return n;
    }
}
