package dev.specc.bench;

import dev.specc.lower.CompiledModel;
import dev.specc.lower.GraphLowerer;
import dev.specc.lower.LoweringOptions;
import dev.specc.runtime.Prepared;
import dev.specc.runtime.ComputePrecision;
import dev.specc.runtime.Sessions;
import dev.specc.runtime.data.Batch;
import dev.specc.runtime.data.BatchStream;
import dev.specc.runtime.data.DataSources;
import dev.specc.runtime.data.Splits;
import dev.specc.runtime.train.BatchSource;
import dev.specc.runtime.train.TrainState;
import dev.specc.runtime.train.Trainer;
import dev.specc.runtime.train.TrainingGraph;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tensorflow.Session;

/**
 * The streaming input pipeline on an image folder: images/s of the pipeline alone (listing, decoding,
 * resizing, augmenting into batches, no training), then images/s of training with specc's Trainer for
 * STEPS steps and the share of step time it waited for input; last, the process's peak resident set
 * (VmHWM). Usage: StreamingBenchmark SPEC FOLDER STEPS THREADS [--set KEY=VALUE ...]
 */
public final class StreamingBenchmark {
    private StreamingBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path spec = Path.of(args[0]);
        String folder = Path.of(args[1]).toAbsolutePath().toString();
        int steps = Integer.parseInt(args[2]);
        int threads = Integer.parseInt(args[3]);
        List<String> overrides = new ArrayList<>(List.of("data.path=" + folder));
        for (int i = 4; i + 1 < args.length; i += 2) overrides.add(args[i + 1]);
        Prepared prepared = Prepared.of(spec, overrides, null);
        int batchSize = prepared.train().batchSize();

        long listStart = System.nanoTime();
        List<String> warnings = new ArrayList<>();
        Splits splits = DataSources.load(prepared.data(), prepared.specFile(), warnings, threads);
        double listSeconds = (System.nanoTime() - listStart) / 1e9;
        System.out.printf(Locale.ROOT, "data: %d training examples listed in %.1f s; cache: %s%n", splits.train().size(),
                listSeconds, splits.cache());
        int pipelineBatches = Math.min(steps, BatchStream.batchCount(splits.train().size(), batchSize));
        long start = System.nanoTime();
        int images = 0;
        try (BatchStream stream = BatchStream.training(splits.train(), prepared.inputShape(), batchSize, prepared.data(), 0, 0)) {
            for (int b = 0; b < pipelineBatches; b++) images += stream.next().size();
        }
        double pipeline = images / ((System.nanoTime() - start) / 1e9);
        System.out.printf(Locale.ROOT, "pipeline alone: %.1f images/s (%d batches of %d, %d workers)%n", pipeline,
                pipelineBatches, batchSize, prepared.data().workers());

        try (CompiledModel model = new GraphLowerer().lower(prepared.checked().analysis(),
                new LoweringOptions(prepared.train().seed()))) {
            TrainingGraph graph = new TrainingGraph(model, prepared.train());
            // The precision a run of the spec computes in here (auto: bfloat16 on CPUs with bfloat16 instructions).
            ComputePrecision precision = ComputePrecision.resolve(null, prepared.train().precision());
            System.out.println(precision.describe());
            try (Session session = Sessions.open(model.graph(), threads, precision.precision())) {
                session.initialize();
                Trainer trainer = new Trainer(graph, session, prepared.train(), new PrintStream(OutputStream.nullOutputStream()));
                BatchSource train = firstBatches(splits, prepared, batchSize, steps);
                long trainStart = System.nanoTime();
                TrainState end = trainer.fit(train, null, TrainState.fresh("bench", prepared.train().seed()),
                        new Trainer.Checkpointer() {
                            @Override
                            public void epochEnd(TrainState state, Map<String, Double> metrics, boolean best) {
                            }

                            @Override
                            public void midEpoch(TrainState state) {
                            }
                        });
                double seconds = (System.nanoTime() - trainStart) / 1e9;
                Map<String, Double> epoch = end.history().get(0);
                System.out.printf(Locale.ROOT, "training: %.1f images/s (%d steps of %d, %d TensorFlow threads), "
                        + "input-wait share %.3f%n", (double) steps * batchSize / seconds, steps, batchSize, threads,
                        epoch.get("input_wait"));
            }
        }
        String hwm = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM"))
                .findFirst().orElse("VmHWM: unknown");
        System.out.println("peak RSS " + hwm.replaceAll("\\s+", " "));
    }

    /** The first {@code steps} batches of training epoch 0, as one epoch. */
    private static BatchSource firstBatches(Splits splits, Prepared prepared, int batchSize, int steps) {
        return new BatchSource() {
            @Override
            public long batchesPerEpoch() {
                return steps;
            }

            @Override
            public int examples() {
                return steps * batchSize;
            }

            @Override
            public Pass open(int epoch, long startBatch) {
                BatchStream stream = BatchStream.training(splits.train(), prepared.inputShape(), batchSize, prepared.data(),
                        epoch, 0);
                return new Pass() {
                    private int taken;

                    @Override
                    public boolean hasNext() {
                        return taken < steps && stream.hasNext();
                    }

                    @Override
                    public Batch next() {
                        taken++;
                        return stream.next();
                    }

                    @Override
                    public void close() {
                        stream.close();
                    }
                };
            }
        };
    }
}
