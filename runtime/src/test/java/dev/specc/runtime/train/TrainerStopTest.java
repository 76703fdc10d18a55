package dev.specc.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specc.config.TrainConfig;
import dev.specc.lower.CompiledModel;
import dev.specc.runtime.data.Batch;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Session;

/**
 * A stop requested (Ctrl-C) after an epoch's last step, or during its validation, is checkpointed
 * at once as "all steps of the epoch done", instead of after validation and the epoch's end, which
 * can take longer than an interrupted process waits; resuming from it validates and finishes the epoch.
 */
class TrainerStopTest {
    @TempDir
    Path dir;

    static final int STEPS = 3;

    /** STEPS batches of 2 examples; {@code onBatch} runs as each batch is handed out. */
    record Source(Runnable[] onBatch) implements BatchSource {
        @Override
        public long batchesPerEpoch() {
            return STEPS;
        }

        @Override
        public int examples() {
            return 2 * STEPS;
        }

        @Override
        public Pass open(int epoch, long start) {
            return new Pass() {
                long next = start;

                @Override
                public boolean hasNext() {
                    return next < STEPS;
                }

                @Override
                public Batch next() {
                    int i = (int) next++;
                    if (onBatch[i] != null) onBatch[i].run();
                    return new Batch(new float[] {i, 1, -1, 0.5f, 0, i}, new int[] {i % 3, (i + 1) % 3}, 2);
                }

                @Override
                public void close() {
                }
            };
        }
    }

    record Recorder(List<TrainState> midEpoch, List<TrainState> epochEnd) implements Trainer.Checkpointer {
        Recorder() {
            this(new ArrayList<>(), new ArrayList<>());
        }

        @Override
        public void epochEnd(TrainState state, Map<String, Double> metrics, boolean best) {
            epochEnd.add(state);
        }

        @Override
        public void midEpoch(TrainState state) {
            midEpoch.add(state);
        }
    }

    @Test
    void aStopDuringTheLastStepCheckpointsBeforeValidationAndTheResumeFinishesTheEpoch() throws Exception {
        Trainer[] trainer = new Trainer[1];
        Runnable[] stopAtLast = new Runnable[STEPS];
        stopAtLast[STEPS - 1] = () -> trainer[0].requestStop();
        int[] validated = {0};
        Runnable[] countValidation = new Runnable[STEPS];
        countValidation[0] = () -> validated[0]++;
        run(trainer, (t, another) -> {
            Recorder sink = new Recorder();
            TrainState stopped = t.fit(new Source(stopAtLast), new Source(countValidation), TrainState.fresh("h", 1), sink);
            assertTrue(t.stopped());
            assertEquals(List.of(stopped), sink.midEpoch(), "one checkpoint, the stop's");
            assertEquals(List.of(), sink.epochEnd(), "the epoch's end waits for the resume");
            assertEquals(0, validated[0], "no validation before the checkpoint");
            assertEquals(0, stopped.epochsDone());
            assertEquals(STEPS, stopped.stepsInEpoch());
            assertEquals(STEPS, stopped.globalStep());

            Recorder resumed = new Recorder();
            TrainState end = another.get().fit(new Source(new Runnable[STEPS]),
                    new Source(countValidation), stopped, resumed);
            assertEquals(1, validated[0], "the resume validates the interrupted epoch");
            assertEquals(1, end.epochsDone());
            assertEquals(STEPS, end.globalStep(), "no step is repeated");
            assertEquals(0.1, end.history().get(0).get("learning_rate"), 1e-9, "the epoch's rate, not NaN");
            assertTrue(end.history().get(0).containsKey("val_loss"), end.history().toString());
        });
    }

    @Test
    void aStopDuringValidationCheckpointsTheEpochsStepsAtOnce() throws Exception {
        Trainer[] trainer = new Trainer[1];
        Runnable[] stopInValidation = new Runnable[STEPS];
        stopInValidation[1] = () -> trainer[0].requestStop();
        run(trainer, (t, another) -> {
            Recorder sink = new Recorder();
            TrainState stopped = t.fit(new Source(new Runnable[STEPS]), new Source(stopInValidation), TrainState.fresh("h", 1),
                    sink);
            assertTrue(t.stopped());
            assertEquals(List.of(), sink.epochEnd());
            assertEquals(List.of(stopped), sink.midEpoch());
            assertEquals(STEPS, stopped.stepsInEpoch());
            assertEquals(0, stopped.epochsDone());
        });
    }

    interface Body {
        void run(Trainer trainer, Supplier<Trainer> another) throws Exception;
    }

    private void run(Trainer[] holder, Body body) throws Exception {
        try (CompiledModel model = Nets.dense(dir, 3, 3, "softmax")) {
            TrainConfig config = Nets.config("epochs: 1\nbatch_size: 2\noptimizer: {type: sgd, learning_rate: 0.1}\n"
                    + "checkpoint_every: {minutes: 1000}");
            TrainingGraph graph = new TrainingGraph(model, config);
            try (Session session = new Session(model.graph())) {
                session.initialize();
                PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
                holder[0] = new Trainer(graph, session, config, out);
                body.run(holder[0], () -> new Trainer(graph, session, config, out));
            }
        }
    }
}
