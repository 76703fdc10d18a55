package dev.specc.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.specc.runtime.io.Safetensors;
import dev.specc.runtime.io.Tensor;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * specc run/train/eval/predict/export end to end, on a small image folder made here: "left"
 * images are bright on the left half, "right" images on the right half, with noise.
 */
class TrainingCommandsTest {
    @TempDir
    static Path dir;

    static Path data;
    static Path spec;

    static final String SPEC = """
            specc: 1
            name: tiny
            params: {classes: 2}
            input: {shape: [12, 12, 1]}
            stem:
              - {kind: conv2d, name: conv, filters: 4, kernel: 3, padding: same}
              - {kind: batch_norm, name: bn, momentum: 0.8}
              - {kind: relu, name: relu}
              - {kind: dropout, name: drop, rate: 0.1}
            head:
              - {kind: flatten, name: flat}
              - {kind: dense, name: predictions, units: classes, activation: softmax}
            train:
              epochs: 3
              batch_size: 8
              seed: 7
              optimizer: {type: adam, learning_rate: 0.05}
            data:
              source: folder
              path: images
              image_size: [12, 12]
              validation_split: 0.25
              seed: 3
              augment: {horizontal_flip: false, width_shift: 0.05}
            """;

    @BeforeAll
    static void makeData() throws IOException {
        data = dir.resolve("images");
        Random random = new Random(11);
        for (String label : List.of("left", "right")) {
            Files.createDirectories(data.resolve(label));
            for (int i = 0; i < 24; i++) {
                BufferedImage image = new BufferedImage(12, 12, BufferedImage.TYPE_BYTE_GRAY);
                for (int y = 0; y < 12; y++) {
                    for (int x = 0; x < 12; x++) {
                        boolean bright = label.equals("left") ? x < 6 : x >= 6;
                        int v = Math.max(0, Math.min(255, (bright ? 200 : 40) + (int) (random.nextGaussian() * 25)));
                        image.getRaster().setSample(x, y, 0, v);
                    }
                }
                ImageIO.write(image, "png", data.resolve(label).resolve(label + i + ".png").toFile());
            }
        }
        Files.writeString(data.resolve("left").resolve("broken.png"), "not an image at all");
        spec = dir.resolve("tiny.yaml");
        Files.writeString(spec, SPEC);
    }

    record Result(int code, String out, String err) {
    }

    static Result specc(String... args) {
        StringWriter err = new StringWriter();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Specc.run(new PrintWriter(System.out, true), new PrintWriter(err, true), args);
        } finally {
            System.setOut(saved);
        }
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString());
    }

    static Path onlyRun(Path runs) throws IOException {
        try (Stream<Path> s = Files.list(runs.resolve("tiny"))) {
            return s.sorted(Comparator.reverseOrder()).findFirst().orElseThrow();
        }
    }

    @Test
    void runTrainsEvaluatesAndLeavesACompleteRunDirectory() throws IOException {
        Path runs = dir.resolve("runs-complete");
        Result r = specc("run", spec.toString(), "--runs-dir", runs.toString(), "--set", "train.epochs=6");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("broken.png: skipped"), r.out());
        assertTrue(r.out().contains("skipped 1 unreadable files"), r.out());
        Path run = onlyRun(runs);
        for (String f : List.of("spec.resolved.json", "spec.sha256", "environment.json", "checkpoints/last.safetensors",
                "checkpoints/best.safetensors", "metrics.csv", "metrics.json", "accuracy.png", "loss.png", "report.json",
                "report.txt")) {
            assertTrue(Files.isRegularFile(run.resolve(f)), "missing " + f);
        }
        try (Stream<Path> events = Files.list(run.resolve("tensorboard"))) {
            assertTrue(events.anyMatch(p -> p.getFileName().toString().startsWith("events.out.tfevents")), "TensorBoard events");
        }
        JsonNode report = new ObjectMapper().readTree(run.resolve("report.json").toFile());
        assertTrue(report.get("accuracy").asDouble() >= 0.9, report.toString());
        assertEquals(2, report.get("confusion_matrix").size());
        List<String> csv = Files.readAllLines(run.resolve("metrics.csv"));
        assertEquals(7, csv.size(), "a header and one line per epoch");
        assertTrue(csv.get(0).startsWith("epoch,loss,accuracy,val_loss,val_accuracy,learning_rate"), csv.get(0));
        JsonNode env = new ObjectMapper().readTree(run.resolve("environment.json").toFile());
        assertEquals("2.16.2", env.get("tensorflow").asText());
        assertEquals(7, env.get("seed").asInt());

        Path last = run.resolve("checkpoints/last.safetensors");
        Result eval = specc("eval", spec.toString(), "--checkpoint", last.toString());
        assertEquals(0, eval.code(), eval.err());
        assertTrue(eval.out().contains("accuracy"), eval.out());

        Result predict = specc("predict", spec.toString(), "--checkpoint", last.toString(), "--format", "json",
                data.resolve("left/left0.png").toString(), data.resolve("right/right0.png").toString());
        assertEquals(0, predict.code(), predict.err());
        JsonNode answers = new ObjectMapper().readTree(predict.out());
        assertTrue(answers.get(0).get("probabilities").get("left").asDouble() > 0.5, predict.out());
        assertTrue(answers.get(1).get("probabilities").get("right").asDouble() > 0.5, predict.out());

        Path weights = dir.resolve("tiny.safetensors");
        Result export = specc("export", spec.toString(), "--checkpoint", last.toString(), "--format", "safetensors",
                "--out", weights.toString());
        assertEquals(0, export.code(), export.err());
        Map<String, Tensor> tensors = Safetensors.read(weights).tensors();
        assertEquals(List.of(3L, 3L, 1L, 4L), java.util.Arrays.stream(tensors.get("conv/kernel").shape()).boxed().toList());
        assertFalse(tensors.keySet().stream().anyMatch(k -> k.startsWith("optimizer/")), tensors.keySet().toString());

        Path saved = dir.resolve("tiny-savedmodel");
        Result savedModel = specc("export", spec.toString(), "--checkpoint", last.toString(), "--format", "savedmodel",
                "--out", saved.toString());
        assertEquals(0, savedModel.code(), savedModel.err());
        assertTrue(Files.isRegularFile(saved.resolve("saved_model.pb")));

        // Fine-tuning a 3-class head from these weights: strict refuses, --partial reports and proceeds.
        Result strict = specc("train", spec.toString(), "--runs-dir", runs.toString(), "--set", "params.classes=3",
                "--set", "train.epochs=1", "--init-from", weights.toString());
        assertEquals(2, strict.code(), strict.out() + strict.err());
        assertTrue(strict.err().contains("predictions/kernel"), strict.err());
        Result partial = specc("train", spec.toString(), "--runs-dir", runs.toString(), "--set", "params.classes=3",
                "--set", "train.epochs=1", "--init-from", weights.toString(), "--partial");
        assertEquals(0, partial.code(), partial.out() + partial.err());
        assertTrue(partial.out().contains("predictions/kernel"), partial.out());
    }

    @Test
    void aRunMadeWithSetOverridesIsEvaluatedPredictedExportedAndResumedThroughItsDirectory(@TempDir Path elsewhere)
            throws IOException {
        // Runs outside the spec's folder: the relative data.path must still be found from the spec the run started from.
        Path runs = elsewhere.resolve("runs");
        Result train = specc("train", spec.toString(), "--runs-dir", runs.toString(), "--threads", "1",
                "--set", "params.classes=3", "--set", "train.epochs=1");
        assertEquals(0, train.code(), train.out() + train.err());
        Path run = onlyRun(runs);
        Path best = run.resolve("checkpoints/best.safetensors");

        Result withoutOverrides = specc("eval", spec.toString(), "--checkpoint", best.toString());
        assertEquals(2, withoutOverrides.code(), withoutOverrides.out() + withoutOverrides.err());
        assertTrue(withoutOverrides.err().contains("predictions/kernel [576, 2] (file has [576, 3])"), withoutOverrides.err());
        assertTrue(withoutOverrides.err().contains("load it with --run " + run + ", which compiles the spec the run trained"),
                withoutOverrides.err());
        assertFalse(withoutOverrides.err().contains("load partially"), withoutOverrides.err());

        Result throughRun = specc("eval", "--run", run.toString(), "--threads", "1");
        assertEquals(0, throughRun.code(), throughRun.out() + throughRun.err());
        Result repeated = specc("eval", spec.toString(), "--set", "params.classes=3", "--checkpoint", best.toString(),
                "--threads", "1");
        assertEquals(0, repeated.code(), repeated.err());
        assertTrue(throughRun.out().contains("accuracy"), throughRun.out());
        assertEquals(repeated.out(), throughRun.out(), "the run's spec.resolved.json compiles to the network it trained");

        Result predict = specc("predict", "--run", run.toString(), "--format", "json", data.resolve("left/left0.png").toString());
        assertEquals(0, predict.code(), predict.err());
        JsonNode probabilities = new ObjectMapper().readTree(predict.out()).get(0).get("probabilities");
        assertEquals(List.of("left", "right", "class 2"), iterableToList(probabilities.fieldNames()));

        Path weights = elsewhere.resolve("three.safetensors");
        Result export = specc("export", "--run", run.toString(), "--format", "safetensors", "--out", weights.toString());
        assertEquals(0, export.code(), export.err());
        assertEquals(List.of(576L, 3L),
                java.util.Arrays.stream(Safetensors.read(weights).tensors().get("predictions/kernel").shape()).boxed().toList());
        Result again = specc("export", "--run", run.toString(), "--format", "safetensors", "--out", weights.toString());
        assertEquals(2, again.code(), again.err());
        Result forced = specc("export", "--run", run.toString(), "--format", "safetensors", "--out", weights.toString(), "--force");
        assertEquals(0, forced.code(), forced.err());
        Path saved = Files.createDirectories(elsewhere.resolve("saved"));
        Files.writeString(saved.resolve("old.txt"), "an earlier export");
        Result replaced = specc("export", "--run", run.toString(), "--format", "savedmodel", "--out", saved.toString(), "--force");
        assertEquals(0, replaced.code(), replaced.err());
        assertTrue(Files.isRegularFile(saved.resolve("saved_model.pb")));
        assertFalse(Files.exists(saved.resolve("old.txt")), "--force replaces the folder");

        Result both = specc("eval", spec.toString(), "--run", run.toString());
        assertEquals(2, both.code());
        assertTrue(both.err().contains("give SPEC or --run RUN_DIR, not both"), both.err());

        Result resumed = specc("train", "--resume", run.toString(), "--threads", "1", "--set", "train.epochs=2");
        assertEquals(2, resumed.code(), "--set on top of the run's spec changes it: " + resumed.err());
        assertTrue(resumed.err().contains("the spec changed"), resumed.err());
        Result continued = specc("train", "--resume", run.toString(), "--threads", "1");
        assertEquals(0, continued.code(), continued.out() + continued.err());
        assertTrue(continued.out().contains("resuming after epoch 1"), continued.out());
    }

    private static List<String> iterableToList(java.util.Iterator<String> names) {
        List<String> list = new java.util.ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }

    @Test
    void aNonFiniteLossStopsTheRunWithAClearMessage() throws IOException {
        Path runs = dir.resolve("runs-nan");
        Result r = specc("train", spec.toString(), "--runs-dir", runs.toString(),
                "--set", "train.optimizer={type: sgd, learning_rate: 1.0e+30}");
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("the loss became NaN") || r.err().contains("the loss became Infinity"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @Test
    void resumeAfterAKillEndsWithTheSameWeightsAsAnUninterruptedRun() throws Exception {
        String[] longer = {"--threads", "1", "--set", "train.epochs=12"};
        Path straight = dir.resolve("runs-straight");
        assertEquals(0, specc(concat(new String[] {"train", spec.toString(), "--runs-dir", straight.toString()}, longer)).code());
        Map<String, Tensor> uninterrupted = Safetensors.read(onlyRun(straight).resolve("checkpoints/last.safetensors")).tensors();

        Path killed = dir.resolve("runs-killed");
        Process process = new ProcessBuilder(concat(new String[] {
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
                Specc.class.getName(), "train", spec.toString(), "--runs-dir", killed.toString()}, longer))
                .redirectErrorStream(true).redirectOutput(dir.resolve("killed.log").toFile()).start();
        boolean checkpointed = false;
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!checkpointed && System.nanoTime() < deadline && process.isAlive()) {
            checkpointed = hasCheckpoint(killed.resolve("tiny"));
            if (!checkpointed) Thread.sleep(10);
        }
        process.destroyForcibly().waitFor();
        assertTrue(checkpointed, "a checkpoint before the kill: " + Files.readString(dir.resolve("killed.log")));
        Path run = onlyRun(killed);

        Result changed = specc("train", spec.toString(), "--resume", run.toString(), "--threads", "1", "--set", "train.epochs=13");
        assertEquals(2, changed.code(), changed.out() + changed.err());
        assertTrue(changed.err().contains("the spec changed") && changed.err().contains("\"epochs\" : 13"), changed.err());

        Result resumed = specc(concat(new String[] {"train", spec.toString(), "--resume", run.toString()}, longer));
        assertEquals(0, resumed.code(), resumed.out() + resumed.err());
        assertTrue(resumed.out().contains("resuming after epoch"), resumed.out());
        Map<String, Tensor> afterResume = Safetensors.read(run.resolve("checkpoints/last.safetensors")).tensors();
        assertEquals(uninterrupted.keySet(), afterResume.keySet());
        for (String name : uninterrupted.keySet()) {
            assertArrayEquals(uninterrupted.get(name).toFloats(), afterResume.get(name).toFloats(), 0f, name + " bit for bit");
        }
    }

    private static boolean hasCheckpoint(Path runs) throws IOException {
        if (!Files.isDirectory(runs)) return false;
        try (Stream<Path> s = Files.list(runs)) {
            return s.anyMatch(run -> Files.exists(run.resolve("checkpoints/last.safetensors")));
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
