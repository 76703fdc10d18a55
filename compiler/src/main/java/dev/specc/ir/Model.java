package dev.specc.ir;

import java.util.List;
import java.util.Set;

/**
 * A resolved network: nodes in topological order, every block and stage expanded, every value
 * evaluated. The last node is the output.
 */
public record Model(String name, String sourceFile, TensorShape inputShape, List<Node> nodes, List<Stage> stages) {

    /** The name under which a node refers to the network input; also the graph's input placeholder. */
    public static final String INPUT = "input";

    /** The name of the lowered graph's inference output. */
    public static final String OUTPUT = "output";

    /** The scope of the input's rescaling and normalisation in a graph that takes raw pixels (a SavedModel's). */
    public static final String PREPROCESSING = "preprocessing";

    /**
     * Top-level names a layer may not take: the lowered graph's input placeholder, its
     * preprocessing, inference output and the scopes of its training and inference paths, and the
     * scope under which the runtime keeps optimizer slots (a checkpoint drops every tensor named
     * "optimizer/...").
     */
    public static final Set<String> RESERVED_NAMES = Set.of(INPUT, PREPROCESSING, OUTPUT, "train", "infer", "optimizer");

    /** A named stage and the name of the node that ends it. */
    public record Stage(String name, int blocks, String lastNode) {
    }

    public Node output() {
        return nodes.get(nodes.size() - 1);
    }
}
