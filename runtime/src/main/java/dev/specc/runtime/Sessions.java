package dev.specc.runtime;

import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.proto.ConfigProto;

/** Sessions with the thread counts set explicitly (0: TensorFlow picks, one per core). */
public final class Sessions {
    private Sessions() {
    }

    public static Session open(Graph graph, int threads) {
        ConfigProto config = ConfigProto.newBuilder()
                .setIntraOpParallelismThreads(threads)
                .setInterOpParallelismThreads(threads == 0 ? 0 : Math.max(1, Math.min(2, threads)))
                .setUsePerSessionThreads(true)
                .build();
        return new Session(graph, config);
    }
}
