package dev.specc.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.specc.diag.Diagnostics;
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
        WeightMappings.named("fyu_drn", dev.specc.diag.SourcePos.ofFile("--mapping fyu_drn"), null, unknown);
        assertEquals("--mapping fyu_drn:1:1: error: mapping: no built-in mapping 'fyu_drn' (did you mean 'fyu-drn'?); the "
                + "built-in ones are torchvision-resnet, fyu-drn, and a mapping file ends in .yaml", unknown.sorted().get(0).toString());
    }
}
