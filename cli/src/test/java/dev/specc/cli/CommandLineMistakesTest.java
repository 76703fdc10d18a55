package dev.specc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specc.diag.UsageException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The exit-code policy: a mistake in what the command line names exits 2 with a message that names
 * it and what was expected, before anything is compiled or any run directory created; a failure
 * exits 1; a bug is an internal error; never a stack trace.
 */
class CommandLineMistakesTest {
    static final String SPEC = Path.of("..", "examples", "small_cnn_28.yaml").toString();

    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
        void assertMistake(String... parts) {
            assertEquals(Specc.INVALID, code, err);
            for (String part : parts) assertTrue(err.contains(part), "expected '" + part + "' in: " + err);
            assertFalse(err.contains("\tat ") || err.contains("Exception"), err);
        }
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Specc.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    private Path runs() {
        return dir.resolve("runs");
    }

    private void assertNoRunDirectory() {
        assertFalse(Files.exists(runs()), "a run directory was created");
    }

    @Test
    void aMissingCheckpointIsNamedBeforeTheSpecIsCompiled() throws IOException {
        Path missing = dir.resolve("best.safetensors");
        String expected = "--checkpoint " + missing + ": no such file; expected a .safetensors checkpoint";
        run("eval", SPEC, "--checkpoint", missing.toString(), "--runs-dir", runs().toString()).assertMistake(expected);
        run("export", SPEC, "--checkpoint", missing.toString(), "--format", "safetensors", "--out",
                dir.resolve("w.safetensors").toString()).assertMistake(expected);
        run("predict", SPEC, "--checkpoint", missing.toString(), "x.png").assertMistake(expected);
        run("eval", SPEC, "--checkpoint", dir.toString())
                .assertMistake("--checkpoint " + dir + " is a folder; expected a .safetensors checkpoint");
        run("eval", SPEC).assertMistake("missing --checkpoint FILE", "or use --run RUN_DIR");
        assertNoRunDirectory();
    }

    @Test
    void predictNamesAMissingImageAndAFolder() throws IOException {
        Path checkpoint = Files.writeString(dir.resolve("c.safetensors"), "x");
        Path image = dir.resolve("cat.png");
        run("predict", SPEC, "--checkpoint", checkpoint.toString(), image.toString())
                .assertMistake("INPUT " + image + ": no such file; expected a JPEG or PNG file, or a .npy file");
        run("predict", SPEC, "--checkpoint", checkpoint.toString(), dir.toString())
                .assertMistake("INPUT " + dir + " is a folder; expected a JPEG or PNG file, or a .npy file");
    }

    @Test
    void predictTopMustBeAtLeastOne() {
        run("predict", SPEC, "--checkpoint", "c.safetensors", "--top", "0", "x.png")
                .assertMistake("Invalid value for option '--top': 0 is below 1; expected 1 or more");
    }

    @Test
    void negativeThreadsAreRefusedBeforeARunDirectoryExists() {
        run("train", SPEC, "--threads", "-3", "--runs-dir", runs().toString())
                .assertMistake("Invalid value for option '--threads': -3 is negative; expected 0 (one thread per core)");
        run("run", SPEC, "--threads", "many", "--runs-dir", runs().toString())
                .assertMistake("'many' is not a whole number");
        assertNoRunDirectory();
    }

    @Test
    void aHugeInputDimensionIsTooLargeNotNonNumeric() {
        run("summary", "--input-shape", "99999999999x3x3", SPEC)
                .assertMistake("'99999999999' in '99999999999x3x3' is too large (at most 2147483647)");
    }

    @Test
    void exportRefusesANonEmptyFolderUnlessForced() throws IOException {
        Path checkpoint = Files.writeString(dir.resolve("c.safetensors"), "x");
        Path out = Files.createDirectories(dir.resolve("exported"));
        Files.writeString(out.resolve("keep.txt"), "mine");
        run("export", SPEC, "--checkpoint", checkpoint.toString(), "--format", "savedmodel", "--out", out.toString())
                .assertMistake("--out " + out + " is a folder that is not empty; give a new or empty folder, "
                        + "or add --force to replace it");
        Path weights = Files.writeString(dir.resolve("w.safetensors"), "old");
        run("export", SPEC, "--checkpoint", checkpoint.toString(), "--format", "safetensors", "--out", weights.toString())
                .assertMistake("--out " + weights + " exists; give a new file name, or add --force to replace it");
        assertEquals("mine", Files.readString(out.resolve("keep.txt")));
        assertEquals("old", Files.readString(weights));
    }

    @Test
    void forceReplacesOnlyASavedModelNeverAnotherFolder() throws IOException {
        Path checkpoint = Files.writeString(dir.resolve("forced.safetensors"), "x");
        Path out = Files.createDirectories(dir.resolve("my-project"));
        Files.writeString(out.resolve("notes.txt"), "mine");
        Files.writeString(out.resolve("saved_model.pb"), "an export among other files");
        run("export", SPEC, "--checkpoint", checkpoint.toString(), "--format", "savedmodel", "--out", out.toString(), "--force")
                .assertMistake("--out " + out + " is a folder that is not empty and is not a SavedModel; --force replaces "
                        + "only an earlier export (a folder with saved_model.pb and nothing else): give a new or empty folder");
        assertEquals("mine", Files.readString(out.resolve("notes.txt")));
        assertEquals("an export among other files", Files.readString(out.resolve("saved_model.pb")));
        Path spec = Files.writeString(dir.resolve("net.yaml"), "specc: 1\n");
        run("export", SPEC, "--checkpoint", checkpoint.toString(), "--format", "safetensors", "--out", spec.toString(), "--force")
                .assertMistake("--out " + spec + " exists and is not a safetensors file; --force replaces only an earlier "
                        + "export: give a new file name");
        assertEquals("specc: 1\n", Files.readString(spec));
    }

    @Test
    void graphIntoAMissingFolderNamesTheFolder() {
        Path out = dir.resolve("no-such-folder").resolve("net.dot");
        run("graph", "-o", out.toString(), SPEC)
                .assertMistake("-o " + out + ": the folder " + dir.resolve("no-such-folder") + " does not exist");
    }

    @Test
    void graphNeverWritesDotTextIntoAnImage() throws IOException {
        for (String name : List.of("net.png", "net.pdf")) {
            Path out = dir.resolve(name);
            Result r = run("graph", "-o", out.toString(), SPEC);
            if (GraphCommand.graphvizInstalled()) {
                assertEquals(0, r.code(), r.err());
                byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(out), 4);
                assertEquals(name.endsWith(".png") ? "\u0089PNG" : "%PDF", new String(head, StandardCharsets.ISO_8859_1));
            } else {
                r.assertMistake("-o " + out + " needs Graphviz's dot to render " + (name.endsWith(".png") ? "PNG" : "PDF")
                        + ", and dot is not installed");
                assertFalse(Files.exists(out));
            }
        }
        run("graph", "-o", dir.resolve("net.jpg").toString(), SPEC)
                .assertMistake("graph cannot write .jpg files; expected .dot or .gv (DOT), .svg, .png or .pdf");
        run("graph", "--format", "dot", "-o", dir.resolve("net.png").toString(), SPEC)
                .assertMistake("names a .png file, but --format is dot");
    }

    @ParameterizedTest
    @ValueSource(strings = {"validate", "summary", "graph", "run", "train", "eval", "predict", "export"})
    void everyCommandPrintsItsHelp(String command) {
        Result r = run(command, "--help");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("Usage: specc " + command), r.out());
        assertTrue(r.out().matches("(?s).*\\n  2 +a mistake in the spec, an argument or a file named on the command line\\n.*"),
                r.out());
        assertTrue(r.out().matches("(?s).*\\n  130 +interrupted by Ctrl-C after a checkpoint.*"), r.out());
    }

    @Test
    void anOutOfMemoryErrorEndsWithOneLine() throws Exception {
        Process java = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx5m",
                "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), Specc.class.getName(), "summary",
                Path.of("..", "specs", "resnet50v2.yaml").toString())
                .redirectErrorStream(true).start();
        String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(java.waitFor(60, TimeUnit.SECONDS));
        assertEquals(Specc.FAILED, java.exitValue(), output);
        assertTrue(output.startsWith("specc: Java ran out of memory (Java heap space; the heap may grow to "), output);
        assertTrue(output.contains("give it more, e.g. SPECC_JAVA_OPTS=-Xmx2g"), output);
        assertEquals(1, output.lines().count(), output);
    }

    /** A command that throws what a test gives it, to see the policy through picocli's own handling. */
    @Command(name = "throw")
    static final class Throwing implements Callable<Integer> {
        final Throwable failure;

        Throwing(Throwable failure) {
            this.failure = failure;
        }

        @Override
        public Integer call() throws Exception {
            if (failure instanceof Exception e) throw e;
            throw (Error) failure;
        }
    }

    private static Result thrown(Throwable failure) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        PrintWriter errors = new PrintWriter(err, true);
        int code = Specc.run(errors, () -> Specc.withPolicy(new CommandLine(new Specc()).addSubcommand(new Throwing(failure)),
                new PrintWriter(out, true), errors), "throw");
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void anInternalIllegalArgumentIsABugNotAUserMistake() {
        Result r = thrown(new IllegalArgumentException("shape mismatch in MatMul\n  at node dense"));
        assertEquals(Specc.FAILED, r.code());
        assertEquals("specc: internal error: java.lang.IllegalArgumentException: shape mismatch in MatMul\n"
                + Failures.BUG_HINT + "\n", r.err());
    }

    @Test
    void aUsageExceptionExitsTwoWithItsMessageAlone() {
        Result r = thrown(new UsageException("--thing x: expected y"));
        assertEquals(Specc.INVALID, r.code());
        assertEquals("specc: --thing x: expected y\n", r.err());
    }

    @Test
    void anOutOfMemoryErrorWrappedByAWorkerIsFoundInTheCauses() {
        Result r = thrown(new RuntimeException(new java.util.concurrent.ExecutionException(new OutOfMemoryError("Java heap space"))));
        assertEquals(Specc.FAILED, r.code());
        assertTrue(r.err().startsWith("specc: Java ran out of memory (Java heap space; the heap may grow to "), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        Result direct = thrown(new OutOfMemoryError("Metaspace"));
        assertEquals(Specc.FAILED, direct.code());
        assertTrue(direct.err().startsWith("specc: Java ran out of memory (Metaspace;"), direct.err());
    }
}
