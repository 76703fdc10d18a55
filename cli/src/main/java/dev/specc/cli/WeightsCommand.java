package dev.specc.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.specc.diag.UsageException;
import dev.specc.ir.WeightSpec;
import dev.specc.runtime.io.StoredTensor;
import dev.specc.runtime.io.WeightFiles;
import dev.specc.weights.WeightFormat;
import dev.specc.shapes.Analysis;
import dev.specc.shapes.AnalyzedNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "weights", description = {"List every variable of the network: name, shape, dtype, whether it is trained, "
        + "and its layer's kind; what a weight mapping (--mapping) maps onto. Loads no TensorFlow.",
        "With --file WEIGHTS instead of SPEC: the tensors a weight file holds (safetensors, PyTorch checkpoint, Keras .h5), "
        + "under the names a mapping's patterns see, with their shapes and stored dtypes; no tensor data is read."})
final class WeightsCommand implements Callable<Integer> {
    /** Every variable is float32 (bfloat16 runs compute in bfloat16 but keep float32 variables). */
    static final String DTYPE = "float32";

    @Parameters(paramLabel = "SPEC", arity = "0..1", description = "The spec file (or --file).")
    Path file;

    @Option(names = "--file", paramLabel = "WEIGHTS", description = "Instead of SPEC: list the tensors of this weight file "
            + "(safetensors, a PyTorch checkpoint or Keras HDF5), what a mapping maps from.")
    Path weightFile;

    @Mixin
    FormatOption output;

    @Mixin
    SpecOptions options;

    private record Row(String name, long[] shape, boolean trainable, String layer, String kind) {
    }

    @Override
    public Integer call() throws Exception {
        if ((file == null) == (weightFile == null)) {
            throw new UsageException(file == null ? "missing SPEC: give the spec whose variables to list, or --file WEIGHTS "
                    + "to list a weight file's tensors" : "give SPEC or --file WEIGHTS, not both: --file lists the file's own "
                    + "tensors, SPEC the variables they are loaded into");
        }
        if (weightFile != null) {
            if (options.inputShape != null) throw new UsageException("--input-shape shapes a SPEC; --file lists a weight file as it is");
            return listFile();
        }
        Analysis analysis = options.analyze(file);
        List<Row> rows = new ArrayList<>();
        for (AnalyzedNode n : analysis.nodes()) {
            for (WeightSpec w : n.weights()) {
                rows.add(new Row(n.node().name() + "/" + w.name(), w.shape(), w.trainable(), n.node().name(),
                        n.node().layer().kind()));
            }
        }
        output.print(() -> json(analysis, rows), out -> table(analysis, rows, out));
        return Specc.OK;
    }

    private int listFile() throws IOException {
        ArgumentChecks.existingFile("--file", weightFile, "a weight file (safetensors, PyTorch checkpoint or Keras .h5)");
        WeightFiles.Listing listing;
        try {
            listing = WeightFiles.list(weightFile);
        } catch (WeightFormat.UnknownFormatException e) {
            throw new UsageException("--file " + e.getMessage());
        }
        output.print(() -> json(listing), out -> table(listing, out));
        return Specc.OK;
    }

    private void table(WeightFiles.Listing listing, PrintWriter out) {
        int name = "Name".length();
        int shape = "Shape".length();
        long elements = 0;
        for (StoredTensor t : listing.tensors()) {
            name = Math.max(name, t.name().length());
            shape = Math.max(shape, Arrays.toString(t.shape()).length());
            elements += t.elements();
        }
        String format = "%-" + name + "s  %-" + shape + "s  %s%n";
        out.printf(format, "Name", "Shape", "Dtype");
        for (StoredTensor t : listing.tensors()) out.printf(format, t.name(), Arrays.toString(t.shape()), t.dtype());
        out.printf("%d tensors, %s values (%s)%n", listing.tensors().size(), Numbers.count(elements),
                listing.format().description());
    }

    private ObjectNode json(WeightFiles.Listing listing) {
        ObjectNode root = new ObjectMapper().createObjectNode();
        root.put("file", weightFile.toString());
        root.put("format", listing.format().name().toLowerCase(Locale.ROOT));
        ArrayNode tensors = root.putArray("tensors");
        for (StoredTensor t : listing.tensors()) {
            ObjectNode w = tensors.addObject();
            w.put("name", t.name());
            ArrayNode shape = w.putArray("shape");
            for (long d : t.shape()) shape.add(d);
            w.put("dtype", t.dtype());
        }
        return root;
    }

    private static void table(Analysis analysis, List<Row> rows, PrintWriter out) {
        int name = "Name".length();
        int shape = "Shape".length();
        for (Row r : rows) {
            name = Math.max(name, r.name().length());
            shape = Math.max(shape, Arrays.toString(r.shape()).length());
        }
        String format = "%-" + name + "s  %-" + shape + "s  %-7s  %-9s  %s%n";
        out.printf(format, "Name", "Shape", "Dtype", "Trainable", "Kind");
        for (Row r : rows) {
            out.printf(format, r.name(), Arrays.toString(r.shape()), DTYPE, r.trainable() ? "yes" : "no", r.kind());
        }
        out.printf("%d variables, %s parameters (%s trainable)%n", rows.size(), Numbers.count(analysis.totalParams()),
                Numbers.count(analysis.trainableParams()));
    }

    private static ObjectNode json(Analysis analysis, List<Row> rows) {
        ObjectNode root = new ObjectMapper().createObjectNode();
        root.put("name", analysis.model().name());
        root.put("file", analysis.model().sourceFile());
        root.put("total_params", analysis.totalParams());
        root.put("trainable_params", analysis.trainableParams());
        ArrayNode weights = root.putArray("weights");
        for (Row r : rows) {
            ObjectNode w = weights.addObject();
            w.put("name", r.name());
            ArrayNode shape = w.putArray("shape");
            for (long d : r.shape()) shape.add(d);
            w.put("dtype", DTYPE);
            w.put("trainable", r.trainable());
            w.put("layer", r.layer());
            w.put("kind", r.kind());
        }
        return root;
    }
}
