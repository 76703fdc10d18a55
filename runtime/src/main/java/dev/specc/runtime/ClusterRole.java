package dev.specc.runtime;

import dev.specc.config.Precision;
import dev.specc.lower.CrossWorker;
import dev.specc.runtime.data.Shard;
import dev.specc.runtime.train.TrainState;
import dev.specc.runtime.train.Trainer;
import dev.specc.runtime.train.TrainingGraph;
import dev.specc.runtime.train.WorkerGroup;
import java.io.PrintStream;
import org.tensorflow.Graph;
import org.tensorflow.Session;

/**
 * This process as one worker of a data-parallel cluster (dev.specc.runtime.distributed): what a
 * training run does differently from a single process. A run without one trains alone.
 */
public interface ClusterRole {
    boolean chief();

    /** The cluster for the lowering (batch norm); made before the graph. */
    CrossWorker crossWorker();

    /** The cluster for the training graph's gradients. */
    WorkerGroup workers();

    /** Adds what the cluster needs to the complete training graph, before the session opens. */
    void prepare(TrainingGraph graph);

    /** A session on this worker's TensorFlow server. */
    Session open(Graph graph, int threads, Precision precision);

    /**
     * Makes every worker start from the chief's weights, optimizer slots and training state (the
     * chief's {@code state}; the others' is ignored) and returns that state.
     */
    TrainState synchronize(Session session, TrainingGraph graph, TrainState state);

    /** The rows of every global training batch that this worker reads and trains on. */
    Shard shard();

    /** This worker's training step. */
    Trainer.Step step(TrainingGraph graph, Session session, long seed, int batchSize);

    /** Prints this worker's throughput and all-reduce share. */
    void report(PrintStream out);

    /** A failure of a TensorFlow run of this worker, explained as a cluster failure when it is one; else itself. */
    RuntimeException explain(RuntimeException failure);
}
