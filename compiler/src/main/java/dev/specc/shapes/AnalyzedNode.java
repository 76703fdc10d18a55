package dev.specc.shapes;

import dev.specc.ir.Node;
import dev.specc.ir.TensorShape;
import dev.specc.ir.WeightSpec;
import java.util.List;

/**
 * A node with its statically known facts. Receptive field and output stride are in input pixels
 * along the height axis (square windows in every reference network); 0 once spatial layout is gone.
 */
public record AnalyzedNode(Node node, List<TensorShape> inputShapes, TensorShape output, List<WeightSpec> weights,
                           long macs, int receptiveField, int outputStride) {

    public long params() {
        return weights.stream().mapToLong(WeightSpec::elements).sum();
    }

    public long trainableParams() {
        return weights.stream().filter(WeightSpec::trainable).mapToLong(WeightSpec::elements).sum();
    }
}
