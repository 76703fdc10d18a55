package dev.specc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** validate checks what run checks, all sections at once; run stops on the same errors before making anything. */
class ValidateCommandTest {
    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
    }

    static Result specc(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Specc.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    static final String BROKEN = """
            specc: 1
            name: broken
            input: {shape: [28, 28, 1]}
            head:
              - {kind: max_pool, name: pool, pool: 64}
              - {kind: flatten, name: flatten}
              - {kind: dense, name: predictions, units: 10, activation: softmax}
            train:
              epochs: abc
              loss: binary_crossentropy
            data:
              source: folder
              path: /nonexistent/pics
              validation_split: 1.5
            """;

    static final String GOOD = """
            specc: 1
            name: good
            input: {shape: [28, 28, 1]}
            head:
              - {kind: flatten, name: flatten}
              - {kind: dense, name: predictions, units: 10, activation: softmax}
            train:
              epochs: 1
              schedule: {type: step}
            """;

    private Path write(String name, String yaml) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void validateReportsEveryErrorOfEverySectionAtOnce() throws IOException {
        Path spec = write("broken.yaml", BROKEN);
        Result r = specc("validate", spec.toString());
        assertEquals(2, r.code(), r.err());
        assertEquals("", r.out());
        assertTrue(r.err().contains(spec + ":5:5: error: "), r.err());
        assertTrue(r.err().contains(spec + ":9:11: error: train.epochs: expected an integer (or an expression over params), "
                + "got 'abc': unknown name 'abc'"), r.err());
        assertTrue(r.err().contains(spec + ":10:9: error: train.loss: binary_crossentropy needs the network to end in a "
                + "sigmoid"), r.err());
        assertTrue(r.err().contains(spec + ":13:9: error: data.path: no such file or folder: /nonexistent/pics "
                + "(checked on this machine)"), r.err());
        assertTrue(r.err().contains(spec + ":14:21: error: data.validation_split: must be at least 0 and less than 1, "
                + "got 1.5"), r.err());
        assertTrue(r.err().endsWith("5 errors\n"), r.err());
    }

    @Test
    void runStopsOnTheSameErrorsBeforeMakingARunDirectory() throws IOException {
        Path spec = write("broken.yaml", BROKEN);
        Path runs = dir.resolve("runs");
        Result r = specc("run", spec.toString(), "--runs-dir", runs.toString(), "--set", "train.epochs=1");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(spec + ":9:11: error: train.epochs: expected an integer (or an expression over params), "
                + "got 'abc': unknown name 'abc' (hidden by --set train.epochs=1, but the spec stays wrong)"), r.err());
        assertTrue(r.err().endsWith("5 errors\n"), r.err());
        assertFalse(Files.exists(runs), "no run directory for a spec that cannot run");
    }

    @Test
    void dataOptionMistakesExitTwoBeforeARunDirectory() throws IOException {
        Path spec = write("good.yaml", GOOD);
        Path runs = dir.resolve("runs");
        Result missing = specc("run", spec.toString(), "--runs-dir", runs.toString(), "--data", "/nonexistent");
        assertEquals(2, missing.code(), missing.err());
        assertTrue(missing.err().startsWith("--data /nonexistent:1:8: error: no such file or folder (checked on this "
                + "machine)"), missing.err());
        Result typo = specc("train", spec.toString(), "--runs-dir", runs.toString(), "--data", "mnst");
        assertEquals(2, typo.code(), typo.err());
        assertTrue(typo.err().contains("not a source name (did you mean 'mnist'?)"), typo.err());
        Result noPath = specc("run", spec.toString(), "--runs-dir", runs.toString(), "--data", "cifar10");
        assertEquals(2, noPath.code(), noPath.err());
        assertTrue(noPath.err().contains("--data cifar10:1:8: error: cifar10 has no standard place on this machine"),
                noPath.err());
        assertFalse(noPath.err().contains("--set"), noPath.err());
        assertFalse(Files.exists(runs), "no run directory after a --data mistake");
    }

    @Test
    void aSetOfAnUnknownKeyNamesTheSet() throws IOException {
        Path spec = write("good.yaml", GOOD);
        Result r = specc("validate", spec.toString(), "--set", "nosuch.key=1");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("--set nosuch.key=1:1:1: error: unknown key 'nosuch' in a spec"), r.err());
        assertFalse(r.err().contains(spec + ":1:1: error"), r.err());
    }

    @Test
    void warningsArePrintedAndDoNotFail() throws IOException {
        Path spec = write("good.yaml", GOOD);
        Result r = specc("validate", spec.toString(), "--data", dir.toString());
        assertEquals(2, r.code(), "a folder without class subfolders: " + r.err());
        Files.createDirectories(dir.resolve("pics/cat"));
        Result ok = specc("validate", spec.toString(), "--data", dir.resolve("pics").toString());
        assertEquals(0, ok.code(), ok.err());
        assertEquals(spec + ": ok (good, 7,850 parameters)\n", ok.out());
        assertTrue(ok.err().startsWith(spec + ":9:13: warning: train.schedule: a step schedule without every and factor "
                + "multiplies the learning rate by 0.1 every 10 epochs (the defaults)"), ok.err());
        assertFalse(ok.err().contains("error"), ok.err());
    }

    @Test
    void aFolderWithMoreClassesThanOutputsFailsValidateAndRunBeforeAnyDirectory() throws IOException {
        for (String name : List.of("cat", "dog", "fox")) Files.createDirectories(dir.resolve("pics").resolve(name));
        Path spec = write("pets.yaml", "specc: 1\ninput: {shape: [28, 28, 3]}\nhead:\n  - {kind: flatten}\n"
                + "  - {kind: dense, units: 2, activation: softmax}\ndata:\n  source: folder\n  path: pics\n");
        String expected = spec + ":5:5: error: the network has 2 outputs but the data folder "
                + dir.toAbsolutePath().resolve("pics") + " has 3 class subfolders (cat, dog, fox)";
        Result validate = specc("validate", spec.toString());
        assertEquals(2, validate.code(), validate.err());
        assertTrue(validate.err().contains(expected), validate.err());
        Path runs = dir.resolve("runs");
        Result run = specc("run", spec.toString(), "--runs-dir", runs.toString());
        assertEquals(2, run.code(), run.err());
        assertTrue(run.err().contains(expected), run.err());
        assertFalse(Files.exists(runs), "no run directory");
    }

    @Test
    void aMissingInitFromIsReportedByValidateAndStopsRunBeforeAnyDirectory() throws IOException {
        Path spec = write("init.yaml", "specc: 1\ninput: {shape: [28, 28, 1]}\nhead:\n  - {kind: flatten}\n"
                + "  - {kind: dense, units: 10, activation: softmax}\ntrain:\n  init_from: old.safetensors\n");
        String expected = spec + ":7:14: error: train.init_from: no such file: " + dir.toAbsolutePath().resolve("old.safetensors")
                + " (checked on this machine)";
        Result validate = specc("validate", spec.toString(), "--no-data-check");
        assertEquals(0, validate.code(), "--no-data-check looks for no file: " + validate.err());
        Result checked = specc("validate", spec.toString());
        assertEquals(2, checked.code(), checked.err());
        assertTrue(checked.err().contains(expected), checked.err());
        Path runs = dir.resolve("runs");
        Result run = specc("run", spec.toString(), "--runs-dir", runs.toString());
        assertEquals(2, run.code(), run.err());
        assertTrue(run.err().contains(expected), run.err());
        assertFalse(Files.exists(runs), "no run directory");
        // --init-from replaces the spec's weights, which are then not looked for (the data is still missing here).
        Path other = Files.writeString(dir.resolve("other.safetensors"), "weights");
        Result replaced = specc("run", spec.toString(), "--runs-dir", runs.toString(), "--init-from", other.toString());
        assertEquals(2, replaced.code(), replaced.err());
        assertFalse(replaced.err().contains("init_from"), replaced.err());
        assertTrue(replaced.err().contains("data.source fashion_mnist_subset"), replaced.err());
    }

    @Test
    void dataOnThisMachineIsCheckedUnlessAskedNotTo() throws IOException {
        // A copy (with the spec it extends) in a fresh folder: data/cats_vs_dogs is looked up from the spec's folder
        // upwards, and a user may well have put the example's data next to the repository's copy.
        Files.createDirectories(dir.resolve("examples"));
        Files.createDirectories(dir.resolve("specs"));
        Files.copy(Path.of("..", "specs", "alexnet.yaml"), dir.resolve("specs/alexnet.yaml"));
        String example = Files.copy(Path.of("..", "examples", "alexnet_half_bn_cats_dogs.yaml"),
                dir.resolve("examples/alexnet_half_bn_cats_dogs.yaml")).toString();
        Result checked = specc("validate", example);
        assertEquals(2, checked.code(), checked.err());
        assertTrue(checked.err().contains(example + ":56:9: error: data.path: no such file or folder: data/cats_vs_dogs"),
                checked.err());
        assertTrue(checked.err().contains("(checked on this machine)"), checked.err());
        Result skipped = specc("validate", "--no-data-check", example);
        assertEquals(0, skipped.code(), skipped.err());
        assertTrue(skipped.out().startsWith(example + ": ok (alexnet_half_bn_cats_dogs, "), skipped.out());
    }
}
