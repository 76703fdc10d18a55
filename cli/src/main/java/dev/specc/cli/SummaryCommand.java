package dev.specc.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.specc.ir.Model;
import dev.specc.shapes.Analysis;
import dev.specc.shapes.AnalyzedNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "summary", description = "Print the network as a Keras-like table: layers, output shapes, parameters, "
        + "MACs, and per stage the output stride and receptive field. Loads no TensorFlow.")
final class SummaryCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SPEC", description = "The spec file.")
    Path file;

    @Mixin
    FormatOption output;

    @Mixin
    SpecOptions options;

    @Override
    public Integer call() throws Exception {
        Analysis analysis = options.analyze(file);
        output.print(() -> json(analysis), out -> printTable(analysis, out));
        return Specc.OK;
    }

    static void printTable(Analysis a, PrintWriter out) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {Model.INPUT, "input", a.model().inputShape().toBatchString(), "0", ""});
        for (AnalyzedNode n : a.nodes()) {
            rows.add(new String[] {n.node().name(), n.node().layer().kind(), n.output().toBatchString(),
                    Numbers.count(n.params()), String.join(", ", n.node().inputs())});
        }
        String[] header = {"Layer", "Kind", "Output shape", "Params", "Inputs"};
        int[] width = new int[header.length];
        for (int i = 0; i < header.length; i++) width[i] = header[i].length();
        for (String[] r : rows) {
            for (int i = 0; i < r.length - 1; i++) width[i] = Math.max(width[i], r[i].length());
        }
        String format = "%-" + width[0] + "s  %-" + width[1] + "s  %-" + width[2] + "s  %" + width[3] + "s  %s%n";
        int ruleLength = width[0] + width[1] + width[2] + width[3] + 8 + 24;
        out.printf("Model: %s  (%s)%n", a.model().name(), a.model().sourceFile());
        out.println("=".repeat(ruleLength));
        out.printf(format, (Object[]) header);
        out.println("-".repeat(ruleLength));
        for (String[] r : rows) out.printf(format, (Object[]) r);
        out.println("=".repeat(ruleLength));
        out.printf("Total params: %s (%s)%n", Numbers.count(a.totalParams()), Numbers.bytes(a.totalParams()));
        out.printf("Trainable params: %s (%s)%n", Numbers.count(a.trainableParams()), Numbers.bytes(a.trainableParams()));
        out.printf("Non-trainable params: %s (%s)%n", Numbers.count(a.nonTrainableParams()), Numbers.bytes(a.nonTrainableParams()));
        out.printf("MACs: %s (%s multiply-accumulates per example)%n", Numbers.si(a.macs()), Numbers.count(a.macs()));
        if (!a.model().stages().isEmpty()) {
            out.println();
            String sf = "%-12s  %6s  %-14s  %13s  %15s%n";
            out.printf(sf, "Stage", "Blocks", "Output shape", "Output stride", "Receptive field");
            for (Model.Stage s : a.model().stages()) {
                AnalyzedNode last = a.node(s.lastNode());
                out.printf(sf, s.name(), s.blocks(), last.output(), last.outputStride(), last.receptiveField());
            }
        }
    }

    static ObjectNode json(Analysis a) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("name", a.model().name());
        root.put("file", a.model().sourceFile());
        root.set("input_shape", shape(mapper, a.model().inputShape().dims()));
        root.put("total_params", a.totalParams());
        root.put("trainable_params", a.trainableParams());
        root.put("non_trainable_params", a.nonTrainableParams());
        root.put("macs", a.macs());
        ArrayNode layers = root.putArray("layers");
        ObjectNode input = layers.addObject();
        input.put("name", Model.INPUT);
        input.put("kind", "input");
        input.set("output_shape", shape(mapper, a.model().inputShape().dims()));
        input.put("params", 0);
        input.put("trainable_params", 0);
        input.put("macs", 0);
        input.putArray("inputs");
        for (AnalyzedNode n : a.nodes()) {
            ObjectNode layer = layers.addObject();
            layer.put("name", n.node().name());
            layer.put("kind", n.node().layer().kind());
            layer.set("output_shape", shape(mapper, n.output().dims()));
            layer.put("params", n.params());
            layer.put("trainable_params", n.trainableParams());
            layer.put("macs", n.macs());
            ArrayNode inputs = layer.putArray("inputs");
            n.node().inputs().forEach(inputs::add);
            if (!n.node().stage().isEmpty()) layer.put("stage", n.node().stage());
        }
        ArrayNode stages = root.putArray("stages");
        for (Model.Stage s : a.model().stages()) {
            AnalyzedNode last = a.node(s.lastNode());
            ObjectNode stage = stages.addObject();
            stage.put("name", s.name());
            stage.put("blocks", s.blocks());
            stage.set("output_shape", shape(mapper, last.output().dims()));
            stage.put("output_stride", last.outputStride());
            stage.put("receptive_field", last.receptiveField());
        }
        return root;
    }

    private static ArrayNode shape(ObjectMapper mapper, int[] dims) {
        ArrayNode array = mapper.createArrayNode();
        for (int d : dims) array.add(d);
        return array;
    }
}
