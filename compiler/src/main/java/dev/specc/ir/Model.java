package dev.specc.ir;

import java.util.List;

/**
 * A resolved network: nodes in topological order, every block and stage expanded, every value
 * evaluated. The last node is the output.
 */
public record Model(String name, String sourceFile, TensorShape inputShape, List<Node> nodes, List<Stage> stages) {

    /** The name under which a node refers to the network input. */
    public static final String INPUT = "input";

    /** A named stage and the name of the node that ends it. */
    public record Stage(String name, int blocks, String lastNode) {
    }

    public Node output() {
        return nodes.get(nodes.size() - 1);
    }
}
