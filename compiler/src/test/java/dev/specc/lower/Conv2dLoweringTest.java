package dev.specc.lower;

import static dev.specc.lower.TestModels.analyze;
import static dev.specc.lower.TestModels.chain;
import static dev.specc.lower.TestModels.size;
import static dev.specc.lower.TestModels.tensor;
import static dev.specc.lower.TestModels.uniform;
import static dev.specc.lower.TestModels.values;
import static dev.specc.lower.TestModels.withBatch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specc.ir.Conv2d;
import dev.specc.ir.Padding;
import dev.specc.ir.TensorShape;
import dev.specc.shapes.Analysis;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

class Conv2dLoweringTest {

    record DilatedCase(TensorShape input, Conv2d conv) {
    }

    static Stream<Named<DilatedCase>> dilatedCases() {
        return Stream.of(
                Named.of("same, d2, 7x7", new DilatedCase(TensorShape.of(7, 7, 2),
                        new Conv2d(3, 3, 3, 1, 1, Padding.SAME, 2, 2, false, null))),
                Named.of("explicit 2, d2, 7x7", new DilatedCase(TensorShape.of(7, 7, 2),
                        new Conv2d(3, 3, 3, 1, 1, Padding.explicit(2, 2, 2, 2), 2, 2, false, null))),
                Named.of("explicit asymmetric, d2, 7x6", new DilatedCase(TensorShape.of(7, 6, 2),
                        new Conv2d(2, 3, 3, 1, 1, Padding.explicit(1, 3, 0, 2), 2, 2, false, null))),
                Named.of("valid, d3, 8x7", new DilatedCase(TensorShape.of(8, 7, 2),
                        new Conv2d(2, 3, 3, 1, 1, Padding.VALID, 3, 3, false, null))),
                Named.of("same, d3, kernel 2x3, 5x5", new DilatedCase(TensorShape.of(5, 5, 2),
                        new Conv2d(2, 2, 3, 1, 1, Padding.SAME, 3, 3, false, null))),
                Named.of("same, d2 x d1, 6x5", new DilatedCase(TensorShape.of(6, 5, 3),
                        new Conv2d(2, 3, 3, 1, 1, Padding.SAME, 2, 1, false, null))));
    }

    /** The SpaceToBatchND lowering computes the same as a direct loop over the dilated window. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dilatedCases")
    void dilatedForwardMatchesDirectConvolution(DilatedCase c) {
        Analysis analysis = analyze(c.input(), chain(c.conv()));
        TensorShape out = analysis.output().output();
        try (CompiledModel model = new GraphLowerer().lower(analysis);
             Session session = new Session(model.graph())) {
            long[] inputShape = withBatch(2, c.input());
            float[] x = uniform(new Random(1), size(inputShape), 1);
            float[] kernel;
            float[] y;
            try (TFloat32 input = tensor(inputShape, x);
                 Result result = session.runner().feed(model.input(), input)
                         .fetch(model.output(Mode.INFERENCE)).fetch(model.trainableVariables().get(0).read()).run()) {
                y = values(result.get(0));
                kernel = values(result.get(1));
            }
            float[] expected = directConvolution(c.input(), x, c.conv(), kernel, out);
            assertEquals(expected.length, y.length);
            for (int i = 0; i < y.length; i++) {
                assertEquals(expected[i], y[i], 1e-4, "element " + i);
            }
        }
    }

    private static float[] directConvolution(TensorShape in, float[] x, Conv2d conv, float[] kernel, TensorShape out) {
        int h = in.height();
        int w = in.width();
        int cin = in.channels();
        int padTop = before(conv.padding().mode(), conv.kh(), conv.dh(), conv.padding().top());
        int padLeft = before(conv.padding().mode(), conv.kw(), conv.dw(), conv.padding().left());
        float[] y = new float[2 * out.height() * out.width() * conv.filters()];
        for (int b = 0; b < 2; b++) {
            for (int i = 0; i < out.height(); i++) {
                for (int j = 0; j < out.width(); j++) {
                    for (int o = 0; o < conv.filters(); o++) {
                        double sum = 0;
                        for (int u = 0; u < conv.kh(); u++) {
                            for (int v = 0; v < conv.kw(); v++) {
                                int r = i + u * conv.dh() - padTop;
                                int s = j + v * conv.dw() - padLeft;
                                if (r < 0 || r >= h || s < 0 || s >= w) continue;
                                for (int ci = 0; ci < cin; ci++) {
                                    sum += x[((b * h + r) * w + s) * cin + ci]
                                            * kernel[((u * conv.kw() + v) * cin + ci) * conv.filters() + o];
                                }
                            }
                        }
                        y[((b * out.height() + i) * out.width() + j) * conv.filters() + o] = (float) sum;
                    }
                }
            }
        }
        return y;
    }

    private static int before(Padding.Mode mode, int kernel, int dilation, int explicit) {
        return switch (mode) {
            case SAME -> (kernel - 1) * dilation / 2;
            case VALID -> 0;
            case EXPLICIT -> explicit;
        };
    }

    /**
     * The reason for the SpaceToBatchND lowering, and proof that the gradient check can fail: TF's
     * own gradient of Conv2D with the dilations attribute is wrong, and the checker says so.
     */
    @Test
    void gradientCheckCatchesConv2dWithDilationsAttribute() {
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            long[] xShape = {2, 7, 7, 2};
            long[] kShape = {3, 3, 2, 3};
            Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(xShape)));
            Placeholder<TFloat32> k = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(kShape)));
            Operand<TFloat32> y = tf.nn.conv2d(x, k, List.of(1L, 1L, 1L, 1L), "SAME",
                    org.tensorflow.op.nn.Conv2d.dilations(1L, 2L, 2L, 1L));
            GradientChecker checker = new GradientChecker(graph, y, new long[] {2, 7, 7, 3}, 5)
                    .target("input", x, xShape, uniform(new Random(3), size(xShape), 1))
                    .target("kernel", k, kShape, uniform(new Random(4), size(kShape), 1));
            try (Session session = new Session(graph)) {
                double worst = checker.check(session, 1e-3).stream()
                        .mapToDouble(GradientChecker.TargetError::relative).max().orElseThrow();
                assertTrue(worst > 10 * GradientCheckTest.TOLERANCE, "relative error " + worst);
            }
        }
    }
}
