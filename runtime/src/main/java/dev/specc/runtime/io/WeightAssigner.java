package dev.specc.runtime.io;

import dev.specc.lower.WeightVariable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Assign;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Sets a fixed list of variables from Java values. The graph gets one placeholder and one Assign
 * per variable when the assigner is made, under the name scope {@code load_weights}; each
 * {@link #assign} only feeds them. Making one assigner per model and variable list, instead of new
 * ops per call, keeps the graph from growing with every load.
 */
public final class WeightAssigner {
    private final Graph graph;
    private final List<WeightVariable> variables;
    private final List<Placeholder<TFloat32>> values = new ArrayList<>();
    private final List<Assign<TFloat32>> assignments = new ArrayList<>();

    /** Adds the placeholders and Assign ops for these variables to the graph. */
    public WeightAssigner(Graph graph, List<WeightVariable> variables) {
        this.graph = graph;
        this.variables = List.copyOf(variables);
        for (WeightVariable v : this.variables) {
            if (v.variable().env() != graph) {
                throw new IllegalArgumentException("weight " + v.name() + " belongs to another graph");
            }
        }
        // One sub-scope for all of them: making a sub-scope scans the whole graph.
        Ops tf = Ops.create(graph).withSubScope("load_weights");
        for (WeightVariable v : this.variables) {
            Placeholder<TFloat32> value = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(v.spec().shape())));
            values.add(value);
            assignments.add(tf.assign(v.variable(), value));
        }
    }

    public List<WeightVariable> variables() {
        return variables;
    }

    /**
     * Sets every variable of this assigner to its value, looked up by name, in one session run.
     *
     * @throws IllegalArgumentException when a value is missing, is not F32, or has another shape;
     *     then no variable is changed
     */
    public void assign(Session session, Map<String, Tensor> byName) {
        if (session.graph() != graph) {
            throw new IllegalArgumentException("the session runs another graph than the one these assignments are in");
        }
        for (WeightVariable v : variables) check(v, byName.get(v.name()));
        if (variables.isEmpty()) return;
        List<TFloat32> fed = new ArrayList<>();
        try {
            Session.Runner runner = session.runner();
            for (int i = 0; i < variables.size(); i++) {
                WeightVariable v = variables.get(i);
                TFloat32 tensor = TFloat32.tensorOf(Shape.of(v.spec().shape()),
                        DataBuffers.of(byName.get(v.name()).data().asFloatBuffer()));
                fed.add(tensor);
                runner.feed(values.get(i), tensor).addTarget(assignments.get(i));
            }
            // Targets only: the result holds no tensors, but it is closed all the same.
            runner.run().close();
        } finally {
            fed.forEach(TFloat32::close);
        }
    }

    private static void check(WeightVariable v, Tensor value) {
        if (value == null) {
            throw new IllegalArgumentException("no value for weight " + v.name());
        }
        if (value.dtype() != DType.F32) {
            throw new IllegalArgumentException("weight " + v.name() + " is F32, but its value is " + value.dtype());
        }
        if (!Arrays.equals(value.shape(), v.spec().shape())) {
            throw new IllegalArgumentException("weight " + v.name() + " has shape " + Arrays.toString(v.spec().shape())
                    + ", but its value has shape " + Arrays.toString(value.shape()));
        }
    }
}
