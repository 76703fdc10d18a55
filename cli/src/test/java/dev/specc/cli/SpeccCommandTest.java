package dev.specc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user meets it: output, exit codes, and no stack traces. */
class SpeccCommandTest {
    static final String RESNET50V2 = Path.of("..", "specs", "resnet50v2.yaml").toString();

    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Specc.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void summaryPrintsTheKerasTotals() {
        Result r = run("summary", RESNET50V2);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Total params: 25,613,800"), r.out());
        assertTrue(r.out().contains("Trainable params: 25,568,360"), r.out());
        assertTrue(r.out().contains("Non-trainable params: 45,440"), r.out());
        assertTrue(r.out().matches("(?s).*conv5\\s+3\\s+7x7x2048\\s+32\\s+483.*"), r.out());
    }

    @Test
    void summaryJsonHasTotalsAndLayers() throws IOException {
        Result r = run("summary", "--format", "json", RESNET50V2);
        assertEquals(0, r.code(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(25_613_800L, json.get("total_params").asLong());
        assertEquals(25_568_360L, json.get("trainable_params").asLong());
        assertEquals(45_440L, json.get("non_trainable_params").asLong());
        assertTrue(json.get("macs").asLong() > 3_000_000_000L);
        JsonNode last = json.get("layers").get(json.get("layers").size() - 1);
        assertEquals("predictions", last.get("name").asText());
        assertEquals("dense", last.get("kind").asText());
        assertEquals(1000, last.get("output_shape").get(0).asInt());
        assertEquals(2_049_000L, last.get("params").asLong());
    }

    @Test
    void inputShapeOverride() {
        Result r = run("summary", "--input-shape", "64x64x3", RESNET50V2);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("(None, 2, 2, 2048)"), r.out());
        Result bad = run("summary", "--input-shape", "64x64", RESNET50V2);
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("expected HxWxC"), bad.err());
    }

    @Test
    void invalidSpecExitsTwoWithLocatedErrorsAndNoStackTrace() throws IOException {
        Path spec = dir.resolve("bad.yaml");
        Files.writeString(spec, "specc: 1\ninput: {shape: [8, 8, 3]}\nstem:\n  - {kind: conv2d, filters: 4, kernle: 3}\n");
        Result r = run("validate", spec.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains(spec + ":4:32: error: unknown key 'kernle' in conv2d (did you mean 'kernel'?)"), r.err());
        assertTrue(r.err().contains("    " + " ".repeat(31) + "^"), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @Test
    void validateReportsEachFile() {
        Result r = run("validate", RESNET50V2, Path.of("..", "specs", "drn_c_26.yaml").toString(), "missing.yaml");
        assertEquals(2, r.code());
        assertTrue(r.out().contains("resnet50v2.yaml: ok (resnet50v2, 25,613,800 parameters)"), r.out());
        assertTrue(r.out().contains("drn_c_26.yaml: ok"), r.out());
        assertTrue(r.err().contains("missing.yaml:1:1: error: no such file"), r.err());
    }

    @Test
    void validateRefusesAReservedLayerNameAndAcceptsDoc() throws IOException {
        Path spec = dir.resolve("named.yaml");
        Files.writeString(spec, "specc: 1\ninput: {shape: [8, 8, 3]}\nhead:\n"
                + "  - {kind: flatten, doc: one vector}\n  - {kind: dense, units: 2, name: output}\n");
        Result r = run("validate", spec.toString());
        assertEquals(2, r.code(), r.out());
        assertTrue(r.err().contains(spec + ":5:35: error: layer name 'output' is reserved by the compiled graph"), r.err());
        assertFalse(r.err().contains("doc"), r.err());
    }

    @Test
    void unknownOptionIsAUsageError() {
        Result r = run("summary", "--fromat", "json", RESNET50V2);
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Did you mean --format instead of --fromat?"), r.err());
    }

    @Test
    void graphWritesDotWithStagesAndEdges() throws IOException {
        Path out = dir.resolve("net.dot");
        Result r = run("graph", "-o", out.toString(), RESNET50V2);
        assertEquals(0, r.code(), r.err());
        String dot = Files.readString(out);
        assertTrue(dot.startsWith("digraph \"resnet50v2\" {"), dot.substring(0, 40));
        assertTrue(dot.contains("subgraph \"cluster_conv3\""));
        assertTrue(dot.contains("\"conv2_block1_0_conv\" -> \"conv2_block1_out\";"));
        assertTrue(dot.contains("\"conv2_block1_3_conv\" -> \"conv2_block1_out\";"));
    }

    @Test
    void graphRendersSvgWhenGraphvizIsInstalled() throws IOException, InterruptedException {
        Path out = dir.resolve("net.svg");
        Result r = run("graph", "-o", out.toString(), Path.of("..", "examples", "inception_small.yaml").toString());
        if (graphvizInstalled()) {
            assertEquals(0, r.code(), r.err());
            assertTrue(Files.readString(out).contains("<svg"));
        } else {
            assertEquals(2, r.code());
            assertTrue(r.err().contains("-o " + out + " needs Graphviz's dot to render SVG, and dot is not installed"), r.err());
            assertFalse(Files.exists(out));
        }
    }

    private static boolean graphvizInstalled() throws InterruptedException {
        try {
            return new ProcessBuilder("dot", "-V").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void summaryJsonStartsWithTheInputRowLikeTheTable() throws IOException {
        Result r = run("summary", "--format", "json", "--input-shape", "64x64x3", RESNET50V2);
        assertEquals(0, r.code(), r.err());
        JsonNode input = new ObjectMapper().readTree(r.out()).get("layers").get(0);
        assertEquals("input", input.get("name").asText());
        assertEquals("input", input.get("kind").asText());
        assertEquals("[64,64,3]", input.get("output_shape").toString());
        assertEquals(0, input.get("params").asLong());
        assertEquals(0, input.get("macs").asLong());
        assertEquals(0, input.get("inputs").size());
    }
}
