package dev.specc.bench;

import dev.specc.Pipeline;
import dev.specc.lower.CompiledModel;
import dev.specc.lower.GraphLowerer;
import dev.specc.shapes.Analysis;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Times load + validate + resolve + shapes + lower of one spec in a warm JVM: warm-up runs
 * first, then the median and 90th percentile of the measured runs. Run by benchmarks/compile.sh.
 */
public final class CompileBenchmark {
    public static void main(String[] args) throws Exception {
        Path spec = Path.of(args.length > 0 ? args[0] : "specs/resnet50v2.yaml");
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        double[] frontEnd = new double[runs];
        double[] total = new double[runs];
        for (int i = 0; i < warmup + runs; i++) {
            long t0 = System.nanoTime();
            Analysis analysis = Pipeline.analyze(spec, Pipeline.Options.DEFAULT);
            long t1 = System.nanoTime();
            try (CompiledModel model = new GraphLowerer().lower(analysis)) {
                if (model.trainableVariables().isEmpty() && analysis.trainableParams() > 0) throw new AssertionError();
            }
            long t2 = System.nanoTime();
            if (i >= warmup) {
                frontEnd[i - warmup] = (t1 - t0) / 1e6;
                total[i - warmup] = (t2 - t0) / 1e6;
            }
        }
        System.out.printf(Locale.ROOT, "%s: load+validate+resolve+shapes median %.1f ms; + lower median %.1f ms, p90 %.1f ms "
                        + "(%d runs after %d warm-up, %d cores)%n", spec, percentile(frontEnd, 50), percentile(total, 50),
                percentile(total, 90), runs, warmup, Runtime.getRuntime().availableProcessors());
    }

    private static double percentile(double[] values, int p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }
}
