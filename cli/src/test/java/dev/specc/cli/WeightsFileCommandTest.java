package dev.specc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.specc.cli.TrainingCommandsTest.Result;
import dev.specc.runtime.io.Safetensors;
import dev.specc.runtime.io.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** specc weights --file: a weight file's own tensors in each format, text and json, and the mistakes around it. */
class WeightsFileCommandTest {
    private static final Path RESOURCES = Path.of("../runtime/src/test/resources").toAbsolutePath().normalize();

    @Test
    void aPyTorchCheckpointIsListedUnderItsOwnNames() throws IOException {
        Result text = TrainingCommandsTest.specc("weights", "--file", RESOURCES.resolve("pytorch/small.pt").toString());
        assertEquals(0, text.code(), text.err());
        String[] lines = text.out().split("\n");
        assertEquals("Name                            Shape         Dtype", lines[0]);
        assertEquals("features.0.weight               [4, 3, 3, 3]  float32", lines[1]);
        assertEquals("features.1.num_batches_tracked  []            int64", lines[6]);
        assertEquals("15 tensors, 615 values (PyTorch checkpoint (torch.save))", lines[lines.length - 1]);

        Result json = TrainingCommandsTest.specc("weights", "--file", RESOURCES.resolve("pytorch/views.pt").toString(),
                "--format", "json");
        assertEquals(0, json.code(), json.err());
        JsonNode root = new ObjectMapper().readTree(json.out());
        assertEquals("pytorch", root.get("format").asText());
        assertEquals("{\"name\":\"f16\",\"shape\":[3,2],\"dtype\":\"float16\"}", root.get("tensors").get(4).toString());
        assertEquals("{\"name\":\"bf16\",\"shape\":[4],\"dtype\":\"bfloat16\"}", root.get("tensors").get(5).toString());
    }

    @Test
    void aKerasH5FileIsListedUnderTheNamesAMappingSees() {
        Result text = TrainingCommandsTest.specc("weights", "--file", RESOURCES.resolve("keras-h5/tiny_model.h5").toString());
        assertEquals(0, text.code(), text.err());
        String[] lines = text.out().split("\n");
        assertEquals("conv1_conv/kernel         [3, 3, 2, 3]  float32", lines[1]);
        assertEquals("8 tensors, 81 values (HDF5 (Keras .h5))", lines[lines.length - 1]);
    }

    @Test
    void aSafetensorsFileIsListedFromItsHeader(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("w.safetensors");
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("fc/kernel", Tensor.ofFloats(new long[] {3, 2}, new float[6]));
        tensors.put("optimizer/step", Tensor.ofLongs(new long[] {}, 12));
        Safetensors.write(file, tensors);
        Result json = TrainingCommandsTest.specc("weights", "--file", file.toString(), "--format", "json");
        assertEquals(0, json.code(), json.err());
        assertEquals("{\"file\":\"" + file + "\",\"format\":\"safetensors\",\"tensors\":[{\"name\":\"optimizer/step\","
                + "\"shape\":[],\"dtype\":\"int64\"},{\"name\":\"fc/kernel\",\"shape\":[3,2],\"dtype\":\"float32\"}]}",
                new ObjectMapper().readTree(json.out()).toString());
    }

    @Test
    void aFileThatIsNoWeightsOrBothOrNeitherArgumentIsAUsageError() {
        Path readme = Path.of("../README.md").toAbsolutePath().normalize();
        Result notWeights = TrainingCommandsTest.specc("weights", "--file", readme.toString());
        assertEquals(2, notWeights.code(), notWeights.err());
        assertTrue(notWeights.err().startsWith("specc: --file " + readme + ": not a weight file specc reads (safetensors, a "
                + "PyTorch checkpoint (torch.save zip) or Keras HDF5 (.h5)): its first bytes are [35, 32,"), notWeights.err());
        Result both = TrainingCommandsTest.specc("weights", "../specs/drn_d_22.yaml", "--file", readme.toString());
        assertEquals(2, both.code(), both.err());
        assertTrue(both.err().contains("give SPEC or --file WEIGHTS, not both"), both.err());
        Result neither = TrainingCommandsTest.specc("weights");
        assertEquals(2, neither.code(), neither.err());
        assertTrue(neither.err().contains("missing SPEC: give the spec whose variables to list, or --file WEIGHTS"), neither.err());
        Result missing = TrainingCommandsTest.specc("weights", "--file", "no-such.pt");
        assertEquals(2, missing.code(), missing.err());
        assertTrue(missing.err().contains("--file no-such.pt: no such file"), missing.err());
    }
}
