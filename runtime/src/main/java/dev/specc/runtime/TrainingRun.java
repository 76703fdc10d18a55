package dev.specc.runtime;

import dev.specc.diag.UsageException;
import dev.specc.lower.CompiledModel;
import dev.specc.lower.GraphLowerer;
import dev.specc.lower.LoweringOptions;
import dev.specc.runtime.data.DataSources;
import dev.specc.runtime.data.Splits;
import dev.specc.runtime.io.LoadReport;
import dev.specc.runtime.report.EvaluationReport;
import dev.specc.runtime.report.Plots;
import dev.specc.runtime.report.TensorBoardWriter;
import dev.specc.runtime.run.RunDirectory;
import dev.specc.runtime.train.Evaluator;
import dev.specc.runtime.train.TrainState;
import dev.specc.runtime.train.Trainer;
import dev.specc.runtime.train.TrainingGraph;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Session;
import org.tensorflow.TensorFlow;

/**
 * specc run / train: prepares data, compiles, trains with a checkpoint per epoch, and (for run)
 * evaluates the best checkpoint on the test split, leaving everything in the run directory.
 */
public final class TrainingRun {
    /** Where and how to run; {@code resume} continues an existing run directory. */
    public record Options(Path runsRoot, Path resume, Path initFrom, boolean partial, boolean test, int threads,
                          PrintStream out) {
    }

    /** A resumed spec that no longer matches the run it would continue. */
    public static final class SpecChangedException extends UsageException {
        private static final long serialVersionUID = 1L;

        public SpecChangedException(String message) {
            super(message);
        }
    }

    public record Outcome(Path runDir, TrainState state, EvaluationReport test) {
    }

    private TrainingRun() {
    }

    public static Outcome run(Prepared prepared, Options options) throws Exception {
        PrintStream out = options.out();
        prepared.checked().warnings().forEach(out::println);
        String specText = RunDirectory.specText(prepared.checked().tree());
        RunDirectory run;
        if (options.resume() != null) {
            run = RunDirectory.open(options.resume());
            String before = run.readSpec();
            if (!before.equals(specText)) {
                throw new SpecChangedException("refusing to resume " + options.resume() + ": the spec changed since the run "
                        + "started (lines with - are the run's, + the spec's now):\n" + RunDirectory.diff(before, specText));
            }
        } else {
            run = RunDirectory.create(options.runsRoot(), prepared.name());
            run.writeSpec(specText);
        }
        out.println("run directory: " + run.path());

        List<String> warnings = new ArrayList<>();
        Splits splits = DataSources.load(prepared.data(), prepared.specFile(), warnings);
        warnings.forEach(w -> out.println("warning: " + w));
        if (splits.skipped() > 0) out.println("skipped " + splits.skipped() + " unreadable files");
        out.printf("data: %d training, %d validation, %d test examples, %d classes (%s)%n", splits.train().size(),
                splits.validation().size(), splits.test().size(), splits.train().classCount(), splits.trainDescription());

        long seed = prepared.train().seed();
        try (CompiledModel model = new GraphLowerer().lower(prepared.checked().analysis(), new LoweringOptions(seed))) {
            TrainingGraph graph = new TrainingGraph(model, prepared.train());
            checkClasses(graph, splits.train().classCount());
            try (Session session = Sessions.open(model.graph(), options.threads())) {
                session.initialize();
                Checkpoints checkpoints = new Checkpoints(session, graph);
                checkpoints.classNames(splits.train().classNames());
                TrainState start = new TrainState(0, 0, null, Double.NaN, 0, List.of(), RunDirectory.hash(specText), seed);
                if (options.resume() != null) {
                    start = checkpoints.restore(run.checkpoint("last"));
                    out.printf("resuming after epoch %d (step %d)%n", start.epochsDone(), start.globalStep());
                } else {
                    initFrom(prepared, options, checkpoints, session, out);
                    writeEnvironment(run, prepared, seed);
                }
                Sources sources = new Sources(splits, prepared);
                TrainState end;
                try (TensorBoardWriter board = new TensorBoardWriter(run.tensorboard())) {
                    Trainer trainer = new Trainer(graph, session, prepared.train(), out);
                    end = trainer.fit(sources.train(), sources.validation(), start, (state, metrics, best) -> {
                        checkpoints.save(run.checkpoint("last"), state);
                        if (best) checkpoints.save(run.checkpoint("best"), state);
                        run.writeMetrics(state.history());
                        for (Map.Entry<String, Double> e : metrics.entrySet()) board.scalar(e.getKey(), state.epochsDone(), e.getValue());
                        board.flush();
                        Plots.write(run.path().resolve("accuracy.png"), "accuracy", state.history());
                        Plots.write(run.path().resolve("loss.png"), "loss", state.history());
                    });
                }
                EvaluationReport report = null;
                if (options.test() && splits.test().size() > 0) {
                    Path best = Files.exists(run.checkpoint("best")) ? run.checkpoint("best") : run.checkpoint("last");
                    checkpoints.restoreWeights(best);
                    report = new Evaluator(graph, session, prepared.train().topK())
                            .report("test (" + run.path().relativize(best) + ")", sources.test(), splits.test().classNames());
                    run.writeText("report.txt", report.text());
                    run.writeJson("report.json", reportJson(report));
                    out.println();
                    out.print(report.text());
                }
                return new Outcome(run.path(), end, report);
            }
        }
    }

    private static void checkClasses(TrainingGraph graph, int dataClasses) {
        if (graph.loss() == TrainingGraph.Loss.BINARY_CROSSENTROPY) {
            if (graph.classes() != 1 || dataClasses != 2) {
                throw new UsageException("binary cross-entropy needs one sigmoid output and two classes; the network "
                        + "has " + graph.classes() + " outputs and the data " + dataClasses + " classes");
            }
        } else if (graph.classes() < dataClasses) {
            throw new UsageException("the network has " + graph.classes() + " outputs but the data has " + dataClasses
                    + " classes: set params.classes (e.g. --set params.classes=" + dataClasses + ")");
        }
    }

    private static void initFrom(Prepared prepared, Options options, Checkpoints checkpoints, Session session, PrintStream out)
            throws IOException {
        Path file = options.initFrom() != null ? options.initFrom()
                : prepared.train().initFrom() == null ? null : prepared.specFile().toAbsolutePath().getParent().resolve(prepared.train().initFrom());
        if (file == null) return;
        LoadReport report = checkpoints.initFrom(file, options.partial() || prepared.train().partialInit());
        out.println("initialised from " + file + ": " + report);
    }

    private static void writeEnvironment(RunDirectory run, Prepared prepared, long seed) throws IOException {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("spec", prepared.specFile().toAbsolutePath().normalize().toString());
        env.put("spec_sha256", RunDirectory.hash(RunDirectory.specText(prepared.checked().tree())));
        env.put("overrides", prepared.overrides());
        env.put("seed", seed);
        env.put("specc", Versions.specc());
        env.put("tensorflow", TensorFlow.version());
        env.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        env.put("cores", Runtime.getRuntime().availableProcessors());
        run.writeEnvironment(env);
    }

    static Map<String, Object> reportJson(EvaluationReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("split", r.split());
        m.put("examples", r.examples());
        m.put("loss", r.loss());
        m.put("accuracy", r.accuracy());
        if (r.top5() != null) m.put("top_5_accuracy", r.top5());
        Map<String, Object> perClass = new LinkedHashMap<>();
        for (int c = 0; c < r.classNames().size(); c++) perClass.put(r.classNames().get(c), r.classAccuracy(c));
        m.put("per_class_accuracy", perClass);
        m.put("class_names", r.classNames());
        m.put("confusion_matrix", r.confusion());
        return m;
    }
}
