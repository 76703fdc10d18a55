package dev.specc.shapes;

import dev.specc.diag.Diagnostics;
import dev.specc.ir.LayerSpec;
import dev.specc.ir.Model;
import dev.specc.ir.Node;
import dev.specc.ir.ShapeException;
import dev.specc.ir.TensorShape;
import dev.specc.ir.WeightSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Walks a resolved model in order and computes every node's output shape, weights, MACs,
 * receptive field and output stride. A node whose inputs failed is skipped silently, so one
 * mistake is reported once; every independent mistake is reported.
 */
public final class ShapeInference {
    private ShapeInference() {
    }

    private record Field(TensorShape shape, int receptiveField, int stride) {
    }

    /** Returns null when any node failed; the reasons are in {@code diagnostics}. */
    public static Analysis analyze(Model model, Diagnostics diagnostics) {
        Map<String, Field> fields = new HashMap<>();
        fields.put(Model.INPUT, new Field(model.inputShape(), 1, 1));
        List<AnalyzedNode> analyzed = new ArrayList<>();
        boolean failed = false;
        for (Node node : model.nodes()) {
            List<Field> inputs = new ArrayList<>();
            for (String name : node.inputs()) inputs.add(fields.get(name));
            if (inputs.contains(null)) {
                failed = true;
                continue;
            }
            LayerSpec layer = node.layer();
            List<TensorShape> inShapes = inputs.stream().map(Field::shape).toList();
            try {
                TensorShape out = layer.outputShape(inShapes);
                Field field = receptiveField(layer, inputs, out);
                fields.put(node.name(), field);
                analyzed.add(new AnalyzedNode(node, inShapes, out, weightsOf(node, inShapes), layer.macs(inShapes, out),
                        field.receptiveField(), field.stride()));
            } catch (ShapeException e) {
                failed = true;
                String where = node.context().isEmpty() ? "" : node.context() + ": ";
                diagnostics.error(node.origin(), where + e.getMessage() + " [layer " + node.name() + "]");
            }
        }
        return failed ? null : new Analysis(model, analyzed);
    }

    /** The layer's weights; all of them non-trainable on a node marked {@code trainable: false}. */
    private static List<WeightSpec> weightsOf(Node node, List<TensorShape> inputs) {
        List<WeightSpec> weights = node.layer().weights(inputs);
        if (node.trainable()) return weights;
        return weights.stream().map(w -> new WeightSpec(w.name(), w.shape(), false, w.initializer())).toList();
    }

    private static Field receptiveField(LayerSpec layer, List<Field> inputs, TensorShape out) {
        int rf = inputs.stream().mapToInt(Field::receptiveField).max().orElse(1);
        int stride = inputs.stream().mapToInt(Field::stride).max().orElse(1);
        if (!out.isImage() || rf == 0) {
            return new Field(out, 0, 0);
        }
        if (inputs.get(0).shape().isImage() && out.height() == 1 && out.width() == 1 && layer.window() == null
                && inputs.get(0).shape().height() > 1) {
            // A global pool with keepdims sees the whole input.
            return new Field(out, 0, 0);
        }
        TensorShape in = inputs.get(0).shape();
        if (in.isImage() && out.height() > in.height() && out.height() % in.height() == 0) {
            // Upsampling (resize, transposed convolution): the output stride shrinks by the factor.
            return new Field(out, rf, Math.max(1, stride / (out.height() / in.height())));
        }
        LayerSpec.Window w = layer.window();
        if (w != null) {
            int effective = (w.kh() - 1) * w.dh() + 1;
            rf = rf + (effective - 1) * stride;
            stride = stride * w.sh();
        }
        return new Field(out, rf, stride);
    }
}
