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
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * Times training steps of a spec in float32 and in bfloat16, one session each in one process,
 * alternating rounds, to decide what precision auto picks on a CPU (run by benchmarks/precision.sh).
 * Usage: PrecisionSpeed SPEC BATCH ROUNDS STEPS_PER_ROUND [THREADS].
 */
public final class PrecisionSpeed {
    public static void main(String[] args) throws Exception {
        Path spec = Path.of(args[0]);
        int batch = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        int steps = Integer.parseInt(args[3]);
        int threads = args.length > 4 ? Integer.parseInt(args[4]) : 0;
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
            Precision[] precisions = {Precision.FLOAT32, Precision.BFLOAT16};
            double[][] seconds = new double[2][rounds];
            try (Session f32 = Sessions.open(model.graph(), threads, Precision.FLOAT32);
                 Session bf16 = Sessions.open(model.graph(), threads, Precision.BFLOAT16);
                 TFloat32 x = TFloat32.tensorOf(Shape.of(dims), DataBuffers.of(images, true, false));
                 TInt32 y = TInt32.tensorOf(Shape.of(batch), DataBuffers.of(labels, true, false))) {
                Session[] sessions = {f32, bf16};
                for (Session s : sessions) {
                    s.initialize();
                    for (int i = 1; i <= 2; i++) step(s, graph, x, y, i); // warm-up: grappler rewrite, oneDNN primitives
                }
                for (int r = 0; r < rounds; r++) {
                    for (int p = 0; p < 2; p++) {
                        int which = (r % 2 == 0) ? p : 1 - p;
                        long start = System.nanoTime();
                        float loss = 0;
                        for (int i = 0; i < steps; i++) loss = step(sessions[which], graph, x, y, 3 + r * steps + i);
                        seconds[which][r] = (System.nanoTime() - start) / 1e9 / steps;
                        System.out.printf(Locale.ROOT, "round %d %-8s %.4f s/step loss %.4f%n", r, precisions[which].spelling(),
                                seconds[which][r], loss);
                    }
                }
            }
            double f = median(seconds[0]);
            double b = median(seconds[1]);
            System.out.printf(Locale.ROOT, "%s batch %d input %s: median float32 %.4f s/step, bfloat16 %.4f s/step, "
                    + "bfloat16/float32 time ratio %.2f%n", spec, batch, Arrays.toString(dims), f, b, b / f);
        }
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
