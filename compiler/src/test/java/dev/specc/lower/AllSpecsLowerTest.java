package dev.specc.lower;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.specc.Pipeline;
import dev.specc.diag.SpecException;
import dev.specc.shapes.Analysis;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every spec in the repo lowers, and its graph's variables hold exactly the statically counted parameters. */
class AllSpecsLowerTest {

    static Stream<Path> specs() throws IOException {
        List<Path> files;
        try (Stream<Path> a = Files.list(Path.of("..", "specs")); Stream<Path> b = Files.list(Path.of("..", "examples"))) {
            files = Stream.concat(a, b).filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        return files.stream();
    }

    @ParameterizedTest
    @MethodSource("specs")
    void variablesMatchStaticCounts(Path spec) throws SpecException {
        Analysis analysis = Pipeline.analyze(spec, Pipeline.Options.DEFAULT);
        try (CompiledModel model = new GraphLowerer().lower(analysis)) {
            long trainable = model.trainableVariables().stream().mapToLong(v -> v.variable().shape().size()).sum();
            long nonTrainable = model.nonTrainableVariables().stream().mapToLong(v -> v.variable().shape().size()).sum();
            assertEquals(analysis.trainableParams(), trainable, spec.toString());
            assertEquals(analysis.nonTrainableParams(), nonTrainable, spec.toString());
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
