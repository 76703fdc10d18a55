package dev.specc.runtime.distributed;

import dev.specc.lower.Mode;
import dev.specc.runtime.data.Batch;
import dev.specc.runtime.data.Shard;
import dev.specc.runtime.train.EpochMetrics;
import dev.specc.runtime.train.Optimizer;
import dev.specc.runtime.train.Trainer;
import dev.specc.runtime.train.TrainingGraph;
import java.util.Arrays;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * One worker's training step: given the global batch's labels and its own rows' images (its
 * {@link Shard}: rows [B*i/N, B*(i+1)/N) of worker i of N, all the data pipeline read for it), it
 * trains on those rows, so that the workers together see exactly the batch one process would. The gradients are summed in the graph ({@link Collectives});
 * the outputs of every worker are gathered so that each worker's running metrics are the global
 * batch's. After every {@link #PROBE_EVERY}-th step, every worker runs an all-reduce of the
 * gradients' size on its own and times it: its share of the step time is what the gradient
 * exchange costs. (Tracing the step itself would be more direct, but TF Java 1.0.0 cannot parse the
 * RunMetadata a distributed session returns.)
 */
final class ShardStep implements Trainer.Step {
    static final int PROBE_EVERY = 10;

    private final TrainingGraph graph;
    private final Session session;
    private final Collectives collectives;
    private final ClusterSpec cluster;
    private final long seed;
    private final int blockRows;
    private final Operand<TFloat32> gatheredOutputs;
    private final Placeholder<TInt32> padding;
    private final ThroughputMeter meter;
    private final Operand<TFloat32> probe;
    private long steps;

    ShardStep(TrainingGraph graph, Session session, Collectives collectives, ClusterSpec cluster, long seed,
              int batchSize, ThroughputMeter meter) {
        this.graph = graph;
        this.session = session;
        this.collectives = collectives;
        this.cluster = cluster;
        this.seed = seed;
        this.meter = meter;
        // A collective keeps the shapes of its first run: every gather sends the rows of the largest shard of a full batch.
        this.blockRows = maxShard(batchSize);
        Ops tf = Ops.create(graph.model().graph()).withSubScope("cluster_outputs");
        // Every worker sends as many rows to the gather: its outputs padded to the largest shard (paddings fed).
        padding = tf.withName("padding").placeholder(TInt32.class, Placeholder.shape(Shape.of(2, 2)));
        gatheredOutputs = collectives.gather(tf, tf.pad(graph.model().output(Mode.TRAINING), padding, tf.constant(0f)));
        long values = 1; // the loss travels with the gradients
        for (var w : graph.model().trainableVariables()) values += dev.specc.runtime.io.Shapes.elements(w.spec().shape());
        Ops probeScope = Ops.create(graph.model().graph()).withSubScope("all_reduce_probe");
        probe = probeScope.math.add(collectives.allReduceSum(probeScope,
                probeScope.fill(probeScope.constant(new long[] {values}), probeScope.constant(0f))), probeScope.constant(0f));
    }

    @Override
    public float run(Batch batch, double rate, long globalStep, EpochMetrics metrics) {
        int n = batch.size();
        int from = shardStart(n, cluster.size(), cluster.taskIndex());
        int to = shardStart(n, cluster.size(), cluster.taskIndex() + 1);
        // A shard may be empty in a last batch smaller than the cluster: it then trains on one row with share 0.
        int rows = Math.max(1, to - from);
        int start = to > from ? from : 0;
        int values = batch.images().length / batch.rows();
        float[] images = shardImages(batch, start, rows, values);
        int[] labels = Arrays.copyOfRange(batch.labels(), start, start + rows);
        long[] dims = graph.model().input().shape().asArray();
        dims[0] = rows;
        Optimizer optimizer = graph.optimizer();
        long index = steps++;
        long began = System.nanoTime();
        try (TFloat32 x = TFloat32.tensorOf(Shape.of(dims), DataBuffers.of(images, true, false));
             TInt32 y = TInt32.tensorOf(Shape.of(rows), DataBuffers.of(labels, true, false));
             TFloat32 lr = TFloat32.scalarOf((float) rate);
             TInt64 stepSeed = TInt64.scalarOf(seed * 1_000_003L + globalStep);
             TFloat32 share = TFloat32.scalarOf(to > from ? (float) (to - from) / n : 0f);
             TFloat32 global = TFloat32.scalarOf(n);
             TInt32 pad = TInt32.tensorOf(Shape.of(2, 2), DataBuffers.of(new int[] {0, blockRows - rows, 0, 0}, true, false));
             TFloat32 b1 = TFloat32.scalarOf(optimizer.biasCorrections(globalStep)[0]);
             TFloat32 b2 = TFloat32.scalarOf(optimizer.biasCorrections(globalStep)[1])) {
            Session.Runner runner = session.runner().feed(graph.model().input(), x).feed(graph.labels(), y)
                    .feed(graph.learningRate(), lr).feed(graph.model().stepSeed(), stepSeed)
                    .feed(collectives.shareInput(), share).feed(collectives.globalBatchSizeInput(), global).feed(padding, pad);
            if (optimizer.beta1Power() != null) runner.feed(optimizer.beta1Power(), b1).feed(optimizer.beta2Power(), b2);
            graph.stepTargets().forEach(runner::addTarget);
            float loss;
            float[] all;
            try (Result result = runner.fetch(graph.dataLoss()).fetch(gatheredOutputs).run()) {
                loss = ((TFloat32) result.get(0)).getFloat();
                all = inBatchOrder(floats((TFloat32) result.get(1)), n);
            }
            long stepNanos = System.nanoTime() - began;
            meter.step(to - from, stepNanos);
            // Not after the first steps: the first run of the probe's collective includes its setup.
            if (index % PROBE_EVERY == PROBE_EVERY - 1 && index > PROBE_EVERY) {
                long probeStart = System.nanoTime();
                session.runner().addTarget(probe).run();
                meter.allReduce(System.nanoTime() - probeStart, stepNanos);
            } else if (index == PROBE_EVERY - 1) {
                session.runner().addTarget(probe).run();
            }
            if (Float.isFinite(loss)) metrics.add(loss, all, batch.labels(), n);
            return loss;
        }
    }

    /** Rows {@code start..start+rows-1} of the batch: all its images when the data pipeline read them all, else these. */
    private static float[] shardImages(Batch batch, int start, int rows, int values) {
        if (batch.whole()) return Arrays.copyOfRange(batch.images(), start * values, (start + rows) * values);
        if (batch.first() != start || batch.rows() != rows) {
            throw new IllegalStateException("the batch holds rows " + batch.first() + ".." + (batch.first() + batch.rows() - 1)
                    + ", not this worker's " + start + ".." + (start + rows - 1));
        }
        return batch.images();
    }

    private static int shardStart(int batch, int workers, int worker) {
        return Shard.start(batch, workers, worker);
    }

    /** The outputs of the global batch in its order, from the gathered blocks of {@link #maxShard} rows per worker. */
    private float[] inBatchOrder(float[] stacked, int n) {
        int block = blockRows;
        int width = stacked.length / (block * cluster.size());
        float[] all = new float[n * width];
        for (int w = 0; w < cluster.size(); w++) {
            int from = shardStart(n, cluster.size(), w);
            int to = shardStart(n, cluster.size(), w + 1);
            System.arraycopy(stacked, w * block * width, all, from * width, (to - from) * width);
        }
        return all;
    }

    private int maxShard(int n) {
        int max = 1;
        for (int w = 0; w < cluster.size(); w++) {
            max = Math.max(max, shardStart(n, cluster.size(), w + 1) - shardStart(n, cluster.size(), w));
        }
        return max;
    }

    private static float[] floats(TFloat32 t) {
        float[] values = new float[(int) t.size()];
        t.asRawTensor().data().asFloats().read(values);
        return values;
    }
}
