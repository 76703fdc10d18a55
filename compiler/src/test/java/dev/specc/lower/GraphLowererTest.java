package dev.specc.lower;

import static dev.specc.lower.TestModels.analyze;
import static dev.specc.lower.TestModels.chain;
import static dev.specc.lower.TestModels.node;
import static dev.specc.lower.TestModels.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specc.ir.Activation;
import dev.specc.ir.BatchNorm;
import dev.specc.ir.Conv2d;
import dev.specc.ir.Dense;
import dev.specc.ir.GlobalPool;
import dev.specc.ir.Model;
import dev.specc.ir.Padding;
import dev.specc.ir.Pool2d;
import dev.specc.ir.TensorShape;
import dev.specc.shapes.Analysis;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.tensorflow.GraphOperation;
import org.tensorflow.Result;
import org.tensorflow.Session;

class GraphLowererTest {

    private static Analysis smallConvNet() {
        return analyze(TensorShape.of(6, 6, 3), chain(
                new Conv2d(8, 3, 3, 1, 1, Padding.SAME, 1, 1, false, null),
                new BatchNorm(1e-3, 0.99, true, true),
                Activation.of(Activation.Function.RELU),
                new Conv2d(4, 3, 3, 2, 2, Padding.SAME, 1, 1, true, Activation.Function.RELU),
                new BatchNorm(1e-3, 0.99, false, true),
                new GlobalPool(Pool2d.Mode.AVG, false),
                new Dense(3, true, Activation.Function.SOFTMAX)));
    }

    @Test
    void oneVariablePerWeightNamedAfterItsNodeWithTheDeclaredSizes() {
        Analysis analysis = smallConvNet();
        try (CompiledModel model = new GraphLowerer().lower(analysis)) {
            List<String> expectedNames = new ArrayList<>();
            analysis.nodes().forEach(n -> n.weights().forEach(w -> expectedNames.add(n.node().name() + "/" + w.name())));
            List<WeightVariable> all = new ArrayList<>(model.trainableVariables());
            all.addAll(model.nonTrainableVariables());
            assertEquals(expectedNames.stream().sorted().toList(), all.stream().map(WeightVariable::name).sorted().toList());

            long trainable = 0;
            long nonTrainable = 0;
            for (WeightVariable v : all) {
                GraphOperation op = model.graph().operation(v.name());
                assertEquals("VariableV2", op.type(), v.name());
                long[] shape = op.output(0).shape().asArray();
                assertArrayEquals(v.spec().shape(), shape, v.name());
                long elements = 1;
                for (long d : shape) elements *= d;
                assertEquals(v.spec().elements(), elements, v.name());
                if (v.spec().trainable()) trainable += elements; else nonTrainable += elements;
            }
            assertTrue(model.trainableVariables().stream().allMatch(v -> v.spec().trainable()));
            assertEquals(analysis.trainableParams(), trainable);
            assertEquals(analysis.nonTrainableParams(), nonTrainable);
            assertEquals(all.size(), count(model, "VariableV2"), "no variables besides the declared weights");
        }
    }

    @Test
    void inputOutputAndBothPathsHaveTheirNames() {
        try (CompiledModel model = new GraphLowerer().lower(smallConvNet())) {
            assertEquals("Placeholder", model.graph().operation("input").type());
            assertArrayEquals(new long[] {-1, 6, 6, 3}, model.input().asOutput().shape().asArray());
            assertEquals("output", model.output(Mode.INFERENCE).op().name());
            assertEquals("train/output", model.output(Mode.TRAINING).op().name());
            assertEquals("Identity", model.graph().operation("output").type());
            assertEquals("Identity", model.graph().operation("train/output").type());
            assertEquals(4, model.updateOps().size(), "two batch norms, two updates each");
            List<String> names = new ArrayList<>();
            model.graph().operations().forEachRemaining(op -> names.add(op.name()));
            assertTrue(names.stream().anyMatch(n -> n.startsWith("train/l1/")));
            assertTrue(names.stream().anyMatch(n -> n.startsWith("infer/l1/")));
            assertTrue(model.updateOps().stream().allMatch(op -> op.op().name().startsWith("train/")));
            assertEquals(List.of("FusedBatchNormV3"), types(model, "infer/l1/"));
        }
    }

    @Test
    void sameSeedSameInitialWeightsAndGlorotWithinItsLimit() {
        float[] first = initial(5, "l0/kernel");
        float[] again = initial(5, "l0/kernel");
        float[] other = initial(6, "l0/kernel");
        assertArrayEquals(first, again);
        assertFalse(java.util.Arrays.equals(first, other));
        double limit = Math.sqrt(6.0 / (3 * 3 * 3 + 3 * 3 * 8));
        double max = 0;
        for (float v : first) max = Math.max(max, Math.abs(v));
        assertTrue(max <= limit, max + " > " + limit);
        assertTrue(max > 0.9 * limit, "216 uniform draws reach close to the limit, got " + max);
        assertArrayEquals(new float[8], initial(5, "l1/beta"));
        assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1, 1, 1}, initial(5, "l1/gamma"));
        assertArrayEquals(new float[8], initial(5, "l1/moving_mean"));
        assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1, 1, 1}, initial(5, "l1/moving_variance"));
    }

    @Test
    void glorotFansFollowKeras() {
        assertEquals(Math.sqrt(6.0 / (3 * 3 * 16 + 3 * 3 * 32)), GraphLowerer.glorotLimit(new long[] {3, 3, 16, 32}));
        assertEquals(Math.sqrt(6.0 / (100 + 10)), GraphLowerer.glorotLimit(new long[] {100, 10}));
    }

    @Test
    void reservedNodeNamesAreAnInternalErrorSinceTheResolverRefusesThem() {
        Analysis analysis = analyze(TensorShape.of(4), List.of(node("output", new Dense(2, true, null), Model.INPUT)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GraphLowerer().lower(analysis));
        assertTrue(e.getMessage().contains("'output'"), e.getMessage());
    }

    @Test
    void everyTopLevelScopeTheGraphMakesBesideTheLayersIsReserved() {
        Analysis analysis = smallConvNet();
        LoweringOptions raw = new LoweringOptions(1, new LoweringOptions.Preprocessing(1 / 255f, new float[3],
                new float[] {1, 1, 1}));
        List<String> layers = analysis.nodes().stream().map(n -> n.node().name()).toList();
        try (CompiledModel model = new GraphLowerer().lower(analysis, raw)) {
            java.util.Set<String> others = new java.util.TreeSet<>();
            model.graph().operations().forEachRemaining(op -> {
                String top = op.name().split("/")[0];
                if (op.name().contains("/") && !layers.contains(top)) others.add(top);
            });
            assertTrue(others.contains(Model.PREPROCESSING), others.toString());
            others.removeAll(Model.RESERVED_NAMES);
            assertEquals(java.util.Set.of(), others, "scopes a layer of that name would find taken (its weights renamed _1)");
        }
    }

    private static float[] initial(long seed, String name) {
        try (CompiledModel model = new GraphLowerer().lower(smallConvNet(), new LoweringOptions(seed));
             Session session = new Session(model.graph())) {
            session.initialize();
            WeightVariable v = Stream.concat(model.trainableVariables().stream(), model.nonTrainableVariables().stream())
                    .filter(w -> w.name().equals(name)).findFirst().orElseThrow();
            try (Result result = session.runner().fetch(v.read()).run()) {
                return values(result.get(0));
            }
        }
    }

    private static long count(CompiledModel model, String type) {
        long n = 0;
        for (Iterator<GraphOperation> it = model.graph().operations(); it.hasNext(); ) {
            if (it.next().type().equals(type)) n++;
        }
        return n;
    }

    /** The distinct op types under a name prefix that are not constants or reshapes. */
    private static List<String> types(CompiledModel model, String prefix) {
        List<String> types = new ArrayList<>();
        model.graph().operations().forEachRemaining(op -> {
            if (op.name().startsWith(prefix) && !op.type().equals("Const") && !types.contains(op.type())) {
                types.add(op.type());
            }
        });
        return types;
    }
}
