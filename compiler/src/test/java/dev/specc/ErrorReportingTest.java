package dev.specc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specc.diag.Diagnostic;
import dev.specc.diag.SpecException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every error names file, line and column of the node at fault, and one run reports them all. */
class ErrorReportingTest {
    @TempDir
    Path dir;

    private static final String GOOD_HEAD = """
            specc: 1
            input: {shape: [32, 32, 3]}
            """;

    private List<Diagnostic> errors(String yaml) throws IOException {
        return errors(yaml.getBytes(StandardCharsets.UTF_8));
    }

    private List<Diagnostic> errors(byte[] bytes) throws IOException {
        Path file = dir.resolve("net.yaml");
        Files.write(file, bytes);
        SpecException e = assertThrows(SpecException.class, () -> Pipeline.analyze(file, Pipeline.Options.DEFAULT));
        e.diagnostics().forEach(System.out::println);
        return e.diagnostics();
    }

    private static void assertAt(Diagnostic d, int line, int column, String fragment) {
        assertEquals(line, d.pos().line(), d.toString());
        assertEquals(column, d.pos().column(), d.toString());
        assertTrue(d.message().contains(fragment), () -> "expected '" + fragment + "' in: " + d);
    }

    @Test
    void unknownKeysAreReportedWithSuggestionsAllAtOnce() throws IOException {
        List<Diagnostic> errors = errors(GOOD_HEAD + """
                stem:
                  - {kind: conv2d, filtrs: 8, kernel: 3}
                  - {kind: relu, nmae: r}
                """);
        assertEquals(3, errors.size(), errors.toString());
        assertAt(errors.get(0), 4, 5, "required property 'filters' not found");
        assertAt(errors.get(1), 4, 20, "unknown key 'filtrs' in conv2d (did you mean 'filters'?)");
        assertAt(errors.get(2), 5, 18, "unknown key 'nmae' in relu (did you mean 'name'?)");
    }

    @Test
    void unknownKindSuggestsTheClosest() throws IOException {
        List<Diagnostic> errors = errors(GOOD_HEAD + "stem:\n  - {kind: conv2, filters: 8, kernel: 3}\n");
        assertEquals(1, errors.size());
        assertAt(errors.get(0), 4, 12, "did you mean 'conv2d'");
    }

    @Test
    void mismatchedAddNamesStageBlockAndShapes() throws IOException {
        List<Diagnostic> errors = errors(GOOD_HEAD + """
                blocks:
                  broken:
                    params: {filters: int, stride: {type: int, default: 1}}
                    layers:
                      - {kind: conv2d, filters: filters, kernel: 1, strides: stride, id: a}
                      - {kind: add, from: [a, input]}
                stages:
                  - {name: conv3, block: broken, repeat: 2, filters: 3, at: {2: {stride: 2}}}
                """);
        assertEquals(1, errors.size());
        assertAt(errors.get(0), 8, 9, "stage conv3, block 2: cannot add 16x16x3 and 32x32x3");
    }

    @Test
    void spatialSizeDroppingToZeroIsLocated() throws IOException {
        List<Diagnostic> errors = errors("specc: 1\ninput: {shape: [4, 4, 3]}\nstem:\n  - {kind: conv2d, filters: 8, kernel: 7}\n");
        assertAt(errors.get(0), 4, 5, "spatial size drops to 0x0");
    }

    @Test
    void expressionErrorsPointIntoTheExpression() throws IOException {
        List<Diagnostic> errors = errors(GOOD_HEAD + "params: {width: 2}\nstem:\n  - {kind: conv2d, filters: widht * 4, kernel: 3}\n");
        assertEquals(1, errors.size());
        assertAt(errors.get(0), 5, 29, "unknown name 'widht' (did you mean 'width'?)");
    }

    @Test
    void wrongTypeIsReported() throws IOException {
        List<Diagnostic> errors = errors(GOOD_HEAD + "stem:\n  - {kind: dense, units: 2.5}\n");
        assertEquals(1, errors.size(), errors.toString());
        assertAt(errors.get(0), 4, 26, "stem[0].units: expected an integer or an expression, got the number 2.5");
    }

    @Test
    void unknownBlockAndParameter() throws IOException {
        List<Diagnostic> errors = errors(GOOD_HEAD + """
                blocks:
                  unit:
                    params: {filters: int}
                    layers: [{kind: conv2d, filters: filters, kernel: 1}]
                stem:
                  - {block: unti, filters: 4}
                  - {block: unit, filter: 4}
                """);
        assertEquals(3, errors.size(), errors.toString());
        assertAt(errors.get(0), 8, 13, "unknown block 'unti' (did you mean 'unit'?)");
        assertAt(errors.get(1), 9, 5, "needs parameter 'filters'");
        assertAt(errors.get(2), 9, 19, "no parameter 'filter' (did you mean 'filters'?)");
    }

    @Test
    void blockCycleIsReported() throws IOException {
        List<Diagnostic> errors = errors(GOOD_HEAD + """
                blocks:
                  a: {layers: [{block: b}]}
                  b: {layers: [{block: a}]}
                stem: [{block: a}]
                """);
        assertAt(errors.get(0), 5, 16, "block cycle: a -> b -> a");
    }

    @Test
    void extendsCycleIsReported() throws IOException {
        Files.writeString(dir.resolve("other.yaml"), "extends: net.yaml\n");
        List<Diagnostic> errors = errors("extends: other.yaml\n");
        assertAt(errors.get(0), 1, 10, "extends cycle: net.yaml -> other.yaml -> net.yaml");
    }

    @Test
    void malformedYamlHasAPosition() throws IOException {
        List<Diagnostic> errors = errors("specc: 1\nstem: [\n  {kind: relu\n");
        assertEquals(1, errors.size());
        assertTrue(errors.get(0).message().startsWith("malformed YAML"), errors.toString());
        assertTrue(errors.get(0).pos().line() >= 3, errors.toString());
    }

    @Test
    void aliasBombIsRefused() throws IOException {
        StringBuilder yaml = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < 12; i++) {
            yaml.append("a").append(i).append(": &a").append(i).append(" [");
            for (int j = 0; j < 10; j++) yaml.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
            yaml.append("]\n");
        }
        List<Diagnostic> errors = errors(yaml.toString());
        assertEquals(1, errors.size());
        assertTrue(errors.get(0).message().contains("alias"), errors.toString());
    }

    @Test
    void nonUtf8IsReportedWithItsLine() throws IOException {
        byte[] bytes = "specc: 1\nname: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        List<Diagnostic> errors = errors(bytes);
        assertEquals(1, errors.size());
        assertEquals(2, errors.get(0).pos().line());
        assertTrue(errors.get(0).message().contains("not valid UTF-8: byte 0xE9"), errors.toString());
    }

    @Test
    void hugeFileIsRefusedBeforeParsing() throws IOException {
        byte[] bytes = new byte[(1 << 20) + 1];
        java.util.Arrays.fill(bytes, (byte) '#');
        List<Diagnostic> errors = errors(bytes);
        assertTrue(errors.get(0).message().contains("at most 1048576 bytes"), errors.toString());
    }

    @Test
    void javaTagsAreNotInstantiated() throws IOException {
        List<Diagnostic> errors = errors("specc: 1\nname: !!javax.script.ScriptEngineManager [x]\n");
        assertTrue(errors.stream().anyMatch(d -> d.message().contains("tag")), errors.toString());
    }

    @Test
    void duplicateKeysAreErrors() throws IOException {
        List<Diagnostic> errors = errors(GOOD_HEAD + "name: a\nname: b\n");
        assertAt(errors.get(0), 4, 1, "duplicate key 'name'");
    }

    @Test
    void unknownFromIdIsReported() throws IOException {
        List<Diagnostic> errors = errors(GOOD_HEAD + "stem:\n  - {kind: relu, id: r}\n  - {kind: add, from: [r, rr2]}\n");
        assertTrue(errors.get(0).message().contains("unknown id 'rr2'"), errors.toString());
        assertEquals(5, errors.get(0).pos().line());
    }

    @Test
    void docIsAcceptedOnLayersGroupsBlockCallsAndBlocks() throws IOException, SpecException {
        Path file = dir.resolve("documented.yaml");
        Files.writeString(file, GOOD_HEAD + """
                blocks:
                  unit:
                    doc: a convolution and its activation
                    params: {filters: {type: int, doc: output channels}}
                    layers:
                      - {kind: conv2d, filters: filters, kernel: 3, doc: no bias needed before batch norm}
                stem:
                  - {block: unit, filters: 4, doc: the stem}
                  - {layers: [{kind: relu, doc: rectify}], doc: a group}
                head:
                  - {kind: global_avg_pool, doc: one value per channel}
                """);
        assertEquals(4, Pipeline.analyze(file, Pipeline.Options.DEFAULT).output().output().channels());
    }

    @Test
    void layerNamesTheGraphUsesAreRefusedWhereTheyAreWritten() throws IOException {
        List<Diagnostic> errors = errors(GOOD_HEAD + """
                stem:
                  - {kind: conv2d, filters: 4, kernel: 3, name: output}
                  - {kind: relu, name: train}
                  - {kind: relu, name: _hidden}
                head:
                  - {kind: flatten, name: input}
                  - {kind: dense, units: 2, name: optimizer}
                  - {kind: dense, units: 2, name: preprocessing}
                """);
        assertEquals(6, errors.size(), errors.toString());
        assertAt(errors.get(0), 4, 49, "layer name 'output' is reserved by the compiled graph (reserved: infer, input, "
                + "optimizer, output, preprocessing, train)");
        assertAt(errors.get(1), 5, 24, "layer name 'train' is reserved");
        assertAt(errors.get(2), 6, 24, "layer name '_hidden' must start with a letter or digit");
        assertAt(errors.get(3), 8, 27, "layer name 'input' is reserved");
        assertAt(errors.get(4), 9, 35, "layer name 'optimizer' is reserved");
        assertAt(errors.get(5), 10, 35, "layer name 'preprocessing' is reserved");
    }

    @Test
    void aDropoutRateOfOneIsReportedWhereItIsWritten() throws IOException {
        List<Diagnostic> errors = errors(GOOD_HEAD + """
                head:
                  - {kind: flatten}
                  - {kind: dropout, rate: 1}
                  - {kind: dense, units: 2}
                """);
        assertEquals(1, errors.size(), errors.toString());
        assertAt(errors.get(0), 5, 27, "dropout 'rate': expected a number in [0.0, 1.0), got 1.0");
    }

    @Test
    void reservedNamesAreFineInsideABlock() throws IOException, SpecException {
        Path file = dir.resolve("prefixed.yaml");
        Files.writeString(file, GOOD_HEAD + """
                blocks:
                  unit:
                    layers: [{kind: relu, name: output}, {kind: relu, name: _after}]
                stages:
                  - {name: s1, block: unit}
                """);
        assertEquals("s1_block1__after", Pipeline.analyze(file, Pipeline.Options.DEFAULT).output().node().name());
    }
}
