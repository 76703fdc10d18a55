package dev.specc.lower;

import static dev.specc.lower.TestModels.analyze;
import static dev.specc.lower.TestModels.chain;
import static dev.specc.lower.TestModels.node;
import static dev.specc.lower.TestModels.size;
import static dev.specc.lower.TestModels.uniform;
import static dev.specc.lower.TestModels.values;
import static dev.specc.lower.TestModels.withBatch;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specc.ir.Activation;
import dev.specc.ir.Activation.Function;
import dev.specc.ir.Add;
import dev.specc.ir.BatchNorm;
import dev.specc.ir.Concat;
import dev.specc.ir.Conv2d;
import dev.specc.ir.Conv2dTranspose;
import dev.specc.ir.Dense;
import dev.specc.ir.Dropout;
import dev.specc.ir.Flatten;
import dev.specc.ir.GlobalPool;
import dev.specc.ir.LayerSpec;
import dev.specc.ir.Lrn;
import dev.specc.ir.Model;
import dev.specc.ir.Node;
import dev.specc.ir.Padding;
import dev.specc.ir.Pool2d;
import dev.specc.ir.Resize;
import dev.specc.ir.WeightSpec.Initializer;
import dev.specc.ir.TensorShape;
import dev.specc.ir.ZeroPad;
import dev.specc.shapes.Analysis;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.Result;
import org.tensorflow.Session;

/**
 * Analytic gradients of every layer kind, with respect to the input and every trainable weight,
 * against central finite differences; and the static output shape against shape inference.
 */
class GradientCheckTest {
    /**
     * Largest |analytic - numeric| allowed, relative to the gradient's largest magnitude. Correct
     * kernels stay around 1e-3 in float32; a wrong gradient (the dilated Conv2D bug) is off by
     * order 1.
     */
    static final double TOLERANCE = 2e-2;
    private static final double EPS = 1e-3;

    record Case(TensorShape input, Mode mode, double inputScale, List<Node> nodes) {
    }

    static Named<Case> inference(String name, TensorShape input, LayerSpec... layers) {
        return Named.of(name, new Case(input, Mode.INFERENCE, 1, chain(layers)));
    }

    static Named<Case> training(String name, TensorShape input, LayerSpec... layers) {
        return Named.of(name, new Case(input, Mode.TRAINING, 1, chain(layers)));
    }

    static Conv2d conv(int filters, int k, int stride, Padding padding, int dilation, boolean bias, Function act) {
        return new Conv2d(filters, k, k, stride, stride, padding, dilation, dilation, bias, act);
    }

    static Conv2dTranspose transpose(int filters, int k, int stride, Padding padding, int outputPadding, int groups,
                                     Initializer initializer, boolean bias) {
        return new Conv2dTranspose(filters, k, k, stride, stride, padding, outputPadding, outputPadding, groups, bias,
                initializer, null);
    }

    static Stream<Named<Case>> cases() {
        List<Named<Case>> cases = new ArrayList<>(List.of(
                inference("conv2d same, bias, tanh", TensorShape.of(5, 5, 3),
                        conv(4, 3, 1, Padding.SAME, 1, true, Function.TANH)),
                inference("conv2d valid, no bias", TensorShape.of(5, 5, 3),
                        conv(2, 3, 1, Padding.VALID, 1, false, null)),
                inference("conv2d strided same", TensorShape.of(5, 5, 3),
                        conv(3, 3, 2, Padding.SAME, 1, true, Function.LINEAR)),
                inference("conv2d explicit padding, strided", TensorShape.of(5, 5, 2),
                        new Conv2d(3, 3, 2, 2, 1, Padding.explicit(1, 2, 0, 1), 1, 1, true, null)),
                inference("conv2d dilated 2 same, 7x7", TensorShape.of(7, 7, 2),
                        conv(3, 3, 1, Padding.SAME, 2, true, null)),
                inference("conv2d dilated 2 same, 6x6", TensorShape.of(6, 6, 2),
                        conv(3, 3, 1, Padding.SAME, 2, false, null)),
                inference("conv2d dilated 2, explicit padding 2, 7x7", TensorShape.of(7, 7, 2),
                        conv(3, 3, 1, Padding.explicit(2, 2, 2, 2), 2, true, null)),
                inference("conv2d dilated 2, asymmetric explicit padding, 7x6", TensorShape.of(7, 6, 2),
                        conv(2, 3, 1, Padding.explicit(1, 3, 0, 2), 2, false, null)),
                inference("conv2d dilated 3 valid, 8x7", TensorShape.of(8, 7, 2),
                        conv(2, 3, 1, Padding.VALID, 3, true, null)),
                inference("conv2d dilated 3 same, kernel 2x3, 5x5", TensorShape.of(5, 5, 2),
                        new Conv2d(2, 2, 3, 1, 1, Padding.SAME, 3, 3, false, null)),
                inference("conv2d dilated height only, same", TensorShape.of(5, 5, 2),
                        new Conv2d(2, 3, 3, 1, 1, Padding.SAME, 2, 1, true, Function.SIGMOID)),
                training("batch_norm training, after conv", TensorShape.of(4, 4, 3),
                        conv(3, 3, 1, Padding.SAME, 1, false, null), new BatchNorm(1e-3, 0.99, true, true)),
                training("batch_norm training, no center or scale", TensorShape.of(4, 4, 3),
                        new BatchNorm(1e-3, 0.99, false, false)),
                training("batch_norm training, on a vector", TensorShape.of(6),
                        new Dense(4, false, null), new BatchNorm(1e-3, 0.9, true, true)),
                inference("batch_norm inference", TensorShape.of(4, 4, 3),
                        conv(3, 3, 1, Padding.SAME, 1, false, null), new BatchNorm(1e-3, 0.99, true, true)),
                inference("leaky_relu alpha 0.1", TensorShape.of(3, 3, 4), new Activation(Function.LEAKY_RELU, 0.1)),
                inference("max_pool 2x2/2 valid", TensorShape.of(5, 5, 2),
                        new Pool2d(Pool2d.Mode.MAX, 2, 2, 2, 2, Padding.VALID)),
                inference("max_pool 3x3/2 same", TensorShape.of(5, 5, 2),
                        new Pool2d(Pool2d.Mode.MAX, 3, 3, 2, 2, Padding.SAME)),
                inference("max_pool 3x3/2 explicit 1", TensorShape.of(5, 5, 2),
                        new Pool2d(Pool2d.Mode.MAX, 3, 3, 2, 2, Padding.explicit(1, 1, 1, 1))),
                inference("avg_pool 2x2/1 valid", TensorShape.of(5, 5, 2),
                        new Pool2d(Pool2d.Mode.AVG, 2, 2, 1, 1, Padding.VALID)),
                inference("avg_pool 3x3/2 same", TensorShape.of(5, 5, 2),
                        new Pool2d(Pool2d.Mode.AVG, 3, 3, 2, 2, Padding.SAME)),
                inference("avg_pool 3x3/2 explicit 1", TensorShape.of(5, 5, 2),
                        new Pool2d(Pool2d.Mode.AVG, 3, 3, 2, 2, Padding.explicit(1, 0, 1, 0))),
                inference("zero_pad then conv", TensorShape.of(4, 4, 2),
                        new ZeroPad(1, 2, 0, 1), conv(2, 3, 1, Padding.VALID, 1, false, null)),
                inference("global_avg_pool", TensorShape.of(4, 4, 3), new GlobalPool(Pool2d.Mode.AVG, false)),
                inference("global_max_pool keepdims", TensorShape.of(4, 4, 3), new GlobalPool(Pool2d.Mode.MAX, true)),
                inference("flatten then dense softmax", TensorShape.of(3, 3, 2),
                        new Flatten(), new Dense(3, true, Function.SOFTMAX)),
                inference("dense sigmoid", TensorShape.of(6), new Dense(4, true, Function.SIGMOID)),
                inference("dense no bias", TensorShape.of(6), new Dense(4, false, null)),
                inference("lrn", TensorShape.of(4, 4, 6), new Lrn(2, 1.0, 0.5, 0.75)),
                inference("lrn tf defaults", TensorShape.of(4, 4, 6), new Lrn(5, 1.0, 1.0, 0.5)),
                inference("dropout inference", TensorShape.of(6), new Dropout(0.5), new Dense(3, true, null)),
                inference("conv2d_transpose 4/2, padding 1, bias", TensorShape.of(3, 3, 2),
                        transpose(3, 4, 2, Padding.explicit(1, 1, 1, 1), 0, 1, Initializer.GLOROT_UNIFORM, true)),
                inference("conv2d_transpose 3/2 valid, output padding 1, 2 groups", TensorShape.of(3, 2, 4),
                        transpose(4, 3, 2, Padding.VALID, 1, 2, Initializer.GLOROT_UNIFORM, false)),
                inference("conv2d_transpose 3/2 same, tanh", TensorShape.of(3, 3, 2),
                        new Conv2dTranspose(2, 3, 3, 2, 2, Padding.SAME, 0, 0, 1, true, Initializer.GLOROT_UNIFORM, Function.TANH)),
                inference("conv2d_transpose depthwise bilinear 8/4, padding 2 (DRNSeg's up, scaled)", TensorShape.of(3, 3, 3),
                        transpose(3, 8, 4, Padding.explicit(2, 2, 2, 2), 0, 3, Initializer.BILINEAR, false)),
                inference("conv2d_transpose asymmetric kernel and crop", TensorShape.of(3, 2, 2),
                        new Conv2dTranspose(2, 3, 2, 2, 3, Padding.explicit(0, 1, 1, 0), 1, 0, 1, true,
                                Initializer.GLOROT_UNIFORM, null)),
                inference("resize bilinear x2, half-pixel centres", TensorShape.of(3, 3, 2),
                        Resize.byFactor(Resize.Method.BILINEAR, 2, 2, false)),
                inference("resize bilinear x3, align corners", TensorShape.of(3, 2, 2),
                        Resize.byFactor(Resize.Method.BILINEAR, 3, 3, true)),
                inference("resize bilinear to 5x7", TensorShape.of(3, 3, 2), Resize.toSize(Resize.Method.BILINEAR, 5, 7, false)),
                inference("resize nearest x2 after conv", TensorShape.of(3, 3, 2),
                        conv(2, 3, 1, Padding.SAME, 1, true, null), Resize.byFactor(Resize.Method.NEAREST, 2, 2, false)),
                inference("per-pixel log_softmax after conv", TensorShape.of(3, 3, 2),
                        conv(4, 1, 1, Padding.VALID, 1, true, Function.LOG_SOFTMAX))));
        for (Function f : Function.values()) {
            double scale = f == Function.RELU6 ? 8 : 2;
            cases.add(Named.of("activation " + f.spelling(),
                    new Case(TensorShape.of(3, 3, 4), Mode.INFERENCE, scale, chain(Activation.of(f)))));
        }
        Conv2d branch = conv(3, 3, 1, Padding.SAME, 1, true, null);
        cases.add(Named.of("add of two", new Case(TensorShape.of(4, 4, 3), Mode.INFERENCE, 1, List.of(
                node("a", branch, Model.INPUT), node("sum", new Add(), Model.INPUT, "a")))));
        cases.add(Named.of("add of three", new Case(TensorShape.of(4, 4, 3), Mode.INFERENCE, 1, List.of(
                node("a", branch, Model.INPUT), node("b", branch, "a"),
                node("sum", new Add(), Model.INPUT, "a", "b")))));
        cases.add(Named.of("concat channels", new Case(TensorShape.of(4, 4, 2), Mode.INFERENCE, 1, List.of(
                node("a", branch, Model.INPUT), node("cat", new Concat(-1), Model.INPUT, "a")))));
        cases.add(Named.of("concat height", new Case(TensorShape.of(4, 4, 3), Mode.INFERENCE, 1, List.of(
                node("a", branch, Model.INPUT), node("cat", new Concat(1), Model.INPUT, "a")))));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradientsMatchFiniteDifferences(Case c) {
        Analysis analysis = analyze(c.input(), c.nodes());
        try (CompiledModel model = new GraphLowerer().lower(analysis, new LoweringOptions(11))) {
            for (Mode mode : Mode.values()) {
                long[] expected = withBatch(-1, analysis.output().output());
                assertArrayEquals(expected, model.output(mode).asOutput().shape().asArray(), mode + " output shape");
            }
            long[] inputShape = withBatch(2, c.input());
            GradientChecker checker = new GradientChecker(model.graph(), model.output(c.mode()),
                    withBatch(2, analysis.output().output()), 5);
            checker.target("input", model.input(), inputShape, uniform(new Random(3), size(inputShape), c.inputScale()));
            try (Session session = new Session(model.graph())) {
                session.initialize();
                for (WeightVariable v : model.trainableVariables()) {
                    try (Result result = session.runner().fetch(v.read()).run()) {
                        checker.target(v.name(), v.read(), v.spec().shape(), values(result.get(0)));
                    }
                }
                List<GradientChecker.TargetError> errors = checker.check(session, EPS);
                assertEquals(1 + model.trainableVariables().size(), errors.size());
                for (GradientChecker.TargetError e : errors) {
                    assertTrue(e.scale() > 1e-4, () -> e.target() + ": gradient is zero everywhere");
                    assertTrue(e.relative() < TOLERANCE, () -> e.target() + ": analytic and numeric gradients differ by "
                            + e.maxAbsError() + " at gradient scale " + e.scale());
                }
            }
        }
    }
}
