package dev.specc.bench;

import dev.specc.Pipeline;
import dev.specc.config.Precision;
import dev.specc.lower.CompiledModel;
import dev.specc.lower.GraphLowerer;
import dev.specc.lower.LoweringOptions;
import dev.specc.runtime.Prepared;
import dev.specc.runtime.Sessions;
import dev.specc.runtime.train.Optimizer;
import dev.specc.runtime.train.TrainingGraph;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.OptimizerOptions;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * Times training steps of a spec in float32 and in bfloat16, one session each in one process,
 * alternating rounds, to decide what precision auto picks on a CPU (run by benchmarks/precision.sh).
 * Usage: PrecisionSpeed SPEC BATCH ROUNDS STEPS_PER_ROUND [THREADS [xla]]; with xla also float32 under
 * TensorFlow's XLA JIT.
 */
public final class PrecisionSpeed {
    public static void main(String[] args) throws Exception {
        Path spec = Path.of(args[0]);
        int batch = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        int steps = Integer.parseInt(args[3]);
        int threads = args.length > 4 ? Integer.parseInt(args[4]) : 0;
        boolean xla = args.length > 5 && args[5].equals("xla");
        Prepared prepared = Prepared.of(spec, List.of(), null, Pipeline.DataCheck.SKIPPED);
        try (CompiledModel model = new GraphLowerer().lower(prepared.checked().analysis(),
                new LoweringOptions(prepared.train().seed()))) {
            TrainingGraph graph = new TrainingGraph(model, prepared.train());
            long[] dims = model.input().shape().asArray();
            dims[0] = batch;
            int size = 1;
            for (long d : dims) size *= (int) d;
            float[] images = new float[size];
            int[] labels = new int[batch];
            Random random = new Random(1);
            for (int i = 0; i < size; i++) images[i] = random.nextFloat();
            for (int i = 0; i < batch; i++) labels[i] = random.nextInt(graph.classes());
            List<String> names = new ArrayList<>(List.of("float32", "bfloat16"));
            List<ConfigProto> configs = new ArrayList<>(List.of(Sessions.config(threads, Precision.FLOAT32),
                    Sessions.config(threads, Precision.BFLOAT16)));
            if (xla) {
                names.add("float32+xla");
                configs.add(withXla(Sessions.config(threads, Precision.FLOAT32)));
            }
            int n = names.size();
            double[][] seconds = new double[n][rounds];
            List<Session> sessions = new ArrayList<>();
            try (TFloat32 x = TFloat32.tensorOf(Shape.of(dims), DataBuffers.of(images, true, false));
                 TInt32 y = TInt32.tensorOf(Shape.of(batch), DataBuffers.of(labels, true, false))) {
                for (ConfigProto config : configs) {
                    Session s = Sessions.open(model.graph(), threads, config);
                    sessions.add(s);
                    s.initialize();
                    for (int i = 1; i <= 2; i++) step(s, graph, x, y, i); // warm-up: graph rewrites, oneDNN primitives, XLA
                }
                for (int r = 0; r < rounds; r++) {
                    for (int k = 0; k < n; k++) {
                        int which = (r + k) % n; // each configuration goes first in turn
                        long start = System.nanoTime();
                        float loss = 0;
                        for (int i = 0; i < steps; i++) loss = step(sessions.get(which), graph, x, y, 3 + r * steps + i);
                        seconds[which][r] = (System.nanoTime() - start) / 1e9 / steps;
                        System.out.printf(Locale.ROOT, "round %d %-12s %.4f s/step loss %.4f%n", r, names.get(which),
                                seconds[which][r], loss);
                    }
                }
            } finally {
                sessions.forEach(Session::close);
            }
            double f = median(seconds[0]);
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%s batch %d input %s: median float32 %.4f s/step",
                    spec, batch, Arrays.toString(dims), f));
            for (int k = 1; k < n; k++) {
                double t = median(seconds[k]);
                line.append(String.format(Locale.ROOT, ", %s %.4f s/step (%.2f of float32's time)", names.get(k), t, t / f));
            }
            System.out.println(line);
        }
    }

    /** TensorFlow's XLA JIT for the whole graph (what Python's tf.config.optimizer.set_jit(True) turns on). */
    private static ConfigProto withXla(ConfigProto config) {
        return config.toBuilder().setGraphOptions(config.getGraphOptions().toBuilder().setOptimizerOptions(
                OptimizerOptions.newBuilder().setGlobalJitLevel(OptimizerOptions.GlobalJitLevel.ON_1))).build();
    }

    private static float step(Session session, TrainingGraph graph, TFloat32 x, TInt32 y, long step) {
        Optimizer optimizer = graph.optimizer();
        try (TFloat32 lr = TFloat32.scalarOf(1e-3f);
             TInt64 seed = TInt64.scalarOf(step);
             TFloat32 b1 = TFloat32.scalarOf(optimizer.biasCorrections(step)[0]);
             TFloat32 b2 = TFloat32.scalarOf(optimizer.biasCorrections(step)[1])) {
            Session.Runner runner = session.runner().feed(graph.model().input(), x).feed(graph.labels(), y)
                    .feed(graph.learningRate(), lr).feed(graph.model().stepSeed(), seed);
            if (optimizer.beta1Power() != null) runner.feed(optimizer.beta1Power(), b1).feed(optimizer.beta2Power(), b2);
            graph.stepTargets().forEach(runner::addTarget);
            try (Result r = runner.fetch(graph.dataLoss()).run()) {
                return ((TFloat32) r.get(0)).getFloat();
            }
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
