package dev.specc.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.specc.lower.CompiledModel;
import dev.specc.lower.WeightVariable;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * Keras 2 HDF5 weight files in and out. The fixtures in src/test/resources/keras-h5 were written by
 * make_fixtures.py there with h5py alone, laid out as Keras' save_weights and save write them, with
 * the softmax output NumPy computed from the same weights.
 */
class KerasH5WeightsTest {
    @TempDir
    Path dir;

    private static Path fixture(Path dir, String name) throws IOException {
        Path copy = dir.resolve(name);
        try (InputStream in = KerasH5WeightsTest.class.getResourceAsStream("/keras-h5/" + name)) {
            Files.copy(in, copy);
        }
        return copy;
    }

    private static float[] output(Session session, float[] input, int batch) {
        try (TFloat32 in = TFloat32.tensorOf(Shape.of(batch, TinyModel.SIZE, TinyModel.SIZE, TinyModel.CHANNELS),
                DataBuffers.of(input));
             Result result = session.runner().feed("input", in).fetch("output").run()) {
            TFloat32 out = (TFloat32) result.get(0);
            float[] values = new float[(int) out.size()];
            out.copyTo(DataBuffers.of(values, false, false));
            return values;
        }
    }

    @Test
    void keras2WeightAndFullModelFilesWrittenByH5pyGiveTheOutputsOfTheirWeights() throws Exception {
        JsonNode expected = new ObjectMapper().readTree(fixture(dir, "tiny_expected.json").toFile());
        float[] input = new float[expected.get("input").size()];
        for (int i = 0; i < input.length; i++) input[i] = (float) expected.get("input").get(i).asDouble();
        for (String name : List.of("tiny_weights.h5", "tiny_model.h5")) {
            Map<String, Tensor> file = KerasH5Weights.read(fixture(dir, name));
            assertEquals(List.of("conv1_conv/kernel", "conv1_conv/bias", "conv1_bn/gamma", "conv1_bn/beta",
                    "conv1_bn/moving_mean", "conv1_bn/moving_variance", "predictions/kernel", "predictions/bias"),
                    List.copyOf(file.keySet()), name + ": weightless layers add nothing, optimizer_weights are not read");
            try (CompiledModel model = TinyModel.compile(dir, 3); Session session = new Session(model.graph())) {
                session.initialize();
                LoadReport report = new WeightIO(model.graph()).load(session, TinyModel.allVariables(model), file, false);
                assertEquals("loaded all 8 weights", report.toString());
                float[] probabilities = output(session, input, 2);
                for (int i = 0; i < probabilities.length; i++) {
                    assertEquals(expected.get("probabilities").get(i).asDouble(), probabilities[i], 1e-5, name + " output " + i);
                }
            }
        }
    }

    @Test
    void anExportReadsBackBitForBitAndGivesIdenticalOutputs() throws Exception {
        Path file = dir.resolve("tiny.h5");
        float[] input = TinyModel.randomInput(4, 9);
        float[] original;
        Map<String, Tensor> weights;
        try (CompiledModel model = TinyModel.compile(dir, 3); Session session = new Session(model.graph())) {
            List<WeightVariable> variables = TinyModel.allVariables(model);
            new WeightIO(model.graph()).assign(session, variables, TinyModel.randomWeights(variables, 5));
            weights = WeightIO.fetch(session, variables);
            KerasH5Weights.write(file, weights);
            original = output(session, input, 4);
        }
        assertTrue(KerasH5Weights.isHdf5(file));
        Map<String, Tensor> read = KerasH5Weights.read(file);
        assertEquals(weights, read);
        try (CompiledModel model = TinyModel.compile(dir, 3); Session session = new Session(model.graph())) {
            session.initialize();
            new WeightIO(model.graph()).load(session, TinyModel.allVariables(model), read, false);
            assertArrayEquals(original, output(session, input, 4), 0f);
        }
        try (HdfFile hdf = new HdfFile(file)) {
            assertArrayEquals(new String[] {"conv1_conv", "conv1_bn", "predictions"},
                    (String[]) hdf.getAttribute("layer_names").getData());
            assertArrayEquals(new String[] {"conv1_bn/gamma:0", "conv1_bn/beta:0", "conv1_bn/moving_mean:0",
                    "conv1_bn/moving_variance:0"}, (String[]) hdf.getChild("conv1_bn").getAttribute("weight_names").getData(),
                    "Keras' order within a layer, trainable weights first");
            assertEquals("2.15.0", hdf.getAttribute("keras_version").getData());
            assertEquals("tensorflow", hdf.getAttribute("backend").getData());
            assertArrayEquals(new int[] {3, 3, 2, 3}, hdf.getDatasetByPath("conv1_conv/conv1_conv/kernel:0").getDimensions());
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList(),
                    "the temporary file is gone");
        }
    }

    @Test
    void missingExtraAndMisShapedWeightsAreListedAndNonKerasFilesNamed() throws Exception {
        Path file = dir.resolve("wrong.h5");
        try (WritableHdfFile hdf = HdfFile.write(file)) {
            hdf.putAttribute("layer_names", new String[] {"conv1_conv", "extra"});
            WritableGroup conv = hdf.putGroup("conv1_conv");
            conv.putAttribute("weight_names", new String[] {"conv1_conv/kernel:0", "conv1_conv/bias:0"});
            conv.putGroup("conv1_conv").putDataset("kernel:0", new float[3][3][2][4]);
            ((WritableGroup) conv.getChild("conv1_conv")).putDataset("bias:0", new float[3]);
            WritableGroup extra = hdf.putGroup("extra");
            extra.putAttribute("weight_names", new String[] {"extra/kernel:0"});
            extra.putGroup("extra").putDataset("kernel:0", new float[2][2]);
        }
        try (CompiledModel model = TinyModel.compile(dir, 3); Session session = new Session(model.graph())) {
            WeightLoadException e = assertThrows(WeightLoadException.class, () -> new WeightIO(model.graph())
                    .load(session, TinyModel.allVariables(model), KerasH5Weights.read(file), false));
            String report = e.getMessage();
            assertTrue(report.startsWith("the weights do not match the model (6 missing, 1 unexpected, 1 with another shape)"),
                    report);
            assertTrue(report.contains("\n    conv1_bn/gamma [3]\n"), report);
            assertTrue(report.contains("in the file but not in the model:\n    extra/kernel [2, 2]\n"), report);
            assertTrue(report.contains("conv1_conv/kernel [3, 3, 2, 3] (file has [3, 3, 2, 4])"), report);
        }

        Path noLayers = dir.resolve("plain.h5");
        try (WritableHdfFile hdf = HdfFile.write(noLayers)) {
            hdf.putDataset("x", new float[] {1});
        }
        IOException notKeras = assertThrows(IOException.class, () -> KerasH5Weights.read(noLayers));
        assertEquals(noLayers + ": no layer_names attribute at / or /model_weights, so not a Keras 2 weight file "
                + "(model.save_weights('x.h5') or model.save('x.h5'); Keras 3's .weights.h5 layout is not read)",
                notKeras.getMessage());
        Path safetensors = dir.resolve("w.safetensors");
        Safetensors.write(safetensors, Map.of("a/b", Tensor.ofFloats(new long[] {1}, 1)));
        assertFalse(KerasH5Weights.isHdf5(safetensors));
        IOException notHdf5 = assertThrows(IOException.class, () -> KerasH5Weights.read(safetensors));
        assertEquals(safetensors + ": not an HDF5 file (no HDF5 signature)", notHdf5.getMessage());
    }

    @Test
    void layerNamesSplitAsKerasSplitsLongAttributesAreReadAsOne() throws Exception {
        Path file = dir.resolve("split.h5");
        try (WritableHdfFile hdf = HdfFile.write(file)) {
            hdf.putAttribute("layer_names0", new String[] {"a"});
            hdf.putAttribute("layer_names1", new String[] {"b"});
            for (String layer : List.of("a", "b")) {
                WritableGroup group = hdf.putGroup(layer);
                group.putAttribute("weight_names", new String[] {layer + "/bias:0"});
                group.putGroup(layer).putDataset("bias:0", new float[] {layer.equals("a") ? 1f : 2f});
            }
        }
        Map<String, Tensor> read = KerasH5Weights.read(file);
        assertEquals(List.of("a/bias", "b/bias"), List.copyOf(read.keySet()));
        assertEquals(Tensor.ofFloats(new long[] {1}, 2f), read.get("b/bias"));
    }

    @Test
    void kerasWeightNamesBecomeSpeccNames() {
        assertEquals("conv1_conv/kernel", KerasH5Weights.speccName("conv1_conv", "conv1_conv/kernel:0"));
        assertEquals("conv1_conv/kernel", KerasH5Weights.speccName("resnet50", "resnet50/conv1_conv/kernel:0"));
        assertEquals("dense_1/W", KerasH5Weights.speccName("dense_1", "W:0"));
        assertEquals("bn/moving_variance", KerasH5Weights.speccName("bn", "bn/moving_variance"));
    }

    @Test
    void writingRefusesWhatKerasLayoutCannotHold() {
        Map<String, Tensor> scalar = new LinkedHashMap<>();
        scalar.put("nolayer", Tensor.ofFloats(new long[] {1}, 1));
        assertThrows(IllegalArgumentException.class, () -> KerasH5Weights.write(dir.resolve("x.h5"), scalar));
        assertFalse(Files.exists(dir.resolve("x.h5")));
    }

    /**
     * A Keras file cut short or with bytes overwritten: jhdf fails in its own ways (an index, a buffer,
     * a cast), and every one is reported as the file's format problem, never as an internal error.
     */
    @Test
    void aDamagedKerasFileIsAFormatErrorNamingTheFileWhateverJhdfThrows() throws IOException {
        Path whole = dir.resolve("whole.h5");
        KerasH5Weights.write(whole, Map.of("conv/kernel", Tensor.ofFloats(new long[] {2, 2}, 1, 2, 3, 4),
                "conv/bias", Tensor.ofFloats(new long[] {2}, 5, 6)));
        byte[] bytes = Files.readAllBytes(whole);
        int runtimeFailures = 0;
        for (int at = 8; at < bytes.length; at += 7) {
            byte[] damaged = bytes.clone();
            for (int i = at; i < Math.min(at + 4, damaged.length); i++) damaged[i] = (byte) 0xff;
            Path file = Files.write(dir.resolve("damaged.h5"), damaged);
            try {
                KerasH5Weights.read(file);
            } catch (dev.specc.diag.FileFormatException e) {
                assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
                if (e.getMessage().contains("cannot be read as a Keras weight file: ")) runtimeFailures++;
            }
        }
        assertTrue(runtimeFailures > 0, "some damage makes jhdf throw other than HdfException");
    }
}
