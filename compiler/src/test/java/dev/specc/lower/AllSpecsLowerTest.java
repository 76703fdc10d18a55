package dev.specc.lower;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.specc.Pipeline;
import dev.specc.diag.SpecException;
import dev.specc.shapes.Analysis;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every spec in the repo lowers, and its graph's variables hold exactly the parameters of the
 * network's reference implementation. The reference counts are independent of specc: see
 * {@link #REFERENCE}.
 */
class AllSpecsLowerTest {

    /** Parameters of a reference implementation, batch-norm moving statistics counted as non-trainable (as Keras does). */
    private record Counts(long total, long trainable) {
    }

    /**
     * Per spec (path from the repository root): the specs/ networks and examples/resnet18.yaml
     * as counted by their reference implementations (the README's table: Keras ResNet50 and
     * ResNet50V2, ResNet50 at 64x64x3 with 6 classes as the SIGNS tutorial's summary counts it, fyu/drn's
     * drn.py in PyTorch, the 2012 AlexNet layout, torchvision resnet18); the
     * other examples as printed by compiler/src/test/reference/reference_counts.py, which writes
     * each of them again in PyTorch (and prints the DRNs' counts from drn.py itself).
     */
    static final Map<String, Counts> REFERENCE = Map.ofEntries(
            Map.entry("specs/resnet50.yaml", new Counts(25_636_712L, 25_583_592L)),
            Map.entry("specs/resnet50v2.yaml", new Counts(25_613_800L, 25_568_360L)),
            Map.entry("examples/resnet50_signs.yaml", new Counts(23_600_006L, 23_546_886L)),
            Map.entry("specs/drn_a_50.yaml", new Counts(25_610_152L, 25_557_032L)),
            Map.entry("specs/drn_c_26.yaml", new Counts(21_140_568L, 21_126_584L)),
            Map.entry("specs/drn_c_42.yaml", new Counts(31_256_152L, 31_234_744L)),
            Map.entry("specs/drn_c_58.yaml", new Counts(41_650_008L, 41_591_608L)),
            Map.entry("specs/drn_d_22.yaml", new Counts(16_405_528L, 16_393_752L)),
            Map.entry("specs/drn_d_38.yaml", new Counts(26_521_112L, 26_501_912L)),
            Map.entry("specs/drn_d_54.yaml", new Counts(35_864_344L, 35_809_176L)),
            Map.entry("specs/drn_d_105.yaml", new Counts(54_908_696L, 54_801_304L)),
            Map.entry("specs/alexnet.yaml", new Counts(62_378_344L, 62_378_344L)),
            Map.entry("examples/resnet18.yaml", new Counts(11_699_112L, 11_689_512L)),
            Map.entry("examples/alexnet_cats_dogs.yaml", new Counts(5_277_057L, 5_275_681L)),
            // fyu/drn segment.py DRNSeg(arch, 19): compiler/src/test/reference/drn_seg_counts.py
            Map.entry("specs/drn_c_26_seg.yaml", new Counts(20_642_179L, 20_623_331L)),
            Map.entry("specs/drn_d_22_seg.yaml", new Counts(15_907_139L, 15_890_499L)),
            Map.entry("examples/drn_d_22_seg_shapes.yaml", new Counts(2_149_940L, 2_144_308L)),
            Map.entry("examples/alexnet_half_bn_cats_dogs.yaml", new Counts(14_584_017L, 14_583_665L)),
            Map.entry("examples/inception_small.yaml", new Counts(280_714L, 279_466L)),
            Map.entry("examples/small_cnn_28.yaml", new Counts(468_394L, 468_010L)));

    static Stream<String> specs() throws IOException {
        List<String> files;
        try (Stream<Path> a = Files.list(Path.of("..", "specs")); Stream<Path> b = Files.list(Path.of("..", "examples"))) {
            files = Stream.concat(a, b).filter(p -> p.toString().endsWith(".yaml"))
                    .map(p -> p.getParent().getFileName() + "/" + p.getFileName()).sorted().toList();
        }
        return files.stream();
    }

    @ParameterizedTest
    @MethodSource("specs")
    void variablesHoldTheReferenceParameterCounts(String spec) throws SpecException {
        Counts reference = REFERENCE.get(spec);
        assertNotNull(reference, spec + " has no reference parameter count in AllSpecsLowerTest.REFERENCE");
        Analysis analysis = Pipeline.analyze(Path.of("..").resolve(spec), Pipeline.Options.DEFAULT);
        try (CompiledModel model = new GraphLowerer().lower(analysis)) {
            long trainable = model.trainableVariables().stream().mapToLong(v -> v.variable().shape().size()).sum();
            long nonTrainable = model.nonTrainableVariables().stream().mapToLong(v -> v.variable().shape().size()).sum();
            assertEquals(reference.trainable(), trainable, spec + ": trainable elements in the graph");
            assertEquals(reference.total() - reference.trainable(), nonTrainable, spec + ": non-trainable elements in the graph");
            assertEquals(reference.total(), analysis.totalParams(), spec + ": the analysis' count");
            assertEquals(analysis.output().output().dims()[analysis.output().output().rank() - 1],
                    model.output(Mode.INFERENCE).shape().get(model.output(Mode.INFERENCE).shape().numDimensions() - 1));
            assertEquals("input", model.graph().operation("input").name());
            for (WeightVariable v : model.trainableVariables()) {
                assertEquals(v.name(), model.graph().operation(v.name()).name(), "variables carry their Keras names");
            }
        }
    }

    @org.junit.jupiter.api.Test
    void resnet50v2VariablesAreNamedAsInKeras() throws SpecException {
        Analysis analysis = Pipeline.analyze(Path.of("..", "specs", "resnet50v2.yaml"), Pipeline.Options.DEFAULT);
        try (CompiledModel model = new GraphLowerer().lower(analysis)) {
            List<String> names = model.trainableVariables().stream().map(WeightVariable::name).toList();
            assertEquals(List.of("conv1_conv/kernel", "conv1_conv/bias", "conv2_block1_preact_bn/gamma",
                    "conv2_block1_preact_bn/beta", "conv2_block1_0_conv/kernel", "conv2_block1_0_conv/bias",
                    "conv2_block1_1_conv/kernel"), names.subList(0, 7));
            assertEquals("predictions/bias", names.get(names.size() - 1));
            assertEquals("conv2_block1_preact_bn/moving_mean", model.nonTrainableVariables().get(0).name());
        }
    }
}
