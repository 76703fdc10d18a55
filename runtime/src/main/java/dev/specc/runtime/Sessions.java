package dev.specc.runtime;

import org.tensorflow.Graph;
import org.tensorflow.Session;
import dev.specc.config.Precision;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GPUOptions;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.RewriterConfig;

/**
 * Sessions with the thread counts and the precision set explicitly (threads 0: TensorFlow picks, one
 * per core). bfloat16 switches on TensorFlow's oneDNN auto mixed precision rewrite, which runs
 * convolutions and matmuls in bfloat16 with float32 variables; float16 its float16 rewrite (on a CPU
 * the one that emulates float16). Both are graph rewrites made per session.
 *
 * <p>The thread counts decide how oneDNN and Eigen split their reductions, so they decide the last
 * bits of every result: a run is bit-reproducible for one machine and one thread setting. Each
 * session gets inter-op threads of its own ({@code use_per_session_threads}). The intra-op pool is
 * TensorFlow's CPU device pool, which TensorFlow makes once per process, sized by the first session,
 * unless the environment variable {@value #OVERRIDE_GLOBAL_POOL} was set before TensorFlow started
 * (the test JVMs set it). Without it, a second session that asks for another thread count would
 * silently run with the first one's: that is refused here.
 */
public final class Sessions {
    static final String OVERRIDE_GLOBAL_POOL = "TF_OVERRIDE_GLOBAL_THREADPOOL";
    private static final Object LOCK = new Object();
    private static Integer processThreads;

    private Sessions() {
    }

    /** {@code precision}: float32 or bfloat16, as {@link ComputePrecision} resolved it. */
    public static Session open(Graph graph, int threads, Precision precision) {
        return open(graph, threads, config(threads, precision));
    }

    /** A session with a configuration made from {@link #config} (benchmarks add options to it). */
    public static Session open(Graph graph, int threads, ConfigProto config) {
        checkProcessPool(threads, ownPoolPerSession(System.getenv(OVERRIDE_GLOBAL_POOL)));
        return new Session(graph, config);
    }

    public static ConfigProto config(int threads, Precision precision) {
        return config(threads, precision, ComputeDevice.current());
    }

    static ConfigProto config(int threads, Precision precision, ComputeDevice device) {
        if (precision == Precision.AUTO) throw new IllegalArgumentException("resolve precision auto before opening a session");
        RewriterConfig.Builder rewrites = RewriterConfig.newBuilder()
                .setAutoMixedPrecisionOnednnBfloat16(toggle(precision == Precision.BFLOAT16));
        if (precision == Precision.FLOAT16) {
            if (device.gpu()) rewrites.setAutoMixedPrecision(RewriterConfig.Toggle.ON);
            else rewrites.setAutoMixedPrecisionCpu(RewriterConfig.Toggle.ON);
        }
        ConfigProto.Builder config = ConfigProto.newBuilder()
                .setIntraOpParallelismThreads(threads)
                .setInterOpParallelismThreads(threads == 0 ? 0 : Math.max(1, Math.min(2, threads)))
                .setUsePerSessionThreads(true)
                .setGraphOptions(GraphOptions.newBuilder().setRewriteOptions(rewrites));
        // A GPU's memory is taken as the session needs it, not all at start: eval and export open more than one.
        if (device.gpu()) config.setGpuOptions(GPUOptions.newBuilder().setAllowGrowth(true));
        return config.build();
    }

    private static RewriterConfig.Toggle toggle(boolean on) {
        return on ? RewriterConfig.Toggle.ON : RewriterConfig.Toggle.OFF;
    }

    /** TensorFlow's own reading of the variable (tensorflow/core/util/env_var.cc, ReadBoolFromEnvVar). */
    static boolean ownPoolPerSession(String value) {
        return value != null && (value.equals("1") || value.equalsIgnoreCase("true"));
    }

    static void checkProcessPool(int threads, boolean ownPoolPerSession) {
        if (ownPoolPerSession) return;
        synchronized (LOCK) {
            if (processThreads == null) {
                processThreads = threads;
            } else if (processThreads != threads) {
                throw new IllegalStateException("this process already runs TensorFlow with --threads " + processThreads
                        + "; TensorFlow sizes its CPU thread pool once per process, so --threads " + threads
                        + " would be ignored. Use one thread setting per process, or set " + OVERRIDE_GLOBAL_POOL
                        + "=1 in the environment before starting Java");
            }
        }
    }

    static void forgetProcessPoolForTest() {
        synchronized (LOCK) {
            processThreads = null;
        }
    }
}
