package dev.specc.bench;

import dev.specc.config.Precision;
import dev.specc.runtime.Sessions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The machine's matrix-multiply peak as TensorFlow Java reaches it: one n x n MatMul (2 n^3 FLOP)
 * in a float32 session and in a bfloat16 session (the runtime's {@link Sessions}, so the same oneDNN
 * rewrite specc's bfloat16 runs get), alternating run by run. The inputs are fed placeholders, so
 * Grappler cannot fold the product away; the sum of the product is fetched, so the fetch costs nothing.
 */
final class MatmulPeak implements AutoCloseable {
    /** One precision's result: the best and the median of the timed runs, in GFLOP/s. */
    record Peak(double bestGflops, double medianGflops, List<Double> runSeconds, double sum) {
    }

    private final int n;
    private final Graph graph = new Graph();
    private final Placeholder<TFloat32> a;
    private final Placeholder<TFloat32> b;
    private final Operand<TFloat32> sum;

    MatmulPeak(int n) {
        this.n = n;
        Ops tf = Ops.create(graph);
        a = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(n, n)));
        b = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(n, n)));
        sum = tf.reduceSum(tf.linalg.matMul(a, b), tf.constant(new int[] {0, 1}));
    }

    /** float32 and bfloat16 peaks, in that order: {@code warmup} untimed and {@code runs} timed runs each. */
    List<Peak> measure(int threads, int warmup, int runs) {
        Random random = new Random(7);
        float[] values = new float[n * n];
        for (int i = 0; i < values.length; i++) values[i] = (float) random.nextGaussian();
        List<List<Double>> seconds = List.of(new ArrayList<>(), new ArrayList<>());
        double[] sums = new double[2];
        try (TFloat32 x = TFloat32.tensorOf(Shape.of(n, n), DataBuffers.of(values, true, false));
             Session f32 = Sessions.open(graph, threads, Precision.FLOAT32);
             Session bf16 = Sessions.open(graph, threads, Precision.BFLOAT16)) {
            Session[] sessions = {f32, bf16};
            for (Session s : sessions) {
                for (int i = 0; i < warmup; i++) run(s, x);
            }
            for (int r = 0; r < runs; r++) {
                for (int k = 0; k < 2; k++) {
                    int which = r % 2 == 0 ? k : 1 - k;
                    long start = System.nanoTime();
                    sums[which] = run(sessions[which], x);
                    seconds.get(which).add((System.nanoTime() - start) / 1e9);
                }
            }
        }
        double flop = 2.0 * n * n * n;
        List<Peak> peaks = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            List<Double> s = seconds.get(p);
            double best = s.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
            peaks.add(new Peak(flop / best / 1e9, flop / ResNet50Benchmark.median(s) / 1e9, s, sums[p]));
        }
        return peaks;
    }

    int size() {
        return n;
    }

    private double run(Session session, TFloat32 x) {
        try (Result r = session.runner().feed(a, x).feed(b, x).fetch(sum).run()) {
            return ((TFloat32) r.get(0)).getFloat();
        }
    }

    static String json(Peak p) {
        return String.format(Locale.ROOT, "{\"gflops\": %.2f, \"median_gflops\": %.2f, \"run_s\": %s, \"sum_of_product\": %.6g}",
                p.bestGflops(), p.medianGflops(), ResNet50Benchmark.numbers(p.runSeconds()), p.sum());
    }

    @Override
    public void close() {
        graph.close();
    }
}
