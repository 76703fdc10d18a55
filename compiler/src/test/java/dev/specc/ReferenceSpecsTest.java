package dev.specc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.specc.config.AugmentConfig;
import dev.specc.config.TrainConfig;
import dev.specc.diag.SpecException;
import dev.specc.ir.BatchNorm;
import dev.specc.shapes.Analysis;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
     * The rest of the DRN family against fyu/drn's drn.py in Debian's PyTorch 1.13, as printed by
     * compiler/src/test/reference/reference_counts.py: parameters() plus the running statistics,
     * parameters() alone, and the multiply-accumulates of a forward pass at 224x224x3.
     */
    @ParameterizedTest
    @CsvSource({
            "drn_a_50.yaml,  25610152, 25557032, 19079364608, layer4_block3_out, 28x28x2048",
            "drn_c_26.yaml,  21140568, 21126584, 16971239424, layer8_block1_out, 28x28x512",
            "drn_c_42.yaml,  31256152, 31234744, 25063624704, layer8_block1_out, 28x28x512",
            "drn_c_58.yaml,  41650008, 41591608, 33245925376, layer8_block1_out, 28x28x512",
            "drn_d_22.yaml,  16405528, 16393752, 13034229760, layer8_block1_out, 28x28x512",
            "drn_d_38.yaml,  26521112, 26501912, 21126615040, layer8_block1_out, 28x28x512",
            "drn_d_54.yaml,  35864344, 35809176, 28486832128, layer8_block1_out, 28x28x512",
            "drn_d_105.yaml, 54908696, 54801304, 43335716864, layer8_block1_out, 28x28x512"})
    void drnFamilyMatchesDrnPy(String spec, long total, long trainable, long macs, String lastFeatures, String shape) {
        Analysis a = analyze(spec);
        assertEquals(total, a.totalParams());
        assertEquals(trainable, a.trainableParams());
        assertEquals(macs, a.macs());
        assertEquals(shape, a.node(lastFeatures).output().toString());
        assertEquals(8, a.node(lastFeatures).outputStride());
        assertEquals("1000", a.output().output().toString());
    }

    @Test
    void drnDReplacesTheStemAndLevels1278WithConvolutions() {
        Analysis a = analyze("drn_d_22.yaml");
        assertEquals("224x224x16", a.node("layer0_block1_out").output().toString());
        assertEquals("112x112x32", a.node("layer2_block1_conv").output().toString());
        assertEquals("conv2d", a.node("layer7_block1_conv").node().layer().kind());
        assertEquals(2, ((dev.specc.ir.Conv2d) a.node("layer7_block1_conv").node().layer()).dh());
    }

    /** drn.py gives DRN-C-58's level 7 a projection it never adds (the block has no residual); its weights exist. */
    @Test
    void drnC58KeepsTheUnusedProjectionOfLevel7() {
        Analysis a = analyze("drn_c_58.yaml");
        assertEquals("28x28x512", a.node("layer7_block1_downsample_bn").output().toString());
        assertEquals("28x28x2048", a.node("layer6_block3_out").output().toString());
    }

    /** The DRN-A first block of a dilated level is not dilated (drn.py's DRN_A._make_layer); the others are. */
    @Test
    void drnA50DilatesAllButTheFirstBlockOfLevels3And4() {
        Analysis a = analyze("drn_a_50.yaml");
        assertEquals(1, ((dev.specc.ir.Conv2d) a.node("layer3_block1_conv2").node().layer()).dh());
        assertEquals(2, ((dev.specc.ir.Conv2d) a.node("layer3_block2_conv2").node().layer()).dh());
        assertEquals(4, ((dev.specc.ir.Conv2d) a.node("layer4_block3_conv2").node().layer()).dh());
        assertEquals("56x56x64", a.node("maxpool").output().toString());
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
        assertEquals(8, a.node("layer8_block1_out").outputStride());
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

    /** torchvision's BatchNorm2d momentum 0.1 is Keras' 0.9 (not Keras' default 0.99); epsilon 1e-5. */
    @Test
    void resnet18BatchNormsMoveAsTorchvisions() {
        List<BatchNorm> norms = analyze("../examples/resnet18.yaml").nodes().stream()
                .map(n -> n.node().layer()).filter(l -> l instanceof BatchNorm).map(l -> (BatchNorm) l).toList();
        assertEquals(20, norms.size());
        for (BatchNorm bn : norms) {
            assertEquals(0.9, bn.momentum());
            assertEquals(1e-5, bn.epsilon());
        }
    }

    /** The cats-vs-dogs AlexNet of the Keras tutorial: layers, L2 on convolution kernels only, training and augmentation. */
    @Test
    void alexnetCatsDogsIsTheTutorials() throws SpecException {
        Pipeline.Checked c = Pipeline.check(Path.of("..", "examples", "alexnet_cats_dogs.yaml"),
                new Pipeline.Options(null, List.of(), null, Pipeline.DataCheck.SKIPPED));
        Analysis a = c.analysis();
        assertEquals(List.of("conv1", "bn1", "pool1", "conv2", "bn2", "pool2", "conv3", "bn3", "conv4", "bn4", "conv5", "bn5",
                "pool5", "flatten", "fc6", "drop6", "fc7", "drop7", "predictions"), a.nodes().stream().map(n -> n.node().name()).toList());
        assertEquals("54x54x48", a.node("conv1").output().toString());
        assertEquals("5x5x128", a.node("pool5").output().toString());
        assertEquals(dev.specc.ir.Activation.Function.RELU, ((dev.specc.ir.Conv2d) a.node("conv1").node().layer()).activation());
        assertEquals(0.001, ((BatchNorm) a.node("bn1").node().layer()).epsilon());
        assertEquals(5_277_057L, a.totalParams());

        TrainConfig t = c.train();
        assertEquals(0.001, t.weightDecayOf("conv5"));
        assertEquals(0.0, t.weightDecayOf("fc6"));
        assertEquals(0.0, t.weightDecayOf("predictions"));
        assertEquals("binary_crossentropy", t.loss());
        assertEquals(new TrainConfig.OptimizerConfig("adam", 1e-4, 0, false, 0.9, 0.999, 1e-7, 0.9), t.optimizer());
        assertEquals(8, t.batchSize());
        assertEquals(new TrainConfig.ScheduleConfig("plateau", 10, 0.5, "val_accuracy", 5, 1e-5, 1e-4, 0), t.schedule());
        assertEquals(new AugmentConfig(true, false, 40, 0.2, 0.2, 0.2, 0.2, 0, dev.specc.config.FillMode.NEAREST), c.data().augment());
        assertEquals(1 / 255.0, c.data().rescale(), 1e-15);
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
