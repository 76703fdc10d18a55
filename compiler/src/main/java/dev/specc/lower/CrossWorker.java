package dev.specc.lower;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * What a layer needs from the other workers when several processes train one model on shards of
 * each global batch (data parallelism). Batch norm uses it: its moving statistics must stay the same
 * on every worker, and in synchronised mode it normalises with the global batch's statistics.
 * Absent ({@code null} in {@link LoweringOptions}) for a single process.
 */
public interface CrossWorker {
    /**
     * The global batch's value of a per-example mean that each worker computed on its shard: the
     * shard means weighted by each shard's share of the global batch and summed over the workers
     * (an all-reduce). Every worker gets the same tensor; its gradient is exact across workers.
     */
    Operand<TFloat32> globalMean(Ops tf, Operand<TFloat32> shardMean);

    /**
     * The sum over the workers of a value each computed on its shard (an all-reduce); every worker
     * gets the same tensor, and its gradient is the same sum of the incoming gradients.
     */
    Operand<TFloat32> globalSum(Ops tf, Operand<TFloat32> shardSum);

    /** The number of examples in the global batch, as a float. */
    Operand<TFloat32> globalBatchSize(Ops tf);

    /** True: batch norm normalises with the global batch's statistics; false: with each shard's own. */
    boolean syncBatchNorm();
}
