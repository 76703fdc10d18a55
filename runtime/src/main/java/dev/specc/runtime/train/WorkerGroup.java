package dev.specc.runtime.train;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The workers that train one model together, each on its shard of every global batch. A worker
 * differentiates its share of the global loss ({@link #share} times its shard's mean loss), and
 * the gradients summed over the workers are then the gradients of the global batch's loss.
 */
public interface WorkerGroup {
    /** This worker's examples divided by the global batch's, fed each step. */
    Operand<TFloat32> share(Ops tf);

    /** Each of {@code values} summed over the workers (one all-reduce); every worker gets the same sums. */
    List<Operand<TFloat32>> sum(Ops tf, List<Operand<TFloat32>> values);
}
