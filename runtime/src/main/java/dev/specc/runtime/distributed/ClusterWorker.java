package dev.specc.runtime.distributed;

import dev.specc.config.Precision;
import dev.specc.lower.CrossWorker;
import dev.specc.runtime.ClusterRole;
import dev.specc.runtime.Sessions;
import dev.specc.runtime.data.Shard;
import dev.specc.runtime.train.TrainState;
import dev.specc.runtime.train.Trainer;
import dev.specc.runtime.train.TrainingGraph;
import dev.specc.runtime.train.WorkerGroup;
import java.io.PrintStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tensorflow.Graph;
import org.tensorflow.Server;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.proto.ClusterDef;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.JobDef;
import org.tensorflow.proto.ServerDef;

/**
 * This process as worker {@code i} of a cluster: a TensorFlow gRPC server for its task, a session
 * on it that sees only this task's device (device_filters), and collectives with the other workers.
 * The server is never stopped (TensorFlow cannot shut one down cleanly: Server.close() throws): the
 * process ends with System.exit after its output is flushed.
 */
public final class ClusterWorker implements ClusterRole {
    private static final Pattern TASK = Pattern.compile("/job:worker/replica:0/task:(\\d+)");

    private final ClusterSpec cluster;
    private final Collectives collectives;
    private final ThroughputMeter meter = new ThroughputMeter();
    private StateBroadcast broadcast;
    private Server server;

    /** {@code timeoutSeconds}: how long a collective waits for the other workers before the run stops. */
    public ClusterWorker(ClusterSpec cluster, float timeoutSeconds, boolean syncBatchNorm) {
        this.cluster = cluster;
        this.collectives = new Collectives(cluster, timeoutSeconds, syncBatchNorm);
    }

    public ClusterSpec cluster() {
        return cluster;
    }

    @Override
    public boolean chief() {
        return cluster.chief();
    }

    @Override
    public CrossWorker crossWorker() {
        return collectives;
    }

    @Override
    public WorkerGroup workers() {
        return collectives;
    }

    @Override
    public Session open(Graph graph, int threads, Precision precision) {
        ConfigProto config = Sessions.config(threads, precision).toBuilder().clearUsePerSessionThreads()
                .setExperimental(ConfigProto.Experimental.newBuilder()
                        .setCollectiveGroupLeader("/job:" + ClusterSpec.JOB + "/replica:0/task:0"))
                .addDeviceFilters("/job:" + ClusterSpec.JOB + "/task:" + cluster.taskIndex())
                .build();
        JobDef.Builder job = JobDef.newBuilder().setName(ClusterSpec.JOB);
        for (int i = 0; i < cluster.size(); i++) job.putTasks(i, cluster.workers().get(i));
        server = new Server(ServerDef.newBuilder().setCluster(ClusterDef.newBuilder().addJob(job))
                .setJobName(ClusterSpec.JOB).setTaskIndex(cluster.taskIndex()).setProtocol("grpc")
                .setDefaultSessionConfig(config).build());
        server.start();
        // The server's devices take their thread counts from its default configuration; a distributed session
        // refuses thread pool options of its own.
        return RemoteSessions.open(graph, "grpc://" + cluster.address(), config.toBuilder().clearUsePerSessionThreads()
                .clearInterOpParallelismThreads().clearIntraOpParallelismThreads().build());
    }

    @Override
    public TrainState synchronize(Session session, TrainingGraph graph, TrainState state) {
        return broadcast.run(session, state);
    }

    @Override
    public void prepare(TrainingGraph graph) {
        broadcast = new StateBroadcast(graph, collectives, chief());
    }

    @Override
    public Shard shard() {
        return new Shard(cluster.taskIndex(), cluster.size());
    }

    @Override
    public Trainer.Step step(TrainingGraph graph, Session session, long seed, int batchSize) {
        return new ShardStep(graph, session, collectives, cluster, seed, batchSize, meter);
    }

    @Override
    public void report(PrintStream out) {
        out.println(meter.describe(cluster.describe(cluster.taskIndex())));
        if (chief()) {
            out.println(meter.describeCluster(cluster.size()));
        }
        out.flush();
    }

    @Override
    public RuntimeException explain(RuntimeException failure) {
        if (!(failure instanceof TensorFlowException)) return failure;
        String message = failure.getMessage() == null ? "" : failure.getMessage();
        String first = message.lines().findFirst().orElse(failure.getClass().getSimpleName());
        return new WorkerLostException(lost(message) + " (" + first.strip() + "); the run stopped on "
                + cluster.describe(cluster.taskIndex()) + (chief() ? ", keeping its last checkpoint: continue with --resume "
                + "RUN_DIR" : ""), failure);
    }

    /** Which worker the failure points at: named in TensorFlow's message, or the only other one. */
    private String lost(String message) {
        Matcher m = TASK.matcher(message);
        while (m.find()) {
            int task = Integer.parseInt(m.group(1));
            if (task != cluster.taskIndex() && task < cluster.size()) return cluster.describe(task) + " failed or cannot be reached";
        }
        for (int i = 0; i < cluster.size(); i++) {
            if (i != cluster.taskIndex() && message.contains(cluster.workers().get(i))) {
                return cluster.describe(i) + " failed or cannot be reached";
            }
        }
        if (cluster.size() == 2) return cluster.describe(1 - cluster.taskIndex()) + " failed or cannot be reached";
        return "another worker of the cluster failed or cannot be reached";
    }
}
