package dev.specc.ir;

import dev.specc.diag.SourcePos;
import java.util.List;

/**
 * One layer of a resolved network: its unique Keras-style name (conv2_block1_1_conv), what it
 * computes, the names of the nodes it reads (or {@link Model#INPUT}), where it was written, the
 * stage/block it was expanded in ("stage conv3, block 2"; empty at top level), and whether its
 * weights are trained ({@code trainable: false} keeps them at their initial or loaded values).
 */
public record Node(String name, LayerSpec layer, List<String> inputs, SourcePos origin, String context, String stage,
                   boolean trainable) {

    public Node(String name, LayerSpec layer, List<String> inputs, SourcePos origin, String context, String stage) {
        this(name, layer, inputs, origin, context, stage, true);
    }
}
