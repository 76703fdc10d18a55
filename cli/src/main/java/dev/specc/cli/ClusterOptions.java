package dev.specc.cli;

import dev.specc.diag.UsageException;
import dev.specc.runtime.distributed.ClusterSpec;
import dev.specc.runtime.distributed.ClusterWorker;
import picocli.CommandLine.Option;

/**
 * Options of run and train for data-parallel training on several processes: the cluster by
 * TF_CONFIG or --cluster/--task-index, or --local-workers to start one here.
 */
final class ClusterOptions {
    @Option(names = "--cluster", paramLabel = "HOST:PORT,...",
            description = "Train as one worker of this cluster (worker 0 is the chief and writes the run directory); "
                    + "instead of the TF_CONFIG environment variable, which is read when this is not given.")
    String cluster;

    @Option(names = "--task-index", paramLabel = "I", defaultValue = "-1",
            description = "With --cluster: which worker this process is (0 is the chief).")
    int taskIndex;

    @Option(names = "--local-workers", paramLabel = "N",
            description = "Start N worker processes on this machine, on free ports, and train as a cluster (at most "
                    + LocalCluster.WORKERS_PER_CORE + " per core; each gets cores/N TensorFlow threads, at least 1, "
                    + "unless --threads says otherwise).")
    Integer localWorkers;

    @Option(names = "--sync-batch-norm", negatable = true,
            description = "In a cluster: batch norm normalises with the statistics of the global batch (all-reduced) "
                    + "instead of each worker's shard. Overrides the spec's train.sync_batch_norm either way.")
    Boolean syncBatchNorm;

    @Option(names = "--worker-timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "In a cluster: how long a worker waits for the others in a step before the run stops "
                    + "(default: ${DEFAULT-VALUE}).")
    int workerTimeout;

    /**
     * Whether batch norm is synchronised: --sync-batch-norm or --no-sync-batch-norm when given (the command
     * line overrides the spec, as --precision does), else the spec's train.sync_batch_norm.
     */
    static boolean syncBatchNorm(Boolean option, boolean spec) {
        return option != null ? option : spec;
    }

    /**
     * This process's role in a cluster, or null when it trains alone (no --cluster, no TF_CONFIG).
     * {@code specSyncBatchNorm}: the spec's train.sync_batch_norm, which a single process ignores without a
     * word (its batch is the global batch already, as Keras' SyncBatchNormalization outside a distribution
     * strategy is plain batch norm); the option --sync-batch-norm without a cluster is refused as a mistake
     * on the command line.
     */
    ClusterWorker role(boolean specSyncBatchNorm) {
        if (workerTimeout < 1) throw new UsageException("--worker-timeout must be at least 1 second, got " + workerTimeout);
        ClusterSpec spec;
        if (cluster != null) {
            if (taskIndex < 0) throw new UsageException("--cluster needs --task-index (0 for the chief)");
            spec = ClusterSpec.of(cluster, taskIndex);
        } else if (taskIndex >= 0) {
            throw new UsageException("--task-index needs --cluster HOST:PORT,...");
        } else {
            String tfConfig = System.getenv(ClusterSpec.TF_CONFIG);
            if (tfConfig == null || tfConfig.isBlank()) {
                if (Boolean.TRUE.equals(syncBatchNorm)) throw new UsageException("--sync-batch-norm needs a cluster (--local-workers, --cluster or TF_CONFIG)");
                return null;
            }
            spec = ClusterSpec.fromTfConfig(tfConfig);
        }
        return new ClusterWorker(spec, workerTimeout, syncBatchNorm(syncBatchNorm, specSyncBatchNorm));
    }
}
