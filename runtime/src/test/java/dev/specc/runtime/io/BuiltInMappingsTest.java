package dev.specc.runtime.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.specc.Pipeline;
import dev.specc.diag.SpecException;
import dev.specc.ir.WeightSpec;
import dev.specc.shapes.Analysis;
import dev.specc.shapes.AnalyzedNode;
import dev.specc.weights.WeightMappings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The built-in mappings against the real networks: every tensor name and shape of torchvision's and
 * fyu/drn's state dicts (listed by make_fixtures.py in compiler's torch_names.json) lands on a
 * variable of the shipped spec with that variable's shape, and every variable gets one.
 */
class BuiltInMappingsTest {
    private static final Path NAMES = Path.of("../compiler/src/test/resources/weights/torch_names.json");

    /** "missing: ..., unexpected: ..., mismatched: ..." for the file's names and shapes mapped onto the spec. */
    static String fit(String mapping, String network, String spec) throws IOException, SpecException {
        JsonNode shapes = new ObjectMapper().readTree(NAMES.toFile()).get(network);
        Map<String, Tensor> file = new LinkedHashMap<>();
        for (var it = shapes.fields(); it.hasNext(); ) {
            var e = it.next();
            long[] shape = new long[e.getValue().size()];
            for (int i = 0; i < shape.length; i++) shape[i] = e.getValue().get(i).asLong();
            file.put(e.getKey(), e.getKey().endsWith("num_batches_tracked") ? Tensor.ofLongs(shape, 0)
                    : Tensor.ofFloats(shape, new float[(int) Arrays.stream(shape).reduce(1, Math::multiplyExact)]));
        }
        Analysis analysis = Pipeline.analyze(Path.of("..").resolve(spec), Pipeline.Options.DEFAULT);
        Map<String, Tensor> mapped = WeightMapper.apply(WeightMappings.builtIn(mapping), file, TargetLayers.of(analysis)).tensors();
        List<String> missing = new ArrayList<>();
        List<String> mismatched = new ArrayList<>();
        TreeSet<String> unexpected = new TreeSet<>(mapped.keySet());
        for (AnalyzedNode n : analysis.nodes()) {
            for (WeightSpec w : n.weights()) {
                String name = n.node().name() + "/" + w.name();
                Tensor t = mapped.get(name);
                unexpected.remove(name);
                if (t == null) missing.add(name);
                else if (!Arrays.equals(t.shape(), w.shape())) mismatched.add(name + " " + Arrays.toString(t.shape()));
            }
        }
        return "missing " + missing + ", unexpected " + unexpected + ", mismatched " + mismatched;
    }

    @Test
    void torchvisionResNet18FitsTheResNet18Example() throws Exception {
        assertEquals("missing [], unexpected [], mismatched []", fit("torchvision-resnet", "torchvision resnet18", "examples/resnet18.yaml"));
    }

    @Test
    void torchvisionResNet50FindsEveryNameOfKerasResNet50ButItsConvolutionBiases() throws Exception {
        // Keras' ResNet50 has biases on its convolutions, torchvision's has none (and strides its 3x3, not its first 1x1).
        String fit = fit("torchvision-resnet", "torchvision resnet50", "specs/resnet50.yaml");
        assertEquals(", unexpected [], mismatched []", fit.substring(fit.indexOf(", unexpected")));
        List<String> missing = List.of(fit.substring("missing [".length(), fit.indexOf("], unexpected")).split(", "));
        assertEquals(53, missing.size(), fit);
        assertEquals(List.of(), missing.stream().filter(m -> !m.endsWith("_conv/bias")).toList());
    }

    @Test
    void fyuDrnFitsDrnC26AndDrnC42() throws Exception {
        assertEquals("missing [], unexpected [], mismatched []", fit("fyu-drn", "fyu/drn drn_c_26", "specs/drn_c_26.yaml"));
        assertEquals("missing [], unexpected [], mismatched []", fit("fyu-drn", "fyu/drn drn_c_42", "specs/drn_c_42.yaml"));
    }
}
