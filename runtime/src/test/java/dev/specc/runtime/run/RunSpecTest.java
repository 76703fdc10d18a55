package dev.specc.runtime.run;

import dev.specc.Pipeline;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specc.runtime.Prepared;
import dev.specc.shapes.Analysis;
import dev.specc.shapes.AnalyzedNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * eval, predict, export and --resume with --run read a run's spec.resolved.json instead of the spec
 * file: for every shipped spec, with a --set override, it compiles to the same network, with the same
 * train: and data: sections, and writes back the same text (so a resume accepts it).
 */
class RunSpecTest {
    @TempDir
    Path dir;

    @Test
    void theResolvedSpecOfARunCompilesToTheNetworkTheRunTrained() throws Exception {
        List<Path> specs = new ArrayList<>();
        for (String folder : List.of("specs", "examples")) {
            try (Stream<Path> files = Files.list(Path.of("..", folder))) {
                files.filter(f -> f.toString().endsWith(".yaml")).sorted().forEach(specs::add);
            }
        }
        assertTrue(specs.size() >= 9, specs.toString());
        for (Path spec : specs) {
            String yaml = Files.readString(spec);
            // A segmentation spec's class count is its data.class_names' length: --set params.classes would contradict it.
            List<String> sets = yaml.contains("\n  classes:") && !yaml.contains("source: segmentation")
                    ? List.of("params.classes=12", "train.weight_decay=1.0e-4") : List.of("train.epochs=1");
            Prepared original = Prepared.of(spec, sets, null, Pipeline.DataCheck.SKIPPED);
            RunDirectory run = RunDirectory.create(dir, original.name());
            String text = RunDirectory.specText(original.checked().tree());
            run.writeSpec(text);
            run.writeEnvironment(Map.of("spec", spec.toAbsolutePath().normalize().toString()));

            Prepared fromRun = Prepared.ofRun(run, List.of(), null, Pipeline.DataCheck.SKIPPED);
            assertEquals(text, RunDirectory.specText(fromRun.checked().tree()), spec + ": the text a resume compares");
            assertSameNetwork(spec, original.checked().analysis(), fromRun.checked().analysis());
            assertEquals(original.train(), fromRun.train(), spec + " train:");
            assertEquals(original.data(), fromRun.data(), spec + " data:");
            assertEquals(spec.toAbsolutePath().normalize(), fromRun.specFile(), "relative paths are from the spec's folder");
        }
    }

    private static void assertSameNetwork(Path spec, Analysis expected, Analysis actual) {
        assertArrayEquals(expected.model().inputShape().dims(), actual.model().inputShape().dims(), spec + " input");
        assertEquals(expected.totalParams(), actual.totalParams(), spec + " parameters");
        assertEquals(expected.trainableParams(), actual.trainableParams(), spec + " trainable parameters");
        assertEquals(expected.macs(), actual.macs(), spec + " MACs");
        assertEquals(describe(expected), describe(actual), spec + " layers");
    }

    private static List<String> describe(Analysis analysis) {
        return analysis.nodes().stream().map(RunSpecTest::describe).toList();
    }

    private static String describe(AnalyzedNode n) {
        return n.node().name() + " " + n.node().layer() + " " + n.node().inputs() + " -> " + n.output() + " "
                + n.params() + " " + n.macs();
    }

    @Test
    void theSpecFileARunStartedFromIsReadFromItsEnvironment() throws IOException {
        RunDirectory run = RunDirectory.create(dir, "net");
        assertEquals(run.specFile(), run.startedFrom(), "unknown: the run's own spec");
        run.writeEnvironment(Map.of("spec", "/somewhere/net.yaml"));
        assertEquals(Path.of("/somewhere/net.yaml"), run.startedFrom());
    }

    @Test
    void aSpecWithoutANameKeepsItsFilesNameWhenReadFromItsRun() throws Exception {
        Path spec = dir.resolve("tiny_net.yaml");
        Files.writeString(spec, "specc: 1\ninput: {shape: [8, 8, 1]}\nhead:\n  - {kind: flatten}\n"
                + "  - {kind: dense, units: 10, activation: softmax}\n");
        Prepared original = Prepared.of(spec, List.of(), null, Pipeline.DataCheck.SKIPPED);
        assertEquals("tiny_net", original.name());
        RunDirectory run = RunDirectory.create(dir.resolve("runs"), original.name());
        run.writeSpec(RunDirectory.specText(original.checked().tree()));
        run.writeEnvironment(Map.of("spec", spec.toAbsolutePath().normalize().toString()));
        assertEquals("tiny_net", Prepared.ofRun(run, List.of(), null, Pipeline.DataCheck.SKIPPED).name());
    }
}
