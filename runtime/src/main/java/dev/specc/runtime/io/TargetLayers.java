package dev.specc.runtime.io;

import dev.specc.ir.TensorShape;
import dev.specc.ir.WeightSpec;
import dev.specc.shapes.Analysis;
import dev.specc.shapes.AnalyzedNode;
import java.util.HashMap;
import java.util.Map;

/**
 * What a weight mapping needs to know of the model a file is loaded into: the kind of each layer
 * that has weights, its variables' shapes, and, for a dense layer right after a flatten, the
 * [height, width, channels] it flattens (a channel-first file orders that kernel's rows otherwise).
 */
public final class TargetLayers {
    /** One layer with weights; {@code flattened} is null unless the layer is a dense one reading a flatten of an image. */
    public record Layer(String name, String kind, Map<String, long[]> weights, int[] flattened) {
    }

    private final Map<String, Layer> layers = new HashMap<>();

    private TargetLayers() {
    }

    public static TargetLayers of(Analysis analysis) {
        TargetLayers target = new TargetLayers();
        for (AnalyzedNode n : analysis.nodes()) {
            if (n.weights().isEmpty()) continue;
            Map<String, long[]> weights = new HashMap<>();
            for (WeightSpec w : n.weights()) weights.put(w.name(), w.shape());
            target.layers.put(n.node().name(), new Layer(n.node().name(), n.node().layer().kind(), weights,
                    flattenedImage(analysis, n)));
        }
        return target;
    }

    private static int[] flattenedImage(Analysis analysis, AnalyzedNode n) {
        if (!n.node().layer().kind().equals("dense") || n.node().inputs().size() != 1) return null;
        AnalyzedNode input = analysis.node(n.node().inputs().get(0));
        if (input == null || !input.node().layer().kind().equals("flatten")) return null;
        TensorShape shape = input.inputShapes().get(0);
        return shape.isImage() && shape.height() * shape.width() > 1 ? shape.dims() : null;
    }

    /** The layer of that name, or null. */
    public Layer layer(String name) {
        return layers.get(name);
    }
}
