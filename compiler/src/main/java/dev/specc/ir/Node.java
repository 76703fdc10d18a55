package dev.specc.ir;

import dev.specc.diag.SourcePos;
import java.util.List;

/**
 * One layer of a resolved network: its unique Keras-style name (conv2_block1_1_conv), what it
 * computes, the names of the nodes it reads (or {@link Model#INPUT}), where it was written, and
 * the stage/block it was expanded in ("stage conv3, block 2"; empty at top level).
 */
public record Node(String name, LayerSpec layer, List<String> inputs, SourcePos origin, String context, String stage) {
}
