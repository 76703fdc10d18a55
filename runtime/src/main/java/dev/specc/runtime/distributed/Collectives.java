package dev.specc.runtime.distributed;

import dev.specc.lower.CrossWorker;
import dev.specc.runtime.train.WorkerGroup;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import org.tensorflow.ExecutionEnvironment;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.TensorFlow;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TType;

/**
 * TensorFlow's collective ops (CollectiveReduceV2, CollectiveGatherV2, CollectiveBcastSendV2 /
 * RecvV2) for one worker's graph. Every worker builds the same graph in the same order, so the
 * n-th collective gets the same instance key on every worker, which is how TensorFlow pairs them up.
 * All-reduces use the ring algorithm; every collective gives up after {@code timeoutSeconds}
 * without its peers, so a worker that dies or hangs stops the others.
 *
 * <p>CollectiveReduceV2 has no gradient in TensorFlow's C++ registry (Python defines it); the one
 * registered here is the all-reduce of the incoming gradients, which is what the sum of the
 * workers' losses needs (synchronised batch norm differentiates through an all-reduce).
 */
public final class Collectives implements CrossWorker, WorkerGroup {
    private static final String REDUCE = "CollectiveReduceV2";
    private static final int GROUP_KEY = 1;
    private static final Map<ExecutionEnvironment, Collectives> BY_GRAPH = new WeakHashMap<>();

    private final ClusterSpec cluster;
    private final float timeoutSeconds;
    private final boolean syncBatchNorm;
    private Graph graph;
    private Placeholder<TFloat32> share;
    private Placeholder<TFloat32> globalBatch;
    private int nextInstanceKey = 1;

    /** For one graph, made by the lowering that the first use of these collectives takes part in. */
    public Collectives(ClusterSpec cluster, float timeoutSeconds, boolean syncBatchNorm) {
        this.cluster = cluster;
        this.timeoutSeconds = timeoutSeconds;
        this.syncBatchNorm = syncBatchNorm;
        registerGradient();
    }

    private void bind(Ops tf) {
        Graph of = (Graph) tf.scope().env();
        if (graph == of) return;
        if (graph != null) throw new IllegalStateException("these collectives belong to another graph");
        graph = of;
        Ops scope = Ops.create(graph).withSubScope("cluster");
        share = scope.withName("share").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
        globalBatch = scope.withName("global_batch_size").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
        synchronized (BY_GRAPH) {
            BY_GRAPH.put(graph, this);
        }
    }

    @Override
    public Placeholder<TFloat32> share(Ops tf) {
        bind(tf);
        return share;
    }

    /** Fed each step: this worker's examples divided by the global batch's. */
    Placeholder<TFloat32> shareInput() {
        return share;
    }

    /** Fed each step: the global batch's examples. */
    Placeholder<TFloat32> globalBatchSizeInput() {
        return globalBatch;
    }

    @Override
    public Operand<TFloat32> globalBatchSize(Ops tf) {
        bind(tf);
        return globalBatch;
    }

    @Override
    public boolean syncBatchNorm() {
        return syncBatchNorm;
    }

    @Override
    public Operand<TFloat32> globalMean(Ops tf, Operand<TFloat32> shardMean) {
        return allReduceSum(tf, tf.math.mul(shardMean, share(tf)));
    }

    @Override
    public Operand<TFloat32> globalSum(Ops tf, Operand<TFloat32> shardSum) {
        return allReduceSum(tf, shardSum);
    }

    /** All values flattened into one tensor, summed over the workers in one all-reduce, and cut apart again. */
    @Override
    public List<Operand<TFloat32>> sum(Ops tf, List<Operand<TFloat32>> values) {
        Ops scope = tf.withSubScope("all_reduce");
        List<Operand<TFloat32>> flat = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            flat.add(scope.reshape(values.get(i), scope.constant(new long[] {-1})));
        }
        Operand<TFloat32> packed = scope.concat(flat, scope.constant(0));
        Operand<TFloat32> summed = allReduceSum(scope, packed);
        List<Operand<TFloat32>> out = new ArrayList<>();
        Operand<TInt32> offsets = scope.constant(0);
        for (Operand<TFloat32> value : values) {
            Operand<TInt32> size = scope.size(value, TInt32.class);
            Operand<TFloat32> part = scope.slice(summed, scope.reshape(offsets, scope.constant(new int[] {1})),
                    scope.reshape(size, scope.constant(new int[] {1})));
            out.add(scope.reshape(part, scope.shape(value)));
            offsets = scope.math.add(offsets, size);
        }
        return out;
    }

    Operand<TFloat32> allReduceSum(Ops tf, Operand<TFloat32> value) {
        return collective(tf, REDUCE, value.asOutput(), null)
                .setAttr("merge_op", "Add").setAttr("final_op", "Id")
                .setAttr("communication_hint", "ring")
                .build().output(0);
    }

    /** Rows of every worker's [rows, columns] tensor, stacked in worker order (every worker sends as many rows). */
    Operand<TFloat32> gather(Ops tf, Operand<TFloat32> value) {
        return collective(tf, "CollectiveGatherV2", value.asOutput(), null).build().output(0);
    }

    /** The chief's {@code value}, sent to every other worker. */
    <T extends TType> GraphOperation broadcastSend(Ops tf, Operand<T> value) {
        return collective(tf, "CollectiveBcastSendV2", value.asOutput(), null).build();
    }

    /** What the chief's matching {@link #broadcastSend} sends, of {@code shape}. */
    <T extends TType> Operand<T> broadcastReceive(Ops tf, Operand<TInt32> shape, Class<T> type) {
        return collective(tf, "CollectiveBcastRecvV2", null, shape.asOutput())
                .setAttr("T", org.tensorflow.internal.types.registry.TensorTypeRegistry.find(type).dataType())
                .build().<T>output(0);
    }

    /** Reserves the next instance key; a send and its receive are built on different workers, so they take one each. */
    private Builder collective(Ops tf, String type, Output<?> input, Output<?> shape) {
        bind(tf);
        int key = nextInstanceKey++;
        var builder = graph.opBuilder(type, type + "_" + key, tf.scope());
        if (input != null) builder.addInput(input);
        builder.addInput(tf.constant(cluster.size()).asOutput()).addInput(tf.constant(GROUP_KEY).asOutput())
                .addInput(tf.constant(key).asOutput());
        if (shape != null) builder.addInput(shape);
        if (!type.startsWith("CollectiveBcast")) builder.addInputList(new Output<?>[0]);
        builder.setAttr("timeout_seconds", timeoutSeconds).setDevice(cluster.device());
        return new Builder(builder);
    }

    /** GraphOperationBuilder's setAttr returns the general OperationBuilder: this keeps the chain typed. */
    private record Builder(org.tensorflow.OperationBuilder builder) {
        Builder setAttr(String name, String value) {
            builder.setAttr(name, value);
            return this;
        }

        Builder setAttr(String name, org.tensorflow.proto.DataType value) {
            builder.setAttr(name, value);
            return this;
        }

        GraphOperation build() {
            return (GraphOperation) builder.build();
        }
    }

    private static synchronized void registerGradient() {
        if (gradientRegistered) return;
        gradientRegistered = TensorFlow.registerCustomGradient(REDUCE, (tf, op, gradients) -> {
            Collectives owner;
            synchronized (BY_GRAPH) {
                owner = BY_GRAPH.get(op.env());
            }
            if (owner == null) throw new IllegalStateException("no collectives known for the graph of " + op.name());
            @SuppressWarnings("unchecked")
            Operand<TFloat32> incoming = (Operand<TFloat32>) gradients.get(0);
            // The group size, group key and instance key inputs are integers: their "gradients" are unused zeros.
            return Arrays.asList(owner.allReduceSum(tf, incoming), tf.constant(0), tf.constant(0), tf.constant(0));
        });
    }

    private static boolean gradientRegistered;
}
