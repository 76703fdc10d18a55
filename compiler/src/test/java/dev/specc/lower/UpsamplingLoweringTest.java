package dev.specc.lower;

import static dev.specc.lower.TestModels.analyze;
import static dev.specc.lower.TestModels.chain;
import static dev.specc.lower.TestModels.node;
import static dev.specc.lower.TestModels.size;
import static dev.specc.lower.TestModels.tensor;
import static dev.specc.lower.TestModels.uniform;
import static dev.specc.lower.TestModels.values;
import static dev.specc.lower.TestModels.withBatch;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specc.diag.SourcePos;
import dev.specc.ir.Conv2dTranspose;
import dev.specc.ir.LayerSpec;
import dev.specc.ir.Model;
import dev.specc.ir.Node;
import dev.specc.ir.Padding;
import dev.specc.ir.Resize;
import dev.specc.ir.ShapeException;
import dev.specc.ir.TensorShape;
import dev.specc.ir.WeightSpec.Initializer;
import dev.specc.shapes.Analysis;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;

/** conv2d_transpose and resize: values against direct definitions, fyu/drn's fill_up_weights and hand-computed cases. */
class UpsamplingLoweringTest {

    record Case(TensorShape input, Conv2dTranspose layer) {
    }

    static Conv2dTranspose transpose(int filters, int k, int stride, Padding padding, int outputPadding, int groups) {
        return new Conv2dTranspose(filters, k, k, stride, stride, padding, outputPadding, outputPadding, groups, true,
                Initializer.GLOROT_UNIFORM, null);
    }

    static Stream<Named<Case>> cases() {
        return Stream.of(
                Named.of("4/2, padding 1", new Case(TensorShape.of(3, 4, 2), transpose(3, 4, 2, Padding.explicit(1, 1, 1, 1), 0, 1))),
                Named.of("3/2 valid, output padding 1, 2 groups", new Case(TensorShape.of(3, 3, 4),
                        transpose(6, 3, 2, Padding.VALID, 1, 2))),
                Named.of("depthwise 8/4, padding 2", new Case(TensorShape.of(2, 3, 3), transpose(3, 8, 4, Padding.explicit(2, 2, 2, 2), 0, 3))),
                Named.of("3/2 same", new Case(TensorShape.of(3, 3, 2), transpose(2, 3, 2, Padding.SAME, 0, 1))),
                Named.of("kernel 3x2, strides 2x3, asymmetric crop", new Case(TensorShape.of(3, 2, 2),
                        new Conv2dTranspose(2, 3, 2, 2, 3, Padding.explicit(0, 1, 1, 0), 1, 0, 1, true, Initializer.GLOROT_UNIFORM, null))));
    }

    /** The lowering equals PyTorch's ConvTranspose2d written as a loop: out[i * s + k - pad] += x[i] * w[k]. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void transposedConvolutionMatchesTheScatterDefinition(Case c) {
        Analysis analysis = analyze(c.input(), chain(c.layer()));
        TensorShape out = analysis.output().output();
        long[] inputShape = withBatch(2, c.input());
        float[] x = uniform(new Random(5), size(inputShape), 1);
        float[][] run = run(analysis, inputShape, x, 2);
        float[] y = run[0];
        float[] kernel = run[1];
        float[] bias = run[2];
        float[] expected = scatter(c.input(), x, c.layer(), kernel, bias, out);
        assertEquals(expected.length, y.length);
        for (int i = 0; i < y.length; i++) assertEquals(expected[i], y[i], 1e-4, "element " + i);
    }

    private static float[] scatter(TensorShape in, float[] x, Conv2dTranspose t, float[] kernel, float[] bias, TensorShape out) {
        int c = in.channels();
        int perGroupIn = c / t.groups();
        int perGroupOut = t.filters() / t.groups();
        int top = t.cropOf(in.height(), t.kh(), t.sh(), t.padding().top(), t.padding().bottom())[0];
        int left = t.cropOf(in.width(), t.kw(), t.sw(), t.padding().left(), t.padding().right())[0];
        int perExample = out.height() * out.width() * t.filters();
        float[] y = new float[2 * perExample];
        for (int b = 0; b < 2; b++) {
            for (int i = 0; i < perExample; i++) y[b * perExample + i] = bias[i % t.filters()];
            for (int h = 0; h < in.height(); h++) {
                for (int w = 0; w < in.width(); w++) {
                    for (int ci = 0; ci < c; ci++) {
                        float v = x[((b * in.height() + h) * in.width() + w) * c + ci];
                        int g = ci / perGroupIn;
                        for (int kh = 0; kh < t.kh(); kh++) {
                            for (int kw = 0; kw < t.kw(); kw++) {
                                int oh = h * t.sh() + kh - top;
                                int ow = w * t.sw() + kw - left;
                                if (oh < 0 || ow < 0 || oh >= out.height() || ow >= out.width()) continue;
                                for (int o = 0; o < perGroupOut; o++) {
                                    float k = kernel[((kh * t.kw() + kw) * perGroupOut + o) * c + ci];
                                    y[b * perExample + (oh * out.width() + ow) * t.filters() + g * perGroupOut + o] += v * k;
                                }
                            }
                        }
                    }
                }
            }
        }
        return y;
    }

    /** Values printed by compiler/src/test/reference/drn_seg_counts.py from fyu/drn's fill_up_weights. */
    private static final double[] FILL_UP_16_ROW_0 = {0.003906, 0.011719, 0.019531, 0.027344, 0.035156, 0.042969,
            0.050781, 0.058594, 0.058594, 0.050781, 0.042969, 0.035156, 0.027344, 0.019531, 0.011719, 0.003906};
    private static final double[][] FILL_UP_3 = {{0.0625, 0.1875, 0.1875}, {0.1875, 0.5625, 0.5625}, {0.1875, 0.5625, 0.5625}};

    @Test
    void theBilinearInitializerEqualsFillUpWeights() {
        // DRNSeg's up layer for 3 classes: kernel 16, stride 8, padding 4, one group per class, not trained.
        Conv2dTranspose up = new Conv2dTranspose(3, 16, 16, 8, 8, Padding.explicit(4, 4, 4, 4), 0, 0, 3, false,
                Initializer.BILINEAR, null);
        Analysis analysis = analyze(TensorShape.of(2, 2, 3), List.of(new Node("up", up, List.of(Model.INPUT),
                SourcePos.ofFile("test"), "", "", false)));
        try (CompiledModel model = new GraphLowerer().lower(analysis); Session session = new Session(model.graph())) {
            assertTrue(model.trainableVariables().isEmpty());
            assertEquals("up/kernel", model.nonTrainableVariables().get(0).name());
            float[] kernel;
            try (Result r = session.runner().fetch(model.nonTrainableVariables().get(0).read()).run()) {
                kernel = values(r.get(0));
            }
            assertEquals(16 * 16 * 3, kernel.length);
            for (int x = 0; x < 16; x++) {
                for (int channel = 0; channel < 3; channel++) {
                    assertEquals(FILL_UP_16_ROW_0[x], kernel[x * 3 + channel], 1e-6, "row 0, column " + x);
                    assertEquals(FILL_UP_16_ROW_0[x], kernel[(x * 16) * 3 + channel], 1e-6, "column 0, row " + x);
                }
            }
            assertEquals(0.9375 * 0.9375, kernel[(7 * 16 + 8) * 3], 1e-6, "the centre taps are 1 - 1/16");
        }
        float[][][][] k3 = GraphLowerer.bilinear(new long[] {3, 3, 1, 1});
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 3; x++) assertEquals(FILL_UP_3[y][x], k3[y][x][0][0], 1e-6);
        }
        // With groups 1 (filters per group = channels), only each channel's own filter is bilinear.
        float[][][][] full = GraphLowerer.bilinear(new long[] {4, 4, 2, 2});
        assertEquals(0f, full[1][1][0][1]);
        assertEquals(full[1][1][0][0], full[1][1][1][1]);
        assertTrue(full[1][1][0][0] > 0.5f);
    }

    /** A bilinear transposed convolution (kernel 2s, stride s, padding s/2) is a bilinear resize with half-pixel centres away from the border. */
    @Test
    void bilinearTransposedConvolutionEqualsBilinearResizeInside() {
        int s = 4;
        TensorShape in = TensorShape.of(4, 5, 2);
        Conv2dTranspose up = new Conv2dTranspose(2, 2 * s, 2 * s, s, s, Padding.explicit(s / 2, s / 2, s / 2, s / 2), 0, 0, 2,
                false, Initializer.BILINEAR, null);
        long[] inputShape = withBatch(1, in);
        float[] x = uniform(new Random(9), size(inputShape), 1);
        float[] conv = run(analyze(in, chain(up)), inputShape, x, 0)[0];
        float[] resized = run(analyze(in, chain(Resize.byFactor(Resize.Method.BILINEAR, s, s, false))), inputShape, x, 0)[0];
        int h = in.height() * s;
        int w = in.width() * s;
        assertEquals(h * w * 2, conv.length);
        for (int y = s; y < h - s; y++) {
            for (int c = s; c < w - s; c++) {
                for (int ch = 0; ch < 2; ch++) {
                    int i = (y * w + c) * 2 + ch;
                    assertEquals(resized[i], conv[i], 1e-5, "pixel " + y + ", " + c);
                }
            }
        }
    }

    @Test
    void resizeFollowsPyTorchInterpolate() {
        TensorShape in = TensorShape.of(1, 2, 1);
        long[] shape = withBatch(1, in);
        float[] x = {0, 1};
        // F.interpolate([[0, 1]], scale_factor=2, mode='bilinear', align_corners=False) -> 0, 0.25, 0.75, 1
        assertArrayEquals(new float[] {0, 0.25f, 0.75f, 1, 0, 0.25f, 0.75f, 1},
                run(analyze(in, chain(Resize.byFactor(Resize.Method.BILINEAR, 2, 2, false))), shape, x, 0)[0], 1e-6f);
        // nn.UpsamplingBilinear2d(scale_factor=2) (align_corners=True) on 2 columns, 4 out: 0, 1/3, 2/3, 1
        float third = 1f / 3;
        assertArrayEquals(new float[] {0, third, 2 * third, 1, 0, third, 2 * third, 1},
                run(analyze(in, chain(Resize.byFactor(Resize.Method.BILINEAR, 2, 2, true))), shape, x, 0)[0], 1e-6f);
        assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1},
                run(analyze(in, chain(Resize.byFactor(Resize.Method.NEAREST, 3, 2, false))), shape, x, 0)[0]);
        assertArrayEquals(new float[] {0, 0.5f, 1},
                run(analyze(in, chain(Resize.toSize(Resize.Method.BILINEAR, 1, 3, true))), shape, x, 0)[0], 1e-6f);
    }

    @Test
    void shapesAndMacs() {
        Conv2dTranspose up = new Conv2dTranspose(19, 16, 16, 8, 8, Padding.explicit(4, 4, 4, 4), 0, 0, 19, false,
                Initializer.BILINEAR, null);
        List<TensorShape> in = List.of(TensorShape.of(28, 28, 19));
        assertEquals(TensorShape.of(224, 224, 19), up.outputShape(in));
        assertEquals(28L * 28 * 19 * 16 * 16, up.macs(in, up.outputShape(in)));
        assertArrayEquals(new long[] {16, 16, 1, 19}, up.weights(in).get(0).shape());
        assertEquals(TensorShape.of(9, 9, 4), transpose(4, 3, 2, Padding.VALID, 0, 1).outputShape(List.of(TensorShape.of(4, 4, 2))));
        assertEquals(TensorShape.of(8, 8, 4), transpose(4, 3, 2, Padding.SAME, 0, 1).outputShape(List.of(TensorShape.of(4, 4, 2))));
        assertEquals(TensorShape.of(8, 8, 4), transpose(4, 4, 2, Padding.explicit(1, 1, 1, 1), 0, 2).outputShape(List.of(TensorShape.of(4, 4, 2))));
        assertEquals(TensorShape.of(56, 40, 3), Resize.toSize(Resize.Method.NEAREST, 56, 40, false).outputShape(List.of(TensorShape.of(7, 5, 3))));
        assertEquals(TensorShape.of(14, 15, 3), Resize.byFactor(Resize.Method.NEAREST, 2, 3, false).outputShape(List.of(TensorShape.of(7, 5, 3))));
    }

    @Test
    void impossibleTransposesAreRefusedWithTheReason() {
        assertEquals("conv2d_transpose: the bilinear initializer upsamples each channel by itself, so filters (4) must equal the input channels (2)",
                shapeError(new Conv2dTranspose(4, 4, 4, 2, 2, Padding.VALID, 0, 0, 2, false, Initializer.BILINEAR, null), 2));
        assertEquals("conv2d_transpose: output_padding must be smaller than the strides, got 2x2 with strides 2x2",
                shapeError(transpose(2, 4, 2, Padding.VALID, 2, 1), 2));
        assertEquals("conv2d_transpose: groups 2 must divide the input channels (3) and the filters (4)",
                shapeError(transpose(4, 4, 2, Padding.VALID, 0, 2), 3));
    }

    private static String shapeError(LayerSpec layer, int channels) {
        return assertThrows(ShapeException.class, () -> layer.outputShape(List.of(TensorShape.of(4, 4, channels)))).getMessage();
    }

    @Test
    void aLayerMarkedNotTrainableHasOnlyNonTrainableWeights() {
        Node frozen = new Node("up", transpose(2, 4, 2, Padding.VALID, 0, 1), List.of(Model.INPUT), SourcePos.ofFile("t"), "", "", false);
        Analysis analysis = analyze(TensorShape.of(3, 3, 2), List.of(frozen, node("head", transpose(2, 3, 1, Padding.SAME, 0, 1), "up")));
        assertEquals(2 * 4 * 4 * 2 + 2, analysis.nonTrainableParams());
        try (CompiledModel model = new GraphLowerer().lower(analysis)) {
            assertEquals(List.of("up/kernel", "up/bias"), model.nonTrainableVariables().stream().map(WeightVariable::name).toList());
            assertEquals(List.of("head/kernel", "head/bias"), model.trainableVariables().stream().map(WeightVariable::name).toList());
            assertFalse(model.nonTrainableVariables().get(0).spec().trainable());
        }
    }

    /** {output, then the first trainable variable's values and the second's when {@code weights} is 2}. */
    private static float[][] run(Analysis analysis, long[] inputShape, float[] x, int weights) {
        try (CompiledModel model = new GraphLowerer().lower(analysis); Session session = new Session(model.graph());
             TFloat32 input = tensor(inputShape, x)) {
            Session.Runner runner = session.runner().feed(model.input(), input).fetch(model.output(Mode.INFERENCE));
            for (int i = 0; i < weights; i++) runner.fetch(model.trainableVariables().get(i).read());
            try (Result result = runner.run()) {
                float[][] out = new float[1 + weights][];
                for (int i = 0; i <= weights; i++) out[i] = values(result.get(i));
                return out;
            }
        }
    }
}
