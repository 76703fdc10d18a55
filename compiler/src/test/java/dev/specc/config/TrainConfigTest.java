package dev.specc.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specc.Pipeline;
import dev.specc.diag.Diagnostics;
import dev.specc.diag.SpecException;
import dev.specc.load.SMap;
import dev.specc.load.YamlLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainConfigTest {
    private final Diagnostics diagnostics = new Diagnostics();

    private TrainConfig read(String yaml, Map<String, Object> params) {
        SMap root = (SMap) new YamlLoader(diagnostics).parse("spec.yaml", yaml.getBytes(StandardCharsets.UTF_8));
        assertFalse(diagnostics.hasErrors(), errors().toString());
        return TrainConfig.read((SMap) root.get("train"), params, diagnostics);
    }

    private List<String> errors() {
        return diagnostics.sorted().stream().map(Object::toString).toList();
    }

    @Test
    void absentSectionGivesKerasLikeDefaults() {
        TrainConfig c = TrainConfig.read(null, Map.of(), diagnostics);
        assertEquals(List.of(), errors());
        assertEquals(10, c.epochs());
        assertEquals(32, c.batchSize());
        assertEquals(42, c.seed());
        assertEquals(new TrainConfig.OptimizerConfig("sgd", 0.01, 0.0, false, 0.9, 0.999, 1e-7, 0.9), c.optimizer());
        assertEquals(new TrainConfig.ScheduleConfig("constant", 10, 0.1, "val_loss", 5, 0, 1e-4, 0), c.schedule());
        assertNull(c.loss());
        assertEquals(0, c.labelSmoothing());
        assertEquals(List.of("accuracy"), c.metrics());
        assertEquals(List.of(), c.topK());
        assertEquals(0, c.weightDecay());
        assertEquals(Map.of(), c.layerWeightDecay());
        assertNull(c.earlyStopping());
        assertEquals("val_loss", c.checkpointMonitor());
        assertNull(c.initFrom());
        assertFalse(c.partialInit());
        assertEquals(Precision.AUTO, c.precision());
        assertFalse(c.syncBatchNorm());
    }

    @Test
    void precisionIsReadAndAnUnknownOneIsLocated() {
        assertEquals(Precision.BFLOAT16, read("train:\n  precision: bfloat16\n", Map.of()).precision());
        assertEquals(Precision.FLOAT32, read("train:\n  precision: float32\n", Map.of()).precision());
        assertEquals(Precision.FLOAT16, read("train:\n  precision: float16\n", Map.of()).precision());
        assertEquals(List.of(), errors());
        TrainConfig c = read("train:\n  epochs: 2\n  precision: bfloat61\n", Map.of());
        assertEquals(List.of("spec.yaml:3:14: error: train.precision: unknown value 'bfloat61' (did you mean 'bfloat16'?); "
                + "allowed: auto, float32, bfloat16, float16"), errors());
        assertEquals(Precision.AUTO, c.precision());
    }

    @Test
    void precisionMistakesAreReportedOnceInTheOnePass(@TempDir Path dir) throws Exception {
        Path spec = dir.resolve("net.yaml");
        Files.writeString(spec, """
                specc: 1
                name: net
                input: {shape: [2]}
                head:
                  - {kind: dense, name: predictions, units: 3, activation: softmax}
                train:
                  precision: half
                data:
                  class_names: [a, b, c]
                """);
        SpecException e = assertThrows(SpecException.class, () -> Pipeline.check(spec, Pipeline.Options.DEFAULT));
        List<String> reported = e.errors().stream().map(Object::toString).toList();
        assertEquals(1, reported.size(), reported.toString());
        assertEquals(spec + ":7:14: error: train.precision: unknown value 'half'; expected one of auto, float32, bfloat16, float16",
                reported.get(0));
        Files.writeString(spec, Files.readString(spec).replace("  precision: half", "  precision: float32"));
        assertEquals(Precision.FLOAT32, Pipeline.check(spec, Pipeline.Options.DEFAULT).train().precision());
        Pipeline.Checked set = Pipeline.check(spec, spec, new Pipeline.Options(null, List.of("train.precision=bfloat16"),
                null, Pipeline.DataCheck.SKIPPED));
        assertEquals(Precision.BFLOAT16, set.train().precision());
    }

    @Test
    void syncBatchNormIsReadAndANonBooleanIsLocated(@TempDir Path dir) throws Exception {
        assertTrue(read("train:\n  sync_batch_norm: true\n", Map.of()).syncBatchNorm());
        assertFalse(read("train:\n  sync_batch_norm: false\n", Map.of()).syncBatchNorm());
        assertTrue(read("train:\n  sync_batch_norm: \"n > 1\"\n", Map.of("n", 2L)).syncBatchNorm());
        assertEquals(List.of(), errors());
        Path spec = dir.resolve("net.yaml");
        Files.writeString(spec, """
                specc: 1
                name: net
                input: {shape: [2]}
                head:
                  - {kind: dense, name: predictions, units: 3, activation: softmax}
                train:
                  sync_batch_norm: 2
                data:
                  class_names: [a, b, c]
                """);
        SpecException e = assertThrows(SpecException.class, () -> Pipeline.check(spec, Pipeline.Options.DEFAULT));
        List<String> reported = e.errors().stream().map(Object::toString).toList();
        assertEquals(List.of(spec + ":7:20: error: train.sync_batch_norm: expected a boolean or an expression, got the number 2"),
                reported);
    }

    @Test
    void optimizerDefaultsDependOnTheType() {
        TrainConfig adam = read("train:\n  optimizer: {type: adam}\n", Map.of());
        assertEquals(0.001, adam.optimizer().learningRate());
        assertEquals(0.9, adam.optimizer().beta1());
        assertEquals(0.999, adam.optimizer().beta2());
        TrainConfig rmsprop = read("train:\n  optimizer: {type: rmsprop}\n", Map.of());
        assertEquals(0.001, rmsprop.optimizer().learningRate());
        assertEquals(0.9, rmsprop.optimizer().rho());
        // Keras' RMSprop has momentum 0 unless asked; 0.9 would make it a different optimizer.
        assertEquals(0.0, rmsprop.optimizer().momentum());
        assertEquals(List.of(), errors());
    }

    @Test
    void valuesAndExpressionsOverParamsAreRead() {
        TrainConfig c = read("""
                train:
                  epochs: "n * 3"
                  batch_size: n * n
                  seed: 7
                  optimizer: {type: sgd, learning_rate: "base_lr * 2", momentum: 0.8, nesterov: true}
                  schedule: {type: step, every: n, factor: 0.5, min_lr: "base_lr / 100", warmup_epochs: 1}
                  loss: categorical_crossentropy
                  label_smoothing: 0.1
                  metrics: [accuracy, top_5, top_1]
                  weight_decay: 1e-4
                  layer_weight_decay: {"conv*": 0, predictions: "base_lr"}
                  early_stopping: {monitor: val_accuracy, patience: 3, min_delta: 0.001}
                  checkpoint_monitor: val_accuracy
                  init_from: weights.safetensors
                  partial_init: true
                """, Map.of("base_lr", 0.05, "n", 4L));
        assertEquals(List.of(), errors());
        assertEquals(12, c.epochs());
        assertEquals(16, c.batchSize());
        assertEquals(7, c.seed());
        assertEquals(new TrainConfig.OptimizerConfig("sgd", 0.1, 0.8, true, 0.9, 0.999, 1e-7, 0.9), c.optimizer());
        assertEquals(new TrainConfig.ScheduleConfig("step", 4, 0.5, "val_loss", 5, 0.0005, 1e-4, 1), c.schedule());
        assertEquals("categorical_crossentropy", c.loss());
        assertEquals(0.1, c.labelSmoothing());
        assertEquals(List.of("accuracy", "top_5", "top_1"), c.metrics());
        assertEquals(List.of(5, 1), c.topK());
        assertEquals(1e-4, c.weightDecay());
        assertEquals(Map.of("conv*", 0.0, "predictions", 0.05), c.layerWeightDecay());
        assertEquals(List.of("conv*", "predictions"), List.copyOf(c.layerWeightDecay().keySet()), "order kept");
        assertEquals(0.0, c.weightDecayOf("conv1"), "the pattern that matches");
        assertEquals(0.05, c.weightDecayOf("predictions"));
        assertEquals(1e-4, c.weightDecayOf("fc1"), "weight_decay where no pattern matches");
        assertEquals(new TrainConfig.EarlyStopping("val_accuracy", 3, 0.001), c.earlyStopping());
        assertEquals("val_accuracy", c.checkpointMonitor());
        assertEquals("weights.safetensors", c.initFrom());
        assertEquals(Path.of("/specs/weights.safetensors"), c.initFromFile(Path.of("/specs/net.yaml")),
                "from the spec's folder, as run and the check both read it");
        assertTrue(c.partialInit());
    }

    @Test
    void outOfRangeValuesAreLocatedAndFallBackToDefaults() {
        TrainConfig c = read("""
                train:
                  epochs: 0
                  batch_size: -2
                  optimizer: {type: sgd, momentum: 1.5, learning_rate: 0}
                  schedule: {type: step, every: 0, min_lr: -1}
                  label_smoothing: 1
                  weight_decay: "-base"
                """, Map.of("base", 0.1));
        assertEquals(List.of(
                "spec.yaml:2:11: error: train.epochs: expected an integer >= 1, got 0",
                "spec.yaml:3:15: error: train.batch_size: expected an integer >= 1, got -2",
                "spec.yaml:4:36: error: train.optimizer.momentum: expected a number >= 0.0 and < 1.0, got 1.5",
                "spec.yaml:4:56: error: train.optimizer.learning_rate: expected a number > 0.0, got 0.0",
                "spec.yaml:5:33: error: train.schedule.every: expected an integer >= 1, got 0",
                "spec.yaml:5:44: error: train.schedule.min_lr: expected a number >= 0.0, got -1.0",
                "spec.yaml:6:20: error: train.label_smoothing: expected a number >= 0.0 and < 1.0, got 1.0",
                "spec.yaml:7:17: error: train.weight_decay: expected a number >= 0.0, got -0.1"), errors());
        assertEquals(10, c.epochs());
        assertEquals(0.0, c.optimizer().momentum());
        assertEquals(0.01, c.optimizer().learningRate());
    }

    @Test
    void checkpointsWithinEpochsEveryTenMinutesUnlessStepsOrMinutesAreGiven() {
        assertEquals(new TrainConfig.CheckpointEvery(0, 10), TrainConfig.read(null, Map.of(), diagnostics).checkpointEvery());
        assertEquals(new TrainConfig.CheckpointEvery(500, 0),
                read("train:\n  checkpoint_every: {steps: 500}\n", Map.of()).checkpointEvery());
        assertEquals(new TrainConfig.CheckpointEvery(0, 2.5),
                read("train:\n  checkpoint_every: {minutes: 2.5}\n", Map.of()).checkpointEvery());
        assertEquals(List.of(), errors());
        read("train:\n  checkpoint_every: {steps: 0}\n", Map.of());
        assertEquals(List.of("spec.yaml:2:29: error: train.checkpoint_every.steps: expected an integer >= 1, got 0"), errors());

        TrainConfig.CheckpointEvery steps = new TrainConfig.CheckpointEvery(4, 0);
        assertTrue(steps.due(4, 0) && !steps.due(3, Long.MAX_VALUE));
        TrainConfig.CheckpointEvery minutes = new TrainConfig.CheckpointEvery(0, 2);
        assertTrue(minutes.due(1, 120_000_000_000L) && !minutes.due(1_000_000, 119_000_000_000L));
    }

    @Test
    void checkpointEveryTakesStepsOrMinutesNotBoth() {
        assertEquals(TrainConfig.CheckpointEvery.DEFAULT,
                read("train:\n  checkpoint_every: {steps: 5, minutes: 1}\n", Map.of()).checkpointEvery());
        assertEquals(List.of("spec.yaml:2:21: error: train.checkpoint_every: give steps or minutes, not both"), errors());
    }

    @Test
    void badExpressionsAreLocated() {
        read("train:\n  optimizer: {type: sgd, learning_rate: \"base_lr *\"}\n  epochs: \"undefined_name\"\n",
                Map.of("base_lr", 0.1));
        List<String> errors = errors();
        assertEquals(2, errors.size(), errors.toString());
        assertTrue(errors.get(0).startsWith("spec.yaml:2:"), errors.toString());
        assertTrue(errors.get(1).startsWith("spec.yaml:3:"), errors.toString());
    }

    @Test
    void aFullSpecPassesItsParamsThrough(@TempDir Path dir) throws Exception {
        Path spec = dir.resolve("net.yaml");
        Files.writeString(spec, """
                specc: 1
                name: net
                params: {base_lr: 0.05, classes: 3}
                input: {shape: [2]}
                head:
                  - {kind: dense, name: predictions, units: classes, activation: softmax}
                train:
                  optimizer: {type: adam, learning_rate: base_lr * 2}
                  epochs: classes + 1
                data:
                  class_names: [a, b, c]
                """);
        Pipeline.Checked checked = Pipeline.check(spec, Pipeline.Options.DEFAULT);
        TrainConfig c = checked.train();
        assertEquals(0.1, c.optimizer().learningRate(), 1e-12);
        assertEquals(4, c.epochs());
    }
}
