package dev.specc.runtime.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.specc.diag.Diagnostics;
import dev.specc.diag.SpecException;
import dev.specc.weights.WeightMapping;
import dev.specc.weights.WeightMappings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PyTorch state dicts load through a user or a built-in mapping and compute PyTorch's logits; a file
 * that does not fit is refused with every missing, unexpected and mis-shaped weight named.
 */
class PyTorchWeightsLoadTest {
    static final Path FIXTURES = PyTorchCheckpointTest.FIXTURES;

    static WeightMapping mappingFile(Path file) {
        Diagnostics diagnostics = new Diagnostics();
        WeightMapping mapping = WeightMappings.readFile(file, diagnostics);
        assertEquals("[]", diagnostics.sorted().toString());
        return mapping;
    }

    /** specc's logits for the fixture's input against PyTorch's; returns the largest difference over the logits' scale. */
    static double relativeDifference(TorchLogits net, String fixture) throws IOException {
        JsonNode json = new ObjectMapper().readTree(FIXTURES.resolve(fixture + ".json").toFile());
        long[] shape = new long[4];
        for (int i = 0; i < 4; i++) shape[i] = json.get("input_shape").get(i).asLong();
        float[] input = new float[json.get("input").size()];
        for (int i = 0; i < input.length; i++) input[i] = (float) json.get("input").get(i).asDouble();
        float[] logits = net.logits(shape, input);
        JsonNode expected = json.get("logits");
        assertEquals(expected.size(), logits.length);
        double scale = 0;
        double diff = 0;
        for (int i = 0; i < logits.length; i++) {
            scale = Math.max(scale, Math.abs(expected.get(i).asDouble()));
            diff = Math.max(diff, Math.abs(expected.get(i).asDouble() - logits[i]));
        }
        assertTrue(scale > 0.1, "the logits are not trivial: " + scale);
        return diff / scale;
    }

    @Test
    void aStateDictLoadsThroughAUserMappingAndGivesPyTorchsLogits() throws IOException, SpecException {
        // conv2 is 4 -> 4 channels 3x3, a kernel whose in/out swap no shape check sees, and fc reads a channel-first flatten.
        try (TorchLogits net = TorchLogits.load(FIXTURES.resolve("small.yaml"), FIXTURES.resolve("small.pt"),
                mappingFile(FIXTURES.resolve("small.mapping.yaml")))) {
            assertEquals("loaded all 13 weights", net.plan.report().toString());
            assertEquals("PyTorch checkpoint (torch.save), mapping " + FIXTURES.resolve("small.mapping.yaml")
                    + ", 2 tensors that are not weights skipped", net.plan.source());
            assertTrue(relativeDifference(net, "small") < 1e-5);
        }
    }

    @Test
    void aTorchvisionResNetLoadsWithoutNamingAMappingAndGivesPyTorchsLogits() throws IOException, SpecException {
        try (TorchLogits net = TorchLogits.load(FIXTURES.resolve("tiny_resnet.yaml"), FIXTURES.resolve("tiny_resnet.pt"), null)) {
            assertEquals("loaded all 42 weights", net.plan.report().toString());
            assertEquals("PyTorch checkpoint (torch.save), mapping torchvision-resnet, 8 tensors that are not weights skipped",
                    net.plan.source());
            assertTrue(relativeDifference(net, "tiny_resnet") < 1e-5);
        }
    }

    @Test
    void missingUnexpectedAndMisShapedTensorsAreAllListed(@TempDir Path dir) throws IOException {
        // bn2 has no rule (so its four tensors stay under their own names), and conv1 is mapped to a layer that does not exist.
        Path mapping = dir.resolve("wrong.yaml");
        Files.writeString(mapping, """
                layers:
                  - {from: features.0, to: conv0}
                  - {from: features.1, to: bn1}
                  - {from: features.3, to: conv2}
                tensors:
                  - {from: classifier.weight, to: fc/kernel}
                  - {from: classifier.bias, to: fc/bias}
                """);
        Path spec = dir.resolve("wider.yaml");
        Files.writeString(spec, Files.readString(FIXTURES.resolve("small.yaml")).replace("name: conv2, filters: 4", "name: conv2, filters: 6"));
        WeightLoadException e = assertThrows(WeightLoadException.class,
                () -> TorchLogits.load(spec, FIXTURES.resolve("small.pt"), mappingFile(mapping)).close());
        assertEquals("PyTorch checkpoint (torch.save), mapping " + mapping + ", 2 tensors that are not weights skipped: "
                + "the weights do not match the model (5 missing, 5 unexpected, 3 with another shape); nothing was loaded\n"
                + "  missing from the file:\n"
                + "    conv1/kernel [3, 3, 3, 4]\n"
                + "    bn2/gamma [6]\n"
                + "    bn2/beta [6]\n"
                + "    bn2/moving_mean [6]\n"
                + "    bn2/moving_variance [6]\n"
                + "  in the file but not in the model:\n"
                + "    conv0/weight (from features.0.weight) [4, 3, 3, 3]\n"
                + "    features.4.bias [4]\n"
                + "    features.4.running_mean [4]\n"
                + "    features.4.running_var [4]\n"
                + "    features.4.weight [4]\n"
                + "  with another shape in the file:\n"
                + "    conv2/kernel (from features.3.weight) [3, 3, 4, 6] (file has [3, 3, 4, 4])\n"
                + "    conv2/bias (from features.3.bias) [6] (file has [4])\n"
                + "    fc/kernel (from classifier.weight) [96, 5] (file has [64, 5])\n"
                + "the names come from mapping " + mapping + "; `specc weights SPEC` lists the model's weights and "
                + "`specc weights --file FILE` the file's tensors, to write or correct a mapping (--mapping FILE, or "
                + "train.init_from.mapping)", e.getMessage());
    }
}
