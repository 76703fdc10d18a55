package dev.specc.lower;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.specc.config.DataConfig;
import dev.specc.config.Normalization;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one place the data section's pixel scaling becomes constants, for the data pipeline and the exported graph. */
class LoweringOptionsTest {
    @Test
    void theDataSectionsScalingPerChannel() {
        DataConfig d = DataConfig.defaults();
        Normalization rgb = new Normalization(List.of(0.5, 0.25, 0.125), List.of(2.0, 4.0, 8.0), null);
        DataConfig normalized = new DataConfig(d.source(), null, null, null, 0.1, 42, 0.5, rgb, d.augment(), 1, 1, null, null, null, null);
        LoweringOptions.Preprocessing p = LoweringOptions.Preprocessing.of(normalized, 3);
        assertEquals(0.5f, p.rescale());
        assertArrayEquals(new float[] {0.5f, 0.25f, 0.125f}, p.mean());
        assertArrayEquals(new float[] {2, 4, 8}, p.std());
        LoweringOptions.Preprocessing plain = LoweringOptions.Preprocessing.of(d, 1);
        assertEquals((float) d.rescale(), plain.rescale());
        assertArrayEquals(new float[] {0}, plain.mean());
        assertArrayEquals(new float[] {1}, plain.std());
    }

    private static DataConfig withPreset(Normalization.Preset preset) {
        DataConfig d = DataConfig.defaults();
        return new DataConfig(d.source(), null, null, null, 0.1, 42, 1, Normalization.of(preset, null), d.augment(), 1, 1, null);
    }

    private static float[] apply(Normalization.Preset preset, float... rgb) {
        float[] out = new float[rgb.length];
        LoweringOptions.Preprocessing.of(withPreset(preset), 3).apply(rgb, 3, out, 0);
        return out;
    }

    /** Keras' preprocess_input in float32, written out: NumPy computes each step in float32 as here. */
    @Test
    void presetsComputeWhatKerasPreprocessInputDoes() {
        float r = 200, g = 100, b = 7;
        assertArrayEquals(new float[] {b - 103.939f, g - 116.779f, r - 123.68f, 1 - 103.939f, 2 - 116.779f, 3 - 123.68f},
                apply(Normalization.Preset.CAFFE, r, g, b, 3, 2, 1), "caffe: BGR, minus the means, no scaling");
        assertArrayEquals(new float[] {(r / 255f - 0.485f) / 0.229f, (g / 255f - 0.456f) / 0.224f, (b / 255f - 0.406f) / 0.225f},
                apply(Normalization.Preset.TORCH, r, g, b));
        assertArrayEquals(new float[] {r / 127.5f - 1, g / 127.5f - 1, b / 127.5f - 1}, apply(Normalization.Preset.TF, r, g, b));
        assertArrayEquals(new float[] {-1, 1, 0}, apply(Normalization.Preset.TF, 0, 255, 127.5f));
        // Division, as Keras divides: multiplying by 1/127.5 differs in the last bit for 126 of the 256 pixel values.
        assertEquals(3f / 127.5f - 1, apply(Normalization.Preset.TF, 3, 3, 3)[0]);
        assertEquals(0.011764706f, 3f / 255f);
        assertEquals(0.011764707f, 3f * (1f / 255f));
        assertEquals((3f / 255f - 0.485f) / 0.229f, apply(Normalization.Preset.TORCH, 3, 3, 3)[0]);
    }

    @Test
    void presetsAreTheFirstOpsOfAnExportedGraph() {
        dev.specc.shapes.Analysis analysis = tinyRgb();
        float[] pixels = {200, 100, 7, 0, 255, 30};
        for (Normalization.Preset preset : Normalization.Preset.values()) {
            LoweringOptions.Preprocessing p = LoweringOptions.Preprocessing.of(withPreset(preset), 3);
            float[] expected = new float[6];
            p.apply(pixels, 3, expected, 0);
            try (CompiledModel model = new GraphLowerer().lower(analysis, new LoweringOptions(1, p));
                 org.tensorflow.Session session = new org.tensorflow.Session(model.graph());
                 org.tensorflow.types.TFloat32 x = org.tensorflow.types.TFloat32.tensorOf(
                         org.tensorflow.ndarray.Shape.of(1, 1, 2, 3), org.tensorflow.ndarray.buffer.DataBuffers.of(pixels));
                 org.tensorflow.Result result = session.runner().feed(model.input(), x).fetch(model.output(Mode.INFERENCE)).run()) {
                float[] got = new float[6];
                ((org.tensorflow.types.TFloat32) result.get(0)).copyTo(org.tensorflow.ndarray.buffer.DataBuffers.of(got, false, false));
                // TensorFlow's broadcast division rounds a few ulps apart from Java's (as the rescale did before presets).
                for (int i = 0; i < 6; i++) {
                    assertEquals(expected[i], got[i], 1e-6 * Math.max(1, Math.abs(expected[i])), preset + ": the graph computes what the data pipeline does");
                }
            }
        }
    }

    private static dev.specc.shapes.Analysis tinyRgb() {
        try {
            java.nio.file.Path file = java.nio.file.Files.createTempFile("rgb", ".yaml");
            java.nio.file.Files.writeString(file, """
                    specc: 1
                    name: rgb
                    input: {shape: [1, 2, 3]}
                    head:
                      - {kind: flatten, name: flatten}
                    """);
            return dev.specc.Pipeline.analyze(file, dev.specc.Pipeline.Options.DEFAULT);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
