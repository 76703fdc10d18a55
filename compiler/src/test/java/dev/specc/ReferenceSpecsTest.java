package dev.specc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.specc.diag.SpecException;
import dev.specc.shapes.Analysis;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The reference networks have exactly the parameter counts of their reference implementations. */
class ReferenceSpecsTest {
    static final Path SPECS = Path.of("..", "specs");

    static Analysis analyze(String name) {
        try {
            return Pipeline.analyze(SPECS.resolve(name), Pipeline.Options.DEFAULT);
        } catch (SpecException e) {
            throw new AssertionError(String.join("\n", e.diagnostics().stream().map(Object::toString).toList()));
        }
    }

    @Test
    void resnet50v2MatchesKeras() {
        Analysis a = analyze("resnet50v2.yaml");
        assertEquals(25_613_800L, a.totalParams());
        assertEquals(25_568_360L, a.trainableParams());
        assertEquals("7x7x2048", a.node("post_relu").output().toString());
        assertEquals("1000", a.output().output().toString());
    }

    @Test
    void resnet50MatchesKeras() {
        Analysis a = analyze("resnet50.yaml");
        assertEquals(25_636_712L, a.totalParams());
        assertEquals(25_583_592L, a.trainableParams());
        assertEquals("56x56x256", a.node("conv2_block3_out").output().toString());
        assertEquals("7x7x2048", a.node("conv5_block3_out").output().toString());
    }

    @Test
    void alexnetHasThe2012Layout() {
        Analysis a = analyze("alexnet.yaml");
        assertEquals("55x55x96", a.node("conv1_conv").output().toString());
        assertEquals("6x6x256", a.node("pool5").output().toString());
        assertEquals(62_378_344L, a.totalParams());
        assertEquals(a.totalParams(), a.trainableParams());
    }

    @Test
    void drnC26() {
        Analysis a = analyze("drn_c_26.yaml");
        assertEquals("28x28x512", a.node("layer8_block1_out").output().toString());
        System.out.println("drn26 " + a.totalParams() + " " + a.trainableParams());
    }

    @Test
    void drnC42() {
        Analysis a = analyze("drn_c_42.yaml");
        System.out.println("drn42 " + a.totalParams() + " " + a.trainableParams());
    }
}
