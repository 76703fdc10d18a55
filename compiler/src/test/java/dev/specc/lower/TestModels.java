package dev.specc.lower;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.specc.diag.Diagnostics;
import dev.specc.diag.SourcePos;
import dev.specc.ir.LayerSpec;
import dev.specc.ir.Model;
import dev.specc.ir.Node;
import dev.specc.ir.TensorShape;
import dev.specc.shapes.Analysis;
import dev.specc.shapes.ShapeInference;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/** Small hand-built models, and float tensors to and from Java arrays. */
final class TestModels {
    private TestModels() {
    }

    static Node node(String name, LayerSpec layer, String... inputs) {
        return new Node(name, layer, List.of(inputs), SourcePos.ofFile("test"), "", "");
    }

    /** Layers in a chain named l0, l1, ..., the first reading the input. */
    static List<Node> chain(LayerSpec... layers) {
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < layers.length; i++) {
            nodes.add(node("l" + i, layers[i], i == 0 ? Model.INPUT : "l" + (i - 1)));
        }
        return nodes;
    }

    static Analysis analyze(TensorShape input, List<Node> nodes) {
        Diagnostics diagnostics = new Diagnostics();
        Analysis analysis = ShapeInference.analyze(new Model("test", "test", input, nodes, List.of()), diagnostics);
        assertNotNull(analysis, () -> diagnostics.sorted().toString());
        return analysis;
    }

    static float[] uniform(Random random, int n, double scale) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) values[i] = (float) ((random.nextDouble() * 2 - 1) * scale);
        return values;
    }

    static TFloat32 tensor(long[] shape, float[] values) {
        return TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(values, true, false));
    }

    static float[] values(Tensor tensor) {
        TFloat32 t = (TFloat32) tensor;
        float[] values = new float[Math.toIntExact(t.shape().size())];
        t.copyTo(DataBuffers.of(values, false, false));
        return values;
    }

    /** [batch, example dims...]. */
    static long[] withBatch(int batch, TensorShape shape) {
        long[] dims = new long[shape.rank() + 1];
        dims[0] = batch;
        for (int i = 0; i < shape.rank(); i++) dims[i + 1] = shape.dim(i);
        return dims;
    }

    static int size(long[] shape) {
        long n = 1;
        for (long d : shape) n *= d;
        return Math.toIntExact(n);
    }
}
