package dev.specc.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.specc.runtime.io.DType;
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
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

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

    /** metrics.csv without its last column, input_wait: a time share, which no two runs repeat. */
    static List<String> withoutInputWait(Path csv) throws IOException {
        return Files.readAllLines(csv).stream().map(line -> line.substring(0, line.lastIndexOf(','))).toList();
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
        assertTrue(r.out().contains("skipped 1 unreadable file\n"), r.out());
        assertTrue(r.out().contains("no test split: the validation set stands in (" + data + " has no train/ and test/ "
                + "subfolders)"), r.out());
        assertTrue(r.out().contains("validation (checkpoints/best.safetensors): 12 examples"), r.out());
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
        assertEquals("validation", report.get("split").asText(), "the split actually evaluated");
        assertEquals("checkpoints/best.safetensors", report.get("checkpoint").asText());
        assertTrue(report.get("split_note").asText().startsWith("no test split: the validation set stands in"), report.toString());
        assertTrue(Files.readString(run.resolve("report.txt")).startsWith("note: no test split: the validation set stands in"));
        assertEquals(2, report.get("confusion_matrix").size());
        List<String> csv = Files.readAllLines(run.resolve("metrics.csv"));
        assertEquals(7, csv.size(), "a header and one line per epoch");
        assertEquals("epoch,loss,accuracy,val_loss,val_accuracy,learning_rate,input_wait", csv.get(0));
        for (String line : csv.subList(1, csv.size())) {
            double wait = Double.parseDouble(line.substring(line.lastIndexOf(',') + 1));
            assertTrue(wait > 0 && wait < 1, "the share of step time spent waiting for input: " + line);
        }
        JsonNode env = new ObjectMapper().readTree(run.resolve("environment.json").toFile());
        assertEquals("2.16.2", env.get("tensorflow").asText());
        assertEquals(7, env.get("seed").asInt());
        Result version = specc("--version");
        assertEquals(0, version.code());
        assertTrue(version.out().startsWith("specc " + env.get("specc").asText() + " (Java "), "one version: "
                + version.out() + " vs " + env.get("specc"));
        assertTrue(env.get("specc").asText().matches("[0-9]+\\.[0-9]+\\.[0-9]+.*"), env.get("specc").asText());

        Path best = run.resolve("checkpoints/best.safetensors");
        Result eval = specc("eval", spec.toString(), "--checkpoint", best.toString());
        assertEquals(0, eval.code(), eval.err());
        String evaluated = String.format(java.util.Locale.ROOT, "validation: 12 examples, loss %.4f, accuracy %.4f%n",
                report.get("loss").asDouble(), report.get("accuracy").asDouble());
        assertTrue(eval.out().contains("note: no test split: the validation set stands in"), eval.out());
        assertTrue(eval.out().contains(evaluated), "eval of the best checkpoint repeats the run's report: " + evaluated
                + " in " + eval.out());
        assertTrue(eval.out().contains(String.format(java.util.Locale.ROOT, "left   %8.4f  %d%n",
                report.get("per_class_accuracy").get("left").asDouble(), confusionRow(report, 0))), eval.out());

        Path last = run.resolve("checkpoints/last.safetensors");

        // float32, as the SavedModel below computes: auto may pick bfloat16, whose rounding would show at 1e-6.
        Result predict = specc("predict", spec.toString(), "--checkpoint", last.toString(), "--format", "json",
                "--precision", "float32", data.resolve("left/left0.png").toString(), data.resolve("right/right0.png").toString());
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
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(saved)));
        // The SavedModel takes raw 0-255 pixels: its answer equals predict's, which rescales in the data pipeline.
        float[] served = serve(saved, data.resolve("left/left0.png"));
        assertEquals(answers.get(0).get("probabilities").get("left").asDouble(), served[0], 1e-6);
        assertEquals(answers.get(0).get("probabilities").get("right").asDouble(), served[1], 1e-6);

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
        // The first lines say on which device and where the precision came from (the run's record, or the spec's auto).
        String[] viaRun = throughRun.out().split("\n", 3);
        String[] viaSpec = repeated.out().split("\n", 3);
        assertEquals("device: cpu (TensorFlow's CPU natives are on the class path)", viaRun[0]);
        assertTrue(viaRun[1].startsWith("precision: ") && viaRun[1].contains("(as the run computed: "), viaRun[1]);
        assertEquals(viaSpec[1].replaceAll(" \\(.*", ""), viaRun[1].replaceAll(" \\(.*", ""), "the same precision");
        assertEquals(viaSpec[2], viaRun[2], "the run's spec.resolved.json compiles to the network it trained");

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
        Path saved = elsewhere.resolve("saved");
        Result first = specc("export", "--run", run.toString(), "--format", "savedmodel", "--out", saved.toString());
        assertEquals(0, first.code(), first.err());
        Path stale = Files.writeString(saved.resolve("variables/variables.data-00001-of-00002"), "an earlier shard");
        Result replaced = specc("export", "--run", run.toString(), "--format", "savedmodel", "--out", saved.toString(), "--force");
        assertEquals(0, replaced.code(), replaced.err());
        assertTrue(Files.isRegularFile(saved.resolve("saved_model.pb")));
        assertFalse(Files.exists(stale), "--force replaces the earlier export");

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

    @Test
    void aBfloat16RunRecordsItsPrecisionAndItsFloat32CheckpointsEvaluateAndExportUnderFloat32() throws IOException {
        Path runs = dir.resolve("runs-bfloat16");
        Result r = specc("train", spec.toString(), "--runs-dir", runs.toString(), "--threads", "1", "--precision", "bfloat16",
                "--set", "train.epochs=2");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("precision: bfloat16 (--precision bfloat16)\n"), r.out());
        Path run = onlyRun(runs);
        JsonNode env = new ObjectMapper().readTree(run.resolve("environment.json").toFile());
        assertEquals("bfloat16", env.get("precision").asText());
        assertEquals("--precision bfloat16", env.get("precision_reason").asText());
        for (String checkpoint : List.of("last", "best")) {
            Map<String, Tensor> saved = Safetensors.read(run.resolve("checkpoints/" + checkpoint + ".safetensors")).tensors();
            saved.forEach((name, tensor) -> assertEquals(DType.F32, tensor.dtype(), checkpoint + " " + name));
        }

        Result eval = specc("eval", "--run", run.toString(), "--threads", "1", "--precision", "float32");
        assertEquals(0, eval.code(), eval.out() + eval.err());
        JsonNode lastEpoch = new ObjectMapper().readTree(run.resolve("metrics.json").toFile()).get(1);
        Matcher evaluated = Pattern.compile("validation: 12 examples, loss ([0-9.]+), accuracy ([0-9.]+)").matcher(eval.out());
        assertTrue(evaluated.find(), eval.out());
        // The run validated in bfloat16; float32 computes the same weights' loss to within bfloat16's rounding.
        assertEquals(lastEpoch.get("val_loss").asDouble(), Double.parseDouble(evaluated.group(1)),
                0.05 * lastEpoch.get("val_loss").asDouble(), eval.out() + lastEpoch);

        Path weights = dir.resolve("tiny-bfloat16.safetensors");
        Result export = specc("export", "--run", run.toString(), "--format", "safetensors", "--out", weights.toString(),
                "--threads", "1", "--precision", "float32");
        assertEquals(0, export.code(), export.out() + export.err());
        Safetensors.read(weights).tensors().forEach((name, tensor) -> assertEquals(DType.F32, tensor.dtype(), name));

        Result resumed = specc("train", "--resume", run.toString(), "--threads", "1");
        assertEquals(0, resumed.code(), resumed.out() + resumed.err());
        assertTrue(resumed.out().contains("precision: bfloat16 (as the run computed: --precision bfloat16)\n"), resumed.out());
        assertEquals("--precision bfloat16", new ObjectMapper().readTree(run.resolve("environment.json").toFile())
                .get("precision_reason").asText(), "a plain resume keeps the reason");
        Result switched = specc("train", "--resume", run.toString(), "--threads", "1", "--precision", "float32");
        assertEquals(0, switched.code(), switched.out() + switched.err());
        assertTrue(switched.out().contains("precision: float32 (--precision float32)\n"), switched.out());
        JsonNode after = new ObjectMapper().readTree(run.resolve("environment.json").toFile());
        assertEquals("float32", after.get("precision").asText(), "the run directory says what ran last");
        assertEquals(env.get("spec_sha256"), after.get("spec_sha256"), "the rest of environment.json is kept");
        Result evalRun = specc("eval", "--run", run.toString(), "--threads", "1");
        assertEquals(0, evalRun.code(), evalRun.out() + evalRun.err());
        assertTrue(evalRun.out().contains("\nprecision: float32 (as the run computed: --precision float32)\n"), evalRun.out());

        Result bad = specc("eval", "--run", run.toString(), "--precision", "half");
        assertEquals(2, bad.code(), bad.out() + bad.err());
        assertTrue(bad.err().contains("--precision") && bad.err().contains("expected one of auto, float32, bfloat16, float16, got 'half'"),
                bad.err());
    }

    @Test
    void aFloat16RunScalesItsLossSavesTheScaleAndResumesInFloat32() throws IOException {
        Path runs = dir.resolve("runs-float16");
        Result r = specc("train", spec.toString(), "--runs-dir", runs.toString(), "--threads", "1", "--precision", "float16");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("device: cpu (TensorFlow's CPU natives are on the class path)\n"), r.out());
        assertTrue(r.out().contains("precision: float16 (--precision float16; emulated on the CPU: float16 inputs and "
                + "outputs, float32 arithmetic, slower than float32)\n"), r.out());
        Path run = onlyRun(runs);
        JsonNode env = new ObjectMapper().readTree(run.resolve("environment.json").toFile());
        assertEquals("cpu", env.get("device").asText());
        Map<String, Tensor> saved = Safetensors.read(run.resolve("checkpoints/last.safetensors")).tensors();
        float scale = saved.get("optimizer/loss_scale").toFloats()[0];
        assertTrue(scale >= 1 && scale <= 32768 && Integer.bitCount((int) scale) == 1, "a power of two up to 2^15: " + scale);

        Result switched = specc("train", "--resume", run.toString(), "--threads", "1", "--precision", "float32");
        assertEquals(0, switched.code(), "a float32 resume drops the loss scale: " + switched.out() + switched.err());
        Path float32Runs = dir.resolve("runs-float32");
        Result float32 = specc("train", spec.toString(), "--runs-dir", float32Runs.toString(), "--threads", "1",
                "--precision", "float32");
        assertEquals(0, float32.code(), float32.out() + float32.err());
        Result back = specc("train", "--resume", onlyRun(float32Runs).toString(), "--threads", "1", "--precision", "float16");
        assertEquals(0, back.code(), "a float16 resume of a float32 checkpoint starts the scale afresh: " + back.out() + back.err());
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
        assertTrue(r.err().contains("at epoch 1, step ") && r.err().contains("no checkpoint had been written yet"), r.err());
        assertFalse(r.err().contains("is kept"), "there is no checkpoint to keep: " + r.err());
        assertFalse(hasCheckpoint(runs.resolve("tiny")), "nothing was checkpointed");
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @Test
    void resumeAfterAKillEndsWithTheSameWeightsAsAnUninterruptedRun() throws Exception {
        // Streamed: every batch decodes its PNGs from the folder again (data.cache none), in the killed run too.
        String[] longer = {"--threads", "1", "--set", "train.epochs=12", "--set", "data.cache=none"};
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
        assertTrue(resumed.out().contains("data cache: none (data.cache: none; the decoded examples take 6.8 KiB)\n"),
                resumed.out());
        Map<String, Tensor> afterResume = Safetensors.read(run.resolve("checkpoints/last.safetensors")).tensors();
        assertEquals(uninterrupted.keySet(), afterResume.keySet());
        for (String name : uninterrupted.keySet()) {
            assertArrayEquals(uninterrupted.get(name).toFloats(), afterResume.get(name).toFloats(), 0f, name + " bit for bit");
        }
    }

    /** Epochs of 36 steps (batch size 1) with a checkpoint every 4 steps: most checkpoints fall within an epoch. */
    static final String[] MID_EPOCH = {"--threads", "1", "--set", "train.batch_size=1", "--set", "train.epochs=2",
            "--set", "train.checkpoint_every={steps: 4}"};
    private static Path midEpochReference;

    /** The run directory of an uninterrupted run with {@link #MID_EPOCH}, made once. */
    static synchronized Path midEpochReference() throws IOException {
        if (midEpochReference == null) {
            Path runs = dir.resolve("runs-mid-straight");
            Result r = specc(concat(new String[] {"train", spec.toString(), "--runs-dir", runs.toString()}, MID_EPOCH));
            assertEquals(0, r.code(), r.out() + r.err());
            midEpochReference = onlyRun(runs);
        }
        return midEpochReference;
    }

    @Test
    void aKillWithinTheFirstEpochResumesThereBitForBitAndALiveRunIsNotResumedTwice() throws Exception {
        Map<String, Tensor> uninterrupted = lastWeights(midEpochReference());
        Path runs = dir.resolve("runs-mid-killed");
        Process process = child(dir.resolve("mid-killed.log"), concat(new String[] {"train", spec.toString(), "--runs-dir",
                runs.toString()}, MID_EPOCH));
        boolean checkpointed = awaitCheckpoint(runs.resolve("tiny"), process);
        signal("STOP", process); // frozen, it still holds the run directory's lock
        try {
            assertTrue(checkpointed, "a checkpoint before the kill: " + Files.readString(dir.resolve("mid-killed.log")));
            Path run = onlyRun(runs);
            Result twice = specc(concat(new String[] {"train", spec.toString(), "--resume", run.toString()}, MID_EPOCH));
            assertEquals(2, twice.code(), twice.out() + twice.err());
            assertEquals("specc: " + run + " is in use: specc (process " + process.pid() + ") is training in it; wait for "
                    + "it to end or stop it (Ctrl-C checkpoints it), then --resume again\n", twice.err());
        } finally {
            process.destroyForcibly().waitFor();
        }
        Path run = onlyRun(runs);
        JsonNode state = checkpointState(run);
        assertEquals(0, state.get("epochsDone").asInt(), "killed in the first epoch: " + state);
        long step = state.get("stepsInEpoch").asLong();
        assertTrue(step > 0 && step % 4 == 0, "a checkpoint within the epoch, every 4 steps: " + state);

        Result resumed = specc(concat(new String[] {"train", spec.toString(), "--resume", run.toString()}, MID_EPOCH));
        assertEquals(0, resumed.code(), resumed.out() + resumed.err());
        assertTrue(resumed.out().contains("resuming within epoch 1 at step " + step + " (global step " + step + ")"),
                resumed.out());
        assertBitForBit(uninterrupted, lastWeights(run));
        assertEquals(withoutInputWait(midEpochReference().resolve("metrics.csv")), withoutInputWait(run.resolve("metrics.csv")),
                "the resumed epoch reports the metrics of the whole epoch");
    }

    @Test
    void aRunKilledBeforeItsFirstCheckpointResumesFromTheBeginning() throws Exception {
        Path reference = midEpochReference();
        // What a kill before the first checkpoint leaves: the run directory with its spec and nothing else.
        Path run = dir.resolve("runs-no-checkpoint/tiny/20250101-000000");
        Files.createDirectories(run.resolve("checkpoints"));
        for (String f : List.of("spec.resolved.json", "spec.sha256")) Files.copy(reference.resolve(f), run.resolve(f));

        Result resumed = specc(concat(new String[] {"train", spec.toString(), "--resume", run.toString()}, MID_EPOCH));
        assertEquals(0, resumed.code(), resumed.out() + resumed.err());
        assertTrue(resumed.out().contains("no checkpoint in " + run + " yet (the run stopped before its first one): "
                + "starting from the beginning"), resumed.out());
        assertBitForBit(lastWeights(reference), lastWeights(run));
        assertTrue(Files.isRegularFile(run.resolve("environment.json")));
    }

    @Test
    void ctrlCStopsAfterTheCurrentStepWithACheckpointAndExit130() throws Exception {
        // Epochs of 576 steps with no periodic checkpoint: the signal comes early in the first epoch,
        // so the only checkpoint there can be is the one the interrupt writes.
        Path many = dir.resolve("many");
        for (String label : List.of("left", "right")) {
            Files.createDirectories(many.resolve(label));
            for (int i = 0; i < 24; i++) {
                for (int copy = 0; copy < 16; copy++) {
                    Files.copy(data.resolve(label).resolve(label + i + ".png"),
                            many.resolve(label).resolve(label + i + "-" + copy + ".png"));
                }
            }
        }
        Path runs = dir.resolve("runs-interrupted");
        Path log = dir.resolve("interrupted.log");
        Process process = child(log, "train", spec.toString(), "--runs-dir", runs.toString(), "--threads", "1",
                "--set", "data.path=many", "--set", "train.batch_size=1", "--set", "train.epochs=2",
                "--set", "train.checkpoint_every={minutes: 1000}");
        try {
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (!Files.readString(log).contains("Epoch 1/2") && process.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertTrue(process.isAlive(), Files.readString(log));
            // A child started with SIGINT ignored (a background job of a non-interactive shell) cannot see Ctrl-C;
            // SIGTERM takes the same path through the shutdown hook.
            boolean interruptible = !sigintIgnored();
            if (interruptible) {
                signal("INT", process);
            } else {
                process.destroy();
            }
            assertTrue(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "stopped after the current step");
            assertEquals(interruptible ? 130 : 143, process.exitValue(), Files.readString(log));
        } finally {
            process.destroyForcibly().waitFor();
        }
        Path run = onlyRun(runs);
        String output = Files.readString(log);
        Matcher stopped = Pattern.compile("interrupted at epoch 1, step (\\d+); continue with --resume "
                + Pattern.quote(run.toString()) + "\n$").matcher(output);
        assertTrue(stopped.find(), output);
        long step = Long.parseLong(stopped.group(1));
        JsonNode state = checkpointState(run);
        assertEquals(0, state.get("epochsDone").asInt(), state.toString());
        assertEquals(step, state.get("stepsInEpoch").asLong(), "the checkpoint is the interrupt's: " + state);
        assertEquals(step, state.get("globalStep").asLong(), state.toString());
        assertTrue(step >= 1 && step < 576, state.toString());
        try (var lock = dev.specc.runtime.run.RunDirectory.open(run).lock()) {
            assertTrue(Files.readString(run.resolve("lock")).startsWith(ProcessHandle.current().pid() + "\n"),
                    "the interrupted run released its lock");
        }
    }

    private static Process child(Path log, String... args) throws IOException {
        return new ProcessBuilder(concat(new String[] {Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Specc.class.getName()}, args))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static boolean awaitCheckpoint(Path runs, Process process) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline && process.isAlive()) {
            if (hasCheckpoint(runs)) return true;
            Thread.sleep(5);
        }
        return false;
    }

    private static void signal(String name, Process process) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start().waitFor());
    }

    /** Whether this JVM, and so a child it starts, ignores SIGINT (bit 2 of SigIgn in /proc/self/status). */
    private static boolean sigintIgnored() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("SigIgn:")) return (Long.parseLong(line.substring(7).strip(), 16) & 2) != 0;
        }
        return false;
    }

    private static JsonNode checkpointState(Path run) throws IOException {
        return new ObjectMapper().readTree(Safetensors.read(run.resolve("checkpoints/last.safetensors")).metadata()
                .get("specc.state"));
    }

    private static Map<String, Tensor> lastWeights(Path run) throws IOException {
        return Safetensors.read(run.resolve("checkpoints/last.safetensors")).tensors();
    }

    private static void assertBitForBit(Map<String, Tensor> expected, Map<String, Tensor> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        for (String name : expected.keySet()) {
            assertArrayEquals(expected.get(name).toFloats(), actual.get(name).toFloats(), 0f, name + " bit for bit");
        }
    }

    private static long confusionRow(JsonNode report, int row) {
        long sum = 0;
        for (JsonNode v : report.get("confusion_matrix").get(row)) sum += v.asLong();
        return sum;
    }

    /** The SavedModel's output for one image fed as raw 0-255 pixel values. */
    private static float[] serve(Path savedModel, Path png) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        float[] pixels = new float[12 * 12];
        for (int y = 0; y < 12; y++) {
            for (int x = 0; x < 12; x++) pixels[y * 12 + x] = image.getRaster().getSample(x, y, 0);
        }
        try (SavedModelBundle bundle = SavedModelBundle.load(savedModel.toString(), "serve");
             TFloat32 input = TFloat32.tensorOf(Shape.of(1, 12, 12, 1), DataBuffers.of(pixels));
             var result = bundle.function("serving_default").call(Map.of("input", input))) {
            TFloat32 output = (TFloat32) result.get("output").orElseThrow();
            return new float[] {output.getFloat(0, 0), output.getFloat(0, 1)};
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
