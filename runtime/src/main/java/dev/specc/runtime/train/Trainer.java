package dev.specc.runtime.train;

import dev.specc.config.TrainConfig;
import dev.specc.runtime.data.Batch;
import dev.specc.runtime.report.Plural;
import dev.specc.runtime.report.ProgressLine;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * The training loop: epochs of steps on the training path, validation on the inference path
 * after each epoch, the learning-rate schedule, early stopping, and checkpoints: one after every
 * epoch (the best one kept apart) and, as {@code train.checkpoint_every} asks, within epochs. A
 * NaN or infinite loss stops the run before anything is written, so the last checkpoint stays the
 * last good one. {@link #requestStop()} (Ctrl-C) ends the run after the current step with a
 * checkpoint.
 */
public final class Trainer {
    /** What the trainer asks of the run directory: keep a state to resume from. */
    public interface Checkpointer {
        /** After each epoch, with its metrics; {@code best} when the monitored metric improved. */
        void epochEnd(TrainState state, Map<String, Double> metrics, boolean best) throws Exception;

        /** Within an epoch (a state with {@link TrainState#midEpoch()}). */
        void midEpoch(TrainState state) throws Exception;
    }

    /** A loss that is no longer a number. */
    public static final class NonFiniteLossException extends RuntimeException {
        public NonFiniteLossException(String message) {
            super(message);
        }
    }

    /** One training step on one batch: adds the batch to the epoch's metrics and returns its loss. */
    public interface Step {
        float run(Batch batch, double rate, long globalStep, EpochMetrics metrics);
    }

    private final TrainingGraph graph;
    private final Session session;
    private final Step stepper;
    private final TrainConfig config;
    private final PrintStream out;
    private volatile boolean stopRequested;
    private boolean stopped;

    public Trainer(TrainingGraph graph, Session session, TrainConfig config, PrintStream out) {
        this(graph, session, config, out, null);
    }

    /** {@code step}: how a step runs (a worker of a cluster runs its shard); null for this process's own step. */
    public Trainer(TrainingGraph graph, Session session, TrainConfig config, PrintStream out, Step step) {
        this.graph = graph;
        this.session = session;
        this.config = config;
        this.out = out;
        this.stepper = step != null ? step : this::step;
    }

    /** Asks a running {@link #fit} to checkpoint and return after its current step (any thread may call it). */
    public void requestStop() {
        stopRequested = true;
    }

    /** Whether the last {@link #fit} returned early because a stop was requested. */
    public boolean stopped() {
        return stopped;
    }

    /**
     * Trains from {@code start} (a fresh state or one restored from a checkpoint, possibly within an
     * epoch) to the last epoch, or until a stop is requested.
     */
    public TrainState fit(BatchSource train, BatchSource validation, TrainState start, Checkpointer sink) throws Exception {
        Schedule schedule = new Schedule(config.schedule(), config.optimizer().learningRate(), config.epochs());
        if (start.schedule() != null) schedule.restore(start.schedule());
        List<Map<String, Double>> history = new ArrayList<>(start.history());
        long globalStep = start.globalStep();
        double best = start.bestMonitored();
        int stale = start.epochsWithoutImprovement();
        String monitor = config.checkpointMonitor();
        long steps = train.batchesPerEpoch();
        boolean terminal = ProgressLine.isTerminal();
        Evaluator evaluator = new Evaluator(graph, session, config.topK());
        TrainState state = start;
        TrainState saved = start.globalStep() > 0 ? start : null;
        long stepsSinceCheckpoint = 0;
        long lastCheckpoint = System.nanoTime();
        stopped = false;
        for (int epoch = start.epochsDone(); epoch < config.epochs(); epoch++) {
            out.printf("Epoch %d/%d%n", epoch + 1, config.epochs());
            long first = epoch == start.epochsDone() ? start.stepsInEpoch() : 0;
            EpochMetrics metrics = graph.newMetrics(config.topK());
            if (first > 0 && start.partialEpoch() != null) metrics.restore(start.partialEpoch());
            ProgressLine progress = new ProgressLine(out, terminal, steps, first);
            double rate = first > 0 ? schedule.rate(epoch, first - 1, steps) : Double.NaN; // a resume after the last step runs none
            InputWait wait = new InputWait();
            try (BatchSource.Pass pass = train.open(epoch, first)) {
                for (long step = first; wait.hasNext(pass); step++) {
                    Batch batch = wait.next(pass);
                    globalStep++;
                    rate = schedule.rate(epoch, step, steps);
                    float loss = stepper.run(batch, rate, globalStep, metrics);
                    if (!Float.isFinite(loss)) {
                        throw new NonFiniteLossException(String.format(Locale.ROOT,
                                "the loss became %s at epoch %d, step %d (learning rate %.3g); training stopped and %s. "
                                        + "Lower train.optimizer.learning_rate or check the data", loss, epoch + 1, step + 1,
                                rate, saved == null ? "no checkpoint had been written yet"
                                        : "the last checkpoint (" + saved.describe() + ") is kept"));
                    }
                    progress.update(step + 1, metrics.values(""));
                    stepsSinceCheckpoint++;
                    boolean lastOfEpoch = step + 1 >= steps;
                    // A stop after the epoch's last step is checkpointed here too: validation and the epoch's end can
                    // take longer than an interrupted process waits, and a resume redoes them from this state.
                    if (stopRequested || (!lastOfEpoch
                            && config.checkpointEvery().due(stepsSinceCheckpoint, System.nanoTime() - lastCheckpoint))) {
                        state = midEpoch(epoch, step + 1, globalStep, schedule, best, stale, history, start, metrics);
                        sink.midEpoch(state);
                        saved = state;
                        stepsSinceCheckpoint = 0;
                        lastCheckpoint = System.nanoTime();
                        if (stopRequested) return stop(state, terminal);
                    }
                }
            }
            Map<String, Double> results = new LinkedHashMap<>(metrics.values(""));
            results.putAll(metrics.classIou(""));
            if (validation != null && validation.examples() > 0) {
                EpochMetrics validated = evaluator.metrics(validation, () -> stopRequested);
                if (validated == null) {
                    // Stopped within validation: the checkpoint after the last step stands; resuming validates again.
                    state = midEpoch(epoch, steps, globalStep, schedule, best, stale, history, start, metrics);
                    sink.midEpoch(state);
                    return stop(state, terminal);
                }
                results.putAll(validated.values("val_"));
                results.putAll(validated.classIou("val_"));
            }
            results.put("learning_rate", rate);
            if (wait.measured()) results.put(InputWait.METRIC, wait.share());
            progress.finish(steps, summaryLine(results));
            history.add(results);

            Double value = results.get(monitor.startsWith("val_") && !results.containsKey(monitor) ? monitor.substring(4) : monitor);
            boolean lowerIsBetter = monitor.endsWith("loss");
            boolean improved = value != null && (Double.isNaN(best) || (lowerIsBetter ? value < best : value > best));
            if (improved) best = value;
            String scheduleNote = schedule.endEpoch(results);
            if (scheduleNote != null) out.println(scheduleNote);

            boolean stop = false;
            if (config.earlyStopping() != null) {
                TrainConfig.EarlyStopping es = config.earlyStopping();
                Double watched = results.get(es.monitor());
                boolean better = watched != null && history.size() > 1 && isImprovement(watched, history, es);
                stale = history.size() == 1 || better ? 0 : stale + 1;
                if (stale >= es.patience() && es.patience() > 0) {
                    out.printf("Early stopping: %s did not improve by %s for %s%n", es.monitor(), es.minDelta(),
                            Plural.of(stale, "epoch"));
                    stop = true;
                }
            }
            state = new TrainState(epoch + 1, globalStep, schedule.state(), best, stale, List.copyOf(history),
                    start.specHash(), start.seed(), 0, null);
            sink.epochEnd(state, results, improved);
            saved = state;
            stepsSinceCheckpoint = 0;
            lastCheckpoint = System.nanoTime();
            if (stop) break;
            if (stopRequested && epoch + 1 < config.epochs()) {
                stopped = true;
                break;
            }
        }
        return state;
    }

    private static TrainState midEpoch(int epoch, long stepsInEpoch, long globalStep, Schedule schedule, double best,
                                       int stale, List<Map<String, Double>> history, TrainState start, EpochMetrics metrics) {
        return new TrainState(epoch, globalStep, schedule.state(), best, stale, List.copyOf(history), start.specHash(),
                start.seed(), stepsInEpoch, metrics.snapshot());
    }

    private TrainState stop(TrainState state, boolean terminal) {
        if (terminal) out.println();
        stopped = true;
        return state;
    }

    /** What the epoch's summary line shows: not the learning rate, nor the per-class IoU (metrics files have them). */
    private static Map<String, Double> summaryLine(Map<String, Double> m) {
        Map<String, Double> copy = new LinkedHashMap<>(m);
        copy.remove("learning_rate");
        copy.keySet().removeIf(key -> key.startsWith(EpochMetrics.CLASS_IOU) || key.startsWith("val_" + EpochMetrics.CLASS_IOU));
        return copy;
    }

    private static boolean isImprovement(double value, List<Map<String, Double>> history, TrainConfig.EarlyStopping es) {
        boolean lowerIsBetter = es.monitor().endsWith("loss");
        double best = lowerIsBetter ? Double.MAX_VALUE : -Double.MAX_VALUE;
        for (Map<String, Double> h : history.subList(0, history.size() - 1)) {
            Double v = h.get(es.monitor());
            if (v != null) best = lowerIsBetter ? Math.min(best, v) : Math.max(best, v);
        }
        return lowerIsBetter ? value < best - es.minDelta() : value > best + es.minDelta();
    }

    private float step(Batch batch, double rate, long globalStep, EpochMetrics metrics) {
        long[] dims = graph.model().input().shape().asArray();
        dims[0] = batch.size();
        Optimizer optimizer = graph.optimizer();
        try (TFloat32 x = TFloat32.tensorOf(Shape.of(dims), DataBuffers.of(batch.images(), true, false));
             TInt32 y = TInt32.tensorOf(Shape.of(graph.labelShape(batch.size())), DataBuffers.of(batch.labels(), true, false));
             TFloat32 lr = TFloat32.scalarOf((float) rate);
             TInt64 seed = TInt64.scalarOf(config.seed() * 1_000_003L + globalStep);
             TFloat32 b1 = TFloat32.scalarOf(optimizer.biasCorrections(globalStep)[0]);
             TFloat32 b2 = TFloat32.scalarOf(optimizer.biasCorrections(globalStep)[1])) {
            Session.Runner runner = session.runner().feed(graph.model().input(), x).feed(graph.labels(), y)
                    .feed(graph.learningRate(), lr).feed(graph.model().stepSeed(), seed);
            if (optimizer.beta1Power() != null) runner.feed(optimizer.beta1Power(), b1).feed(optimizer.beta2Power(), b2);
            graph.stepTargets().forEach(runner::addTarget);
            try (Result result = runner.fetch(graph.dataLoss()).fetch(graph.model().output(dev.specc.lower.Mode.TRAINING)).run()) {
                float loss = ((TFloat32) result.get(0)).getFloat();
                if (Float.isFinite(loss)) metrics.add(loss, Tensors.floats((TFloat32) result.get(1)), batch.labels(), batch.size());
                return loss;
            }
        }
    }
}
