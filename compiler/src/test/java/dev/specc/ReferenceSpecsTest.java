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

    /**
     * Multiply-accumulates of convolutions and dense layers of the Keras ResNet50 at 224x224x3,
     * from compiler/src/test/reference/reference_counts.py: the network written again in PyTorch
     * (stride on the first 1x1 convolution of a block, as Keras has it; its parameter count is
     * Keras' 25,636,712) and out_h * out_w * out_c * k_h * k_w * in_c summed over a forward pass.
     */
    @Test
    void resnet50MacsMatchTheKerasArchitecture() {
        assertEquals(3_857_973_248L, analyze("resnet50.yaml").macs());
    }

    @Test
    void alexnetHasThe2012Layout() {
        Analysis a = analyze("alexnet.yaml");
        assertEquals("55x55x96", a.node("conv1_conv").output().toString());
        assertEquals("6x6x256", a.node("pool5").output().toString());
        assertEquals(62_378_344L, a.totalParams());
        assertEquals(a.totalParams(), a.trainableParams());
    }

    /** Counts from fyu/drn drn.py in PyTorch: parameters() plus the running_mean/var buffers. */
    @Test
    void drnC26MatchesTheReferenceImplementation() {
        Analysis a = analyze("drn_c_26.yaml");
        assertEquals(21_140_568L, a.totalParams());
        assertEquals(21_126_584L, a.trainableParams());
        assertEquals("28x28x512", a.node("layer8_block1_out").output().toString());
        assertEquals(8, a.node("layer8_block1_out").outputStride());
        assertEquals("1000", a.output().output().toString());
    }

    @Test
    void drnC42ExtendsC26ByStageName() {
        Analysis a = analyze("drn_c_42.yaml");
        assertEquals(31_256_152L, a.totalParams());
        assertEquals(31_234_744L, a.trainableParams());
        assertEquals(6, a.model().stages().stream().filter(s -> s.name().equals("layer5")).findFirst().orElseThrow().blocks());
    }

    /**
     * Counts of fyu/drn segment.py's DRNSeg(arch, 19) in PyTorch, printed by
     * compiler/src/test/reference/drn_seg_counts.py: parameters plus BN running statistics, with
     * the BN statistics and the fixed upsampling weights (4,864 = 16 * 16 * 19) non-trainable.
     */
    @Test
    void drnC26SegMatchesDrnSeg() {
        Analysis a = analyze("drn_c_26_seg.yaml");
        assertEquals(20_642_179L, a.totalParams());
        assertEquals(20_623_331L, a.trainableParams());
        assertEquals("28x28x19", a.node("seg").output().toString());
        assertEquals("224x224x19", a.output().output().toString());
        assertEquals(1, a.output().outputStride());
    }

    @Test
    void drnD22SegMatchesDrnSeg() {
        Analysis a = analyze("drn_d_22_seg.yaml");
        assertEquals(15_907_139L, a.totalParams());
        assertEquals(15_890_499L, a.trainableParams());
        assertEquals(8, a.node("layer8_block1_relu").outputStride());
    }

    /** segment.py's use_torch_up: nn.UpsamplingBilinear2d(scale_factor=8) instead of the transposed convolution. */
    @Test
    void drnSegWithTorchUpMatchesDrnSeg(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        for (String[] spec : new String[][] {{"drn_c_26_seg.yaml", "20637315"}, {"drn_d_22_seg.yaml", "15902275"}}) {
            Path file = dir.resolve("torch_up_" + spec[0]);
            java.nio.file.Files.writeString(file, "specc: 1\nextends: " + SPECS.toAbsolutePath().resolve(spec[0]) + "\n"
                    + "head:\n  - {kind: conv2d, name: seg, filters: classes, kernel: 1}\n"
                    + "  - {kind: resize, name: up, factor: 8, method: bilinear, align_corners: true}\n"
                    + "  - {kind: log_softmax, name: softmax}\n");
            Analysis a = Pipeline.analyze(file, Pipeline.Options.DEFAULT);
            assertEquals(Long.parseLong(spec[1]), a.totalParams(), spec[0]);
            assertEquals(a.totalParams() - (spec[0].startsWith("drn_c") ? 13_984L : 11_776L), a.trainableParams(), spec[0]);
        }
    }

    @Test
    void resnet18MatchesTorchvision() {
        Analysis a = analyze("../examples/resnet18.yaml");
        assertEquals(11_689_512L, a.trainableParams());
        assertEquals(9_600L, a.nonTrainableParams());
    }

    @Test
    void inceptionBlockConcatenatesItsBranches() {
        Analysis a = analyze("../examples/inception_small.yaml");
        assertEquals("16x16x256", a.node("inception3_block1_concat").output().toString());
        assertEquals(4, a.node("inception3_block1_concat").node().inputs().size());
    }

    @Test
    void inputShapeOverrideReshapesAShapeAgnosticNetwork() throws SpecException {
        Analysis a = Pipeline.analyze(SPECS.resolve("resnet50v2.yaml"), new Pipeline.Options(new int[] {64, 64, 3}));
        assertEquals("2x2x2048", a.node("post_relu").output().toString());
        assertEquals(25_613_800L, a.totalParams());
    }
}
