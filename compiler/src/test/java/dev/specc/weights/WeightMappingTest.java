package dev.specc.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.specc.diag.Diagnostics;
import dev.specc.load.SMap;
import dev.specc.load.SNode;
import dev.specc.load.YamlLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeightMappingTest {
    @Test
    void patternsCaptureDotFreePartsAndTemplatesDoArithmetic() {
        NamePattern p = NamePattern.parse("layer{S}.{B}.conv{K}");
        assertEquals(Map.of("S", "3", "B", "1", "K", "2"), p.match("layer3.1.conv2").orElseThrow());
        assertEquals(false, p.match("layer3.1.conv2.weight").isPresent());
        NameTemplate t = NameTemplate.parse("conv{S+1}_block{B + 1}_{K}_conv", p.captures());
        assertEquals("conv4_block2_2_conv", t.render(Map.of("S", "3", "B", "1", "K", "2")));
        assertEquals(null, t.render(Map.of("S", "x", "B", "1", "K", "2")), "arithmetic on a non-number matches nothing");
        assertEquals("'{' at 6 is not closed by '}'", assertThrows(IllegalArgumentException.class,
                () -> NamePattern.parse("layer{S.x")).getMessage());
        assertEquals("{S} is captured twice", assertThrows(IllegalArgumentException.class,
                () -> NamePattern.parse("{S}.{S}")).getMessage());
    }

    @Test
    void theBuiltInTorchvisionMappingNamesLayersAndDropsNothingItself() {
        WeightMapping m = WeightMappings.builtIn("torchvision-resnet");
        assertEquals(new WeightMapping.Target.InLayer("conv3_block1_0_conv", "weight"), m.map("layer2.0.downsample.0.weight"));
        assertEquals(new WeightMapping.Target.InLayer("conv1_bn", "running_var"), m.map("bn1.running_var"));
        assertEquals(new WeightMapping.Target.Unmatched(), m.map("head.weight"));
    }

    @Test
    void aMappingFilesMistakesAreReportedAtTheirNodes(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("m.yaml");
        Files.writeString(file, """
                layot: pytorch
                layers:
                  - {from: 'a.{X}', to: 'b{Y}'}
                  - {from: c}
                drop: ['x.*']
                """);
        Diagnostics d = new Diagnostics();
        assertEquals(null, WeightMappings.readFile(file, d));
        assertEquals(List.of(
                file + ":1:1: error: unknown key 'layot' in a weight mapping (did you mean 'layout'?); allowed: doc, drop, "
                        + "extends, layers, layout, tensors",
                file + ":3:25: error: layers.to: {Y} is not captured by the pattern (did you mean 'X'?); it captures X",
                file + ":4:5: error: layers: a rule needs both from: (a pattern of the file's names) and to: (the specc name)"),
                d.sorted().stream().map(Object::toString).toList());
        Diagnostics unknown = new Diagnostics();
        WeightMappings.named("fyu_drn", "--mapping", dev.specc.diag.SourcePos.ofFile("--mapping fyu_drn"), null, unknown);
        assertEquals("--mapping fyu_drn:1:1: error: --mapping: no built-in mapping 'fyu_drn' (did you mean 'fyu-drn'?); the "
                + "built-in ones are torchvision-resnet, fyu-drn, and a mapping file ends in .yaml", unknown.sorted().get(0).toString());
    }

    @Test
    void mistakesInASpecsMappingAreReportedUnderTheirKeyPathInTheSpec(@TempDir Path dir) {
        Diagnostics d = new Diagnostics();
        SNode root = new YamlLoader(d).parse("net.yaml", """
                train:
                  init_from:
                    path: model.pt
                    mapping:
                      layout: pytroch
                      extends: fyu_drn
                      drop: ['']
                      tensors: {from: a, to: b}
                      layers:
                        - {from: 'a.{X}', to: 'b{Y}', too: c}
                      dorp: []
                """.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        SNode mapping = ((SMap) ((SMap) ((SMap) root).get("train")).get("init_from")).get("mapping");
        assertEquals(null, WeightMappings.read(mapping, "train.init_from.mapping", dir.resolve("net.yaml"), d));
        assertEquals(List.of(
                "net.yaml:5:15: error: train.init_from.mapping.layout: unknown value 'pytroch' (did you mean 'pytorch'?); "
                        + "allowed: pytorch, keras",
                "net.yaml:6:16: error: train.init_from.mapping.extends: no built-in mapping 'fyu_drn' (did you mean "
                        + "'fyu-drn'?); the built-in ones are torchvision-resnet, fyu-drn",
                "net.yaml:7:14: error: train.init_from.mapping.drop: an empty pattern matches no name",
                "net.yaml:8:16: error: train.init_from.mapping.tensors: expected a list, got a mapping",
                "net.yaml:10:31: error: train.init_from.mapping.layers.to: {Y} is not captured by the pattern (did you "
                        + "mean 'X'?); it captures X",
                "net.yaml:10:39: error: unknown key 'too' in a train.init_from.mapping.layers rule (did you mean 'to'?); "
                        + "allowed: from, to",
                "net.yaml:11:7: error: unknown key 'dorp' in train.init_from.mapping (did you mean 'drop'?); allowed: doc, "
                        + "drop, extends, layers, layout, tensors"),
                d.sorted().stream().map(Object::toString).toList());

        Diagnostics named = new Diagnostics();
        SNode name = ((SMap) new YamlLoader(named).parse("net.yaml", "mapping: fyu_drn\n".getBytes(
                java.nio.charset.StandardCharsets.UTF_8))).get("mapping");
        assertEquals(null, WeightMappings.read(name, "train.init_from.mapping", dir.resolve("net.yaml"), named));
        assertEquals("net.yaml:1:10: error: train.init_from.mapping: no built-in mapping 'fyu_drn' (did you mean 'fyu-drn'?); "
                + "the built-in ones are torchvision-resnet, fyu-drn, and a mapping file ends in .yaml",
                named.sorted().get(0).toString());
    }
}
