package dev.specc.runtime.io;

import dev.specc.lower.WeightVariable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * Moves a model's weights between a TensorFlow session and Java {@link Tensor}s, by their Keras
 * names. One WeightIO serves one graph and keeps one {@link WeightAssigner} per list of variables
 * it has loaded, so loading again adds nothing to the graph.
 */
public final class WeightIO {
    private final Graph graph;
    private final Map<List<String>, WeightAssigner> assigners = new HashMap<>();

    public WeightIO(Graph graph) {
        this.graph = graph;
    }

    /** The current values of the variables, by name, in the order given; all read in one run. */
    public static Map<String, Tensor> fetch(Session session, List<WeightVariable> variables) {
        Map<String, Tensor> values = new LinkedHashMap<>();
        if (variables.isEmpty()) return values;
        Session.Runner runner = session.runner();
        variables.forEach(v -> runner.fetch(v.variable()));
        try (Result result = runner.run()) {
            for (int i = 0; i < variables.size(); i++) {
                TFloat32 value = (TFloat32) result.get(i);
                ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(value.size() * DType.F32.bytes()))
                        .order(ByteOrder.LITTLE_ENDIAN);
                value.copyTo(DataBuffers.of(bytes.asFloatBuffer()));
                values.put(variables.get(i).name(), new Tensor(DType.F32, value.shape().asArray(), bytes));
            }
        }
        return values;
    }

    /**
     * Sets each variable to the value of its name, in one run. The assign ops for this list of
     * variables are made on first use and reused afterwards.
     *
     * @throws IllegalArgumentException when a value is missing or does not fit; nothing changes then
     */
    public void assign(Session session, List<WeightVariable> variables, Map<String, Tensor> values) {
        if (session.graph() != graph) {
            throw new IllegalArgumentException("the session runs another graph than this WeightIO's");
        }
        assigner(variables).assign(session, values);
    }

    /**
     * Matches the file's weights to the model's (see {@link #match}) and loads those that match.
     *
     * @throws WeightLoadException as {@link #match} does; nothing is loaded then
     */
    public LoadReport load(Session session, List<WeightVariable> model, Map<String, Tensor> file, boolean partial) {
        LoadReport report = match(model, file, partial);
        assign(session, report.loaded(), file);
        return report;
    }

    /**
     * Matches weights by name, shape and element type (F32).
     *
     * <p>Strict ({@code partial} false): any missing, unexpected or mismatched weight is an error.
     * Partial, for fine-tuning: missing and mismatched weights keep their initial values and
     * unexpected ones are ignored; the report says which, for printing. Even then, a file of which
     * no weight fits the model is an error, since it is almost certainly the wrong file.
     *
     * @throws WeightLoadException whose message is the report
     */
    public static LoadReport match(List<WeightVariable> model, Map<String, Tensor> file, boolean partial) {
        List<WeightVariable> loaded = new ArrayList<>();
        List<LoadReport.NamedShape> missing = new ArrayList<>();
        List<LoadReport.Mismatch> mismatched = new ArrayList<>();
        Set<String> modelNames = new HashSet<>();
        for (WeightVariable v : model) {
            modelNames.add(v.name());
            Tensor value = file.get(v.name());
            long[] shape = v.spec().shape();
            if (value == null) {
                missing.add(new LoadReport.NamedShape(v.name(), shape));
            } else if (value.dtype() != DType.F32 || !Arrays.equals(value.shape(), shape)) {
                mismatched.add(new LoadReport.Mismatch(v.name(), shape, value.dtype(), value.shape()));
            } else {
                loaded.add(v);
            }
        }
        List<LoadReport.NamedShape> unexpected = file.entrySet().stream()
                .filter(e -> !modelNames.contains(e.getKey()))
                .map(e -> new LoadReport.NamedShape(e.getKey(), e.getValue().shape()))
                .sorted((a, b) -> a.name().compareTo(b.name()))
                .toList();
        LoadReport report = new LoadReport(loaded, missing, unexpected, mismatched, partial);
        if (!partial && !report.complete()) throw new WeightLoadException(report);
        if (partial && loaded.isEmpty() && !model.isEmpty()) {
            throw new WeightLoadException("none of the " + file.size() + " weights in the file fits the model's "
                    + model.size() + " weights by name and shape; is it the weight file of another network?\n"
                    + report, report);
        }
        return report;
    }

    private synchronized WeightAssigner assigner(List<WeightVariable> variables) {
        List<String> names = variables.stream().map(WeightVariable::name).toList();
        return assigners.computeIfAbsent(names, n -> new WeightAssigner(graph, variables));
    }
}
