package dev.specc.runtime;

import dev.specc.Pipeline;
import dev.specc.config.Precision;
import dev.specc.config.RunChecks;
import dev.specc.diag.Diagnostics;
import dev.specc.diag.SpecException;
import dev.specc.diag.UsageException;
import dev.specc.lower.CompiledModel;
import dev.specc.lower.GraphLowerer;
import dev.specc.lower.LoweringOptions;
import dev.specc.runtime.data.DataException;
import dev.specc.runtime.data.UncheckedDataException;
import dev.specc.runtime.data.Shard;
import dev.specc.runtime.io.InitialWeights;
import dev.specc.runtime.io.TargetLayers;
import dev.specc.runtime.report.EvaluationReport;
import dev.specc.runtime.report.Plots;
import dev.specc.runtime.report.Plural;
import dev.specc.runtime.report.TensorBoardWriter;
import dev.specc.runtime.run.RunDirectory;
import dev.specc.runtime.train.Evaluator;
import dev.specc.runtime.train.TrainState;
import dev.specc.runtime.train.Trainer;
import dev.specc.runtime.train.TrainingGraph;
import dev.specc.weights.WeightMapping;
import dev.specc.weights.WeightMappings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Session;
import org.tensorflow.TensorFlow;

/**
 * specc run / train: prepares data, compiles, trains with a checkpoint per epoch (and within
 * epochs, as train.checkpoint_every asks), and (for run) evaluates the best checkpoint on the test
 * split, or on the validation split, saying so, when the data has no test split. Everything is left
 * in the run directory, which is locked while the run trains in it.
 */
public final class TrainingRun {
    /**
     * Where and how to run; {@code resume} continues an existing run directory. {@code precision}:
     * --precision, or null for the spec's train.precision (a resumed run: the precision it ran with).
     * {@code mapping}: --mapping for the weights of --init-from or train.init_from, or null for the
     * spec's train.init_from.mapping (with --init-from: the file format's default).
     */
    public record Options(Path runsRoot, Path resume, Path initFrom, WeightMapping mapping, boolean partial, boolean test, int threads,
                          Precision precision, PrintStream out) {
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

    /** A run stopped by Ctrl-C after writing a checkpoint; the message says how to continue. */
    public static final class Interrupted extends Exception {
        public Interrupted(String message) {
            super(message);
        }
    }

    public static Outcome run(Prepared prepared, Options options) throws Exception {
        return run(prepared, options, null);
    }

    /**
     * {@code role}: null to train alone; else this process is a worker of a cluster. The chief runs
     * as a single process does, with the run directory; the other workers train without one (see
     * {@link #trainWorker}).
     */
    public static Outcome run(Prepared prepared, Options options, ClusterRole role) throws Exception {
        if (role != null && !role.chief()) {
            return trainWorker(prepared, options, role);
        }
        prepared.checked().warnings().forEach(options.out()::println);
        String specText = RunDirectory.specText(prepared.checked().tree());
        // A GPU TensorFlow cannot use, or a precision this device cannot compute in, fails before anything is written.
        ComputeDevice.current();
        if (options.resume() == null) ComputePrecision.resolve(options.precision(), prepared.train().precision());
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
        }
        try (RunDirectory.Lock lock = run.lock()) {
            if (options.resume() == null) run.writeSpec(specText);
            return train(prepared, options, run, specText, role);
        }
    }

    private static Outcome train(Prepared prepared, Options options, RunDirectory run, String specText, ClusterRole role)
            throws Exception {
        PrintStream out = options.out();
        out.println("run directory: " + run.path());
        boolean resuming = options.resume() != null && run.hasCheckpoint();
        if (options.resume() != null && !resuming) {
            out.println("no checkpoint in " + run.path() + " yet (the run stopped before its first one): starting from "
                    + "the beginning");
        }

        RunData data = RunData.load(prepared, options.threads(), role == null ? Shard.WHOLE : role.shard(), out, true);
        data.summary().forEach(out::println);

        ComputeDevice device = ComputeDevice.current();
        out.println(device.describe());
        ComputePrecision precision = inCluster(precision(prepared, options, run, resuming), role);
        out.println(precision.describe());
        long seed = prepared.train().seed();
        try (CompiledModel model = lower(prepared, seed, role)) {
            TrainingGraph graph = new TrainingGraph(model, prepared.train(), precision.precision() == Precision.FLOAT16,
                    role == null ? null : role.workers());
            checkClasses(graph, data.classNames().size());
            if (role != null) role.prepare(graph);
            try (Session session = open(model, options, precision, role)) {
                session.initialize();
                Checkpoints checkpoints = new Checkpoints(session, graph);
                checkpoints.classNames(data.classNames());
                TrainState start = TrainState.fresh(RunDirectory.hash(specText), seed);
                if (resuming) {
                    start = checkpoints.restore(run.checkpoint("last"));
                    if (options.precision() != null) run.recordPrecision(precision.precision().spelling(), precision.reason());
                    out.println(start.midEpoch()
                            ? String.format("resuming within epoch %d at step %d (global step %d)", start.epochsDone() + 1,
                                    start.stepsInEpoch(), start.globalStep())
                            : String.format("resuming after epoch %d (step %d)", start.epochsDone(), start.globalStep()));
                } else {
                    initFrom(prepared, options, checkpoints, session, out);
                    writeEnvironment(run, prepared, seed, device, precision);
                }
                if (role != null) start = synchronize(role, session, graph, start);
                Trainer trainer = new Trainer(graph, session, prepared.train(), out,
                        role == null ? null : role.step(graph, session, seed, prepared.train().batchSize()));
                TrainState end;
                try (TensorBoardWriter board = new TensorBoardWriter(run.tensorboard());
                     InterruptHook hook = new InterruptHook(trainer::requestStop, run.path())) {
                    try {
                        end = fit(trainer, data, start, new RunCheckpointer(run, checkpoints, board), role);
                    } catch (Throwable failure) {
                        hook.holdForReport();
                        throw failure;
                    }
                    if (role != null) role.report(out);
                    if (trainer.stopped()) {
                        String message = "interrupted " + (end.midEpoch() ? "at " : "after ") + end.describe()
                                + "; continue with --resume " + run.path();
                        out.println(message);
                        out.flush();
                        throw new Interrupted(message);
                    }
                }
                EvaluationReport report = null;
                if (options.test() && data.testSize() > 0) {
                    Path best = run.trainedCheckpoint();
                    checkpoints.restoreWeights(best);
                    String checkpoint = run.path().relativize(best).toString();
                    report = evaluate(graph, session, prepared, data, checkpoint);
                    String note = data.hasOwnTest() ? "" : "note: " + data.noTestNote()
                            + "; the validation split was evaluated\n";
                    run.writeText("report.txt", note + report.text());
                    run.writeJson("report.json", reportJson(report, data, checkpoint));
                    out.println();
                    out.print(note + report.text());
                }
                return new Outcome(run.path(), end, report);
            }
        }
    }

    /**
     * A cluster computes in float32: TensorFlow's bfloat16 rewrite changes the type of ops that feed
     * the collectives, which then refuse it.
     */
    private static ComputePrecision inCluster(ComputePrecision precision, ClusterRole role) {
        if (role == null || precision.precision() == Precision.FLOAT32) return precision;
        return new ComputePrecision(Precision.FLOAT32, "a cluster trains in float32 (mixed precision with all-reduce is "
                + "not supported yet); " + precision.precision().spelling() + " was asked: " + precision.reason());
    }

    private static CompiledModel lower(Prepared prepared, long seed, ClusterRole role) {
        return new GraphLowerer().lower(prepared.checked().analysis(),
                new LoweringOptions(seed, null, role == null ? null : role.crossWorker()));
    }

    private static Session open(CompiledModel model, Options options, ComputePrecision precision, ClusterRole role) {
        return role == null ? Sessions.open(model.graph(), options.threads(), precision.precision())
                : role.open(model.graph(), options.threads(), precision.precision());
    }

    private static TrainState synchronize(ClusterRole role, Session session, TrainingGraph graph, TrainState start) {
        try {
            return role.synchronize(session, graph, start);
        } catch (RuntimeException e) {
            throw role.explain(e);
        }
    }

    private static TrainState fit(Trainer trainer, RunData data, TrainState start, Trainer.Checkpointer sink,
                                  ClusterRole role) throws Exception {
        try {
            return trainer.fit(data.train(), data.validation(), start, sink);
        } catch (UncheckedDataException e) {
            throw e.getCause();
        } catch (RuntimeException e) {
            if (role == null) throw e;
            throw role.explain(e);
        }
    }

    /**
     * A worker other than the chief: the same data, graph and steps, started from the chief's
     * broadcast state, with no run directory (it writes nothing) and no test evaluation. It prints
     * only its throughput and failures; the chief prints the progress.
     */
    private static Outcome trainWorker(Prepared prepared, Options options, ClusterRole role) throws Exception {
        RunData data = RunData.load(prepared, options.threads(), role.shard(), new PrintStream(java.io.OutputStream.nullOutputStream()), true);
        ComputePrecision precision = inCluster(ComputePrecision.resolve(options.precision(), prepared.train().precision()), role);
        long seed = prepared.train().seed();
        try (CompiledModel model = lower(prepared, seed, role)) {
            TrainingGraph graph = new TrainingGraph(model, prepared.train(), false, role.workers());
            checkClasses(graph, data.classNames().size());
            role.prepare(graph);
            try (Session session = open(model, options, precision, role)) {
                session.initialize();
                TrainState start = synchronize(role, session, graph, TrainState.fresh("", seed));
                PrintStream quiet = new PrintStream(java.io.OutputStream.nullOutputStream());
                Trainer trainer = new Trainer(graph, session, prepared.train(), quiet, role.step(graph, session, seed, prepared.train().batchSize()));
                TrainState end = fit(trainer, data, start, new Trainer.Checkpointer() {
                    @Override
                    public void epochEnd(TrainState state, Map<String, Double> metrics, boolean best) {
                    }

                    @Override
                    public void midEpoch(TrainState state) {
                    }
                }, role);
                role.report(options.out());
                return new Outcome(null, end, null);
            }
        }
    }

    private static EvaluationReport evaluate(TrainingGraph graph, Session session, Prepared prepared, RunData data,
                                             String checkpoint) throws DataException {
        try {
            return new Evaluator(graph, session, prepared.train().topK())
                    .report(data.evaluatedSplit() + " (" + checkpoint + ")", data.test(), data.classNames());
        } catch (UncheckedDataException e) {
            throw e.getCause();
        }
    }

    /** Writes checkpoints, metrics, TensorBoard scalars and plots as the trainer reaches them. */
    private record RunCheckpointer(RunDirectory run, Checkpoints checkpoints, TensorBoardWriter board)
            implements Trainer.Checkpointer {
        @Override
        public void epochEnd(TrainState state, Map<String, Double> metrics, boolean best) throws Exception {
            checkpoints.save(run.checkpoint("last"), state);
            if (best) checkpoints.save(run.checkpoint("best"), state);
            run.writeMetrics(state.history());
            for (Map.Entry<String, Double> e : metrics.entrySet()) board.scalar(e.getKey(), state.epochsDone(), e.getValue());
            board.flush();
            Plots.write(run.path().resolve("accuracy.png"), "accuracy", state.history());
            Plots.write(run.path().resolve("loss.png"), "loss", state.history());
            if (metrics.containsKey("mean_iou")) Plots.write(run.path().resolve("mean_iou.png"), "mean_iou", state.history());
        }

        @Override
        public void midEpoch(TrainState state) throws Exception {
            checkpoints.save(run.checkpoint("last"), state);
        }
    }

    /** RunChecks.lossAndClasses refused a network that does not fit the data's classes, counted as this reader counts them. */
    private static void checkClasses(TrainingGraph graph, int dataClasses) {
        if (!RunChecks.outputsFit(graph.loss() == TrainingGraph.Loss.BINARY_CROSSENTROPY, graph.classes(), dataClasses)) {
            throw new IllegalStateException("the network's " + graph.classes() + " outputs do not fit the data's "
                    + dataClasses + " classes, which Pipeline.check should have reported");
        }
    }

    private static void initFrom(Prepared prepared, Options options, Checkpoints checkpoints, Session session, PrintStream out)
            throws IOException, SpecException {
        Path file = options.initFrom() != null ? options.initFrom() : prepared.train().initFromFile(prepared.specFile());
        if (file == null) return;
        WeightMapping mapping = options.mapping();
        if (mapping == null && options.initFrom() == null && prepared.train().initMapping() != null) {
            Diagnostics diagnostics = new Diagnostics();
            mapping = WeightMappings.read(prepared.train().initMapping(), Pipeline.INIT_MAPPING, prepared.specFile(), diagnostics);
            if (diagnostics.hasErrors()) throw new SpecException(diagnostics);
        }
        InitialWeights.Plan plan = checkpoints.initFrom(file, mapping, TargetLayers.of(prepared.checked().analysis()),
                options.partial() || prepared.train().partialInit());
        out.println("initialised from " + file + " (" + plan.source() + "): " + plan.report());
    }

    /**
     * --precision when given; else a resumed run's own (so that a resume continues as the run
     * started: the same precision is part of bit-exact results), else the spec's train.precision.
     */
    private static ComputePrecision precision(Prepared prepared, Options options, RunDirectory run, boolean resuming)
            throws IOException {
        if (resuming && options.precision() == null) return ComputePrecision.ofRun(run);
        return ComputePrecision.resolve(options.precision(), prepared.train().precision());
    }

    private static void writeEnvironment(RunDirectory run, Prepared prepared, long seed, ComputeDevice device,
                                         ComputePrecision precision) throws IOException {
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
        env.put("device", device.spelling());
        env.put("device_reason", device.reason());
        env.put(RunDirectory.PRECISION, precision.precision().spelling());
        env.put(RunDirectory.PRECISION_REASON, precision.reason());
        run.writeEnvironment(env);
    }

    static Map<String, Object> reportJson(EvaluationReport r, RunData data, String checkpoint) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("split", data.evaluatedSplit());
        if (!data.hasOwnTest()) m.put("split_note", data.noTestNote());
        m.put("checkpoint", checkpoint);
        m.put("examples", r.examples());
        m.put("loss", r.loss());
        m.put("accuracy", r.accuracy());
        if (r.top5() != null) m.put("top_5_accuracy", r.top5());
        if (r.iou() != null) {
            m.put("mean_iou", r.meanIou());
            Map<String, Object> iou = new LinkedHashMap<>();
            for (int c = 0; c < r.classNames().size(); c++) iou.put(r.classNames().get(c), Double.isNaN(r.iou()[c]) ? null : r.iou()[c]);
            m.put("per_class_iou", iou);
        }
        Map<String, Object> perClass = new LinkedHashMap<>();
        for (int c = 0; c < r.classNames().size(); c++) perClass.put(r.classNames().get(c), r.classAccuracy(c));
        m.put("per_class_accuracy", perClass);
        m.put("class_names", r.classNames());
        m.put("confusion_matrix", r.confusion());
        return m;
    }
}
