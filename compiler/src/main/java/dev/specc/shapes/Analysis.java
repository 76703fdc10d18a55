package dev.specc.shapes;

import dev.specc.ir.Model;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A model with every node's shape, weights and cost: what summary, graph and lowering read. */
public final class Analysis {
    private final Model model;
    private final List<AnalyzedNode> nodes;
    private final Map<String, AnalyzedNode> byName = new LinkedHashMap<>();

    Analysis(Model model, List<AnalyzedNode> nodes) {
        this.model = model;
        this.nodes = List.copyOf(nodes);
        for (AnalyzedNode n : nodes) byName.put(n.node().name(), n);
    }

    public Model model() {
        return model;
    }

    public List<AnalyzedNode> nodes() {
        return nodes;
    }

    public AnalyzedNode node(String name) {
        return byName.get(name);
    }

    public AnalyzedNode output() {
        return nodes.get(nodes.size() - 1);
    }

    public long totalParams() {
        return nodes.stream().mapToLong(AnalyzedNode::params).sum();
    }

    public long trainableParams() {
        return nodes.stream().mapToLong(AnalyzedNode::trainableParams).sum();
    }

    public long nonTrainableParams() {
        return totalParams() - trainableParams();
    }

    public long macs() {
        return nodes.stream().mapToLong(AnalyzedNode::macs).sum();
    }
}
