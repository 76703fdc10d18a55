package dev.specc.runtime.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The built-in mappings against the real networks: every tensor name and shape of torchvision's and
 * fyu/drn's state dicts (listed by make_fixtures.py in compiler's torch_names.json) lands on a
 * variable of the shipped spec with that variable's shape, and every variable gets one.
 */
class BuiltInMappingsTest {
    private static final Path NAMES = Path.of("../compiler/src/test/resources/weights/torch_names.json");

    /** The file's names and shapes (zeros) as listed in torch_names.json. */
    static Map<String, Tensor> stateDict(String network) throws IOException {
        JsonNode shapes = new ObjectMapper().readTree(NAMES.toFile()).get(network);
        Map<String, Tensor> file = new LinkedHashMap<>();
        for (var it = shapes.fields(); it.hasNext(); ) {
            var e = it.next();
            long[] shape = new long[e.getValue().size()];
            for (int i = 0; i < shape.length; i++) shape[i] = e.getValue().get(i).asLong();
            file.put(e.getKey(), e.getKey().endsWith("num_batches_tracked") ? Tensor.ofLongs(shape, 0)
                    : Tensor.ofFloats(shape, new float[(int) Arrays.stream(shape).reduce(1, Math::multiplyExact)]));
        }
        return file;
    }

    static WeightMapper.Mapped mapped(String mapping, String network, Analysis analysis) throws IOException {
        return WeightMapper.apply(WeightMappings.builtIn(mapping), stateDict(network), TargetLayers.of(analysis));
    }

    /** "missing: ..., unexpected: ..., mismatched: ..." for the file's names and shapes mapped onto the spec. */
    static String fit(String mapping, String network, String spec) throws IOException, SpecException {
        Analysis analysis = Pipeline.analyze(Path.of("..").resolve(spec), Pipeline.Options.DEFAULT);
        Map<String, Tensor> mapped = mapped(mapping, network, analysis).tensors();
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

    private static final Pattern DRN_NAME = Pattern.compile(
            "(?:(conv1|bn1|fc)|layer(\\d)\\.(\\d+)(?:\\.downsample\\.([01])|\\.(\\w+))?)\\.(\\w+)");
    private static final Map<String, String> BN = Map.of(
            "weight", "gamma", "bias", "beta", "running_mean", "moving_mean", "running_var", "moving_variance");

    /**
     * drn.py's state-dict name to specc's, written independently of the mapping's rules: the spec's naming
     * ({@code layerN.i.conv1} is {@code layerN_block{i+1}_conv1}, downsample.0/1 are _downsample_conv/_bn, a
     * DRN-D level's {@code layerN.{3j}} and {@code .{3j+1}} are {@code layerN_block{j+1}_conv} and {@code _bn}).
     */
    static String drnName(String torchName) {
        Matcher m = DRN_NAME.matcher(torchName);
        assertTrue(m.matches(), torchName);
        String layer;
        if (m.group(1) != null) {
            layer = m.group(1);
        } else {
            int index = Integer.parseInt(m.group(3));
            String prefix = "layer" + m.group(2) + "_block";
            if (m.group(4) != null) layer = prefix + (index + 1) + "_downsample_" + (m.group(4).equals("0") ? "conv" : "bn");
            else if (m.group(5) != null) layer = prefix + (index + 1) + "_" + m.group(5);
            else layer = prefix + (index / 3 + 1) + "_" + (index % 3 == 0 ? "conv" : "bn");
        }
        boolean batchNorm = layer.endsWith("_bn") || layer.matches(".*bn\\d");
        String parameter = m.group(6);
        return layer + "/" + (batchNorm ? BN.get(parameter) : parameter.equals("weight") ? "kernel" : parameter);
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

    @ParameterizedTest
    @ValueSource(strings = {"drn_a_50", "drn_c_26", "drn_c_42", "drn_c_58", "drn_d_22", "drn_d_38", "drn_d_54", "drn_d_105"})
    void fyuDrnFitsEveryDrnSpec(String network) throws Exception {
        assertEquals("missing [], unexpected [], mismatched []", fit("fyu-drn", "fyu/drn " + network, "specs/" + network + ".yaml"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"drn_a_50", "drn_c_26", "drn_c_42", "drn_c_58", "drn_d_22", "drn_d_38", "drn_d_54", "drn_d_105"})
    void fyuDrnGivesEveryStateDictNameTheVariableTheSpecNamesAfterIt(String network) throws Exception {
        Analysis analysis = Pipeline.analyze(Path.of("../specs/" + network + ".yaml"), Pipeline.Options.DEFAULT);
        Map<String, String> expected = new TreeMap<>();
        for (String name : stateDict("fyu/drn " + network).keySet()) {
            if (!name.endsWith(".num_batches_tracked")) expected.put(drnName(name), name);
        }
        assertEquals(expected, new TreeMap<>(mapped("fyu-drn", "fyu/drn " + network, analysis).origins()));
    }

    @Test
    void drnDNamesItsNumberedStemAndConvLevelsByPosition() {
        assertEquals("layer0_block1_conv/kernel", drnName("layer0.0.weight"));
        assertEquals("layer7_block1_bn/moving_variance", drnName("layer7.1.running_var"));
        assertEquals("layer1_block2_conv/kernel", drnName("layer1.3.weight"));
        assertEquals("layer3_block1_downsample_bn/beta", drnName("layer3.0.downsample.1.bias"));
        assertEquals("layer5_block6_bn3/gamma", drnName("layer5.5.bn3.weight"));
        assertEquals("fc/bias", drnName("fc.bias"));
    }
}
