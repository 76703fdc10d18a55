package dev.specc.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specc.lower.CompiledModel;
import dev.specc.lower.Mode;
import dev.specc.lower.WeightVariable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

class SavedModelExportTest {
    private static final int BATCH = 2;
    private static final int CLASSES = 3;

    @TempDir
    Path dir;

    @Test
    void theLoadedExportComputesWhatTheSessionComputes() throws Exception {
        Path export = dir.resolve("exported");
        float[] input = TinyModel.randomInput(BATCH, 11);
        float[] original;
        try (CompiledModel model = TinyModel.compile(dir, CLASSES); Session session = new Session(model.graph())) {
            session.initialize();
            List<WeightVariable> variables = TinyModel.allVariables(model);
            new WeightIO(model.graph()).assign(session, variables, TinyModel.randomWeights(variables, 3));
            original = run(session, "input", "output", input);

            SavedModelExport.export(model, session, export, false);
        }
        assertEquals(List.of("exported", "tiny_3.yaml"), listing(dir), "no temporary directory is left");
        assertTrue(Files.isRegularFile(export.resolve("saved_model.pb")));

        try (SavedModelBundle bundle = SavedModelBundle.load(export.toString(), "serve")) {
            float[] served = run(bundle.session(), "input", "output", input);
            assertArrayEquals(original, served, 1e-6f);
            float[] viaSignature = call(bundle, input);
            assertArrayEquals(original, viaSignature, 1e-6f);
        }
        assertEquals(BATCH * CLASSES, original.length);
        float total = 0;
        for (float p : original) total += p;
        assertEquals(BATCH, total, 1e-5, "softmax rows sum to one: the export was fed real data");
    }

    @Test
    void anEarlierExportIsReplacedOnlyWhenOverwritingIsAsked() throws Exception {
        Path export = dir.resolve("exported");
        try (CompiledModel model = TinyModel.compile(dir, CLASSES); Session session = new Session(model.graph())) {
            session.initialize();
            SavedModelExport.export(model, session, export, false);
            Path stale = export.resolve("variables/variables.data-00001-of-00002");
            Files.writeString(stale, "a shard of an earlier export");
            assertTrue(SavedModelExport.isSavedModel(export));
            IOException e = assertThrows(IOException.class, () -> SavedModelExport.export(model, session, export, false));
            assertEquals("cannot export to " + export + ": the directory is not empty "
                    + "(choose another directory, or replace it with --force)", e.getMessage());
            assertTrue(Files.exists(stale));

            SavedModelExport.export(model, session, export, true);
            assertTrue(Files.isRegularFile(export.resolve("saved_model.pb")));
            assertTrue(Files.notExists(stale), "the earlier export is replaced, not merged");
            assertEquals(List.of("exported", "tiny_3.yaml"), listing(dir), "the previous export is gone");
        }
    }

    @Test
    void overwritingRefusesAFolderThatIsNotASavedModel() throws Exception {
        Path plain = Files.createDirectories(dir.resolve("plain"));
        Files.writeString(plain.resolve("keep.txt"), "mine");
        Path mixed = Files.createDirectories(dir.resolve("mixed"));
        Files.writeString(mixed.resolve("saved_model.pb"), "looks like one");
        Files.writeString(mixed.resolve("notes.md"), "but holds more");
        Path oddVariables = Files.createDirectories(dir.resolve("odd/variables"));
        Files.writeString(oddVariables.resolveSibling("saved_model.pb"), "");
        Files.writeString(oddVariables.resolve("thesis.tex"), "not a shard");
        try (CompiledModel model = TinyModel.compile(dir, CLASSES); Session session = new Session(model.graph())) {
            session.initialize();
            for (Path target : List.of(plain, mixed, oddVariables.getParent())) {
                assertFalse(SavedModelExport.isSavedModel(target), target.toString());
                IOException e = assertThrows(IOException.class, () -> SavedModelExport.export(model, session, target, true));
                assertEquals("cannot export to " + target + ": the directory is not empty and is not a SavedModel "
                        + "(replacing is only for an earlier export: a folder with saved_model.pb and nothing else)",
                        e.getMessage());
            }
        }
        assertEquals("mine", Files.readString(plain.resolve("keep.txt")));
        assertEquals(List.of("notes.md", "saved_model.pb"), listing(mixed));
        assertEquals(List.of("thesis.tex"), listing(oddVariables));
        assertEquals(List.of("mixed", "odd", "plain", "tiny_3.yaml"), listing(dir), "no temporary directory is left");
    }

    @Test
    void exportingOverAnEmptyDirectoryNeedsNoPermission() throws Exception {
        Path export = Files.createDirectories(dir.resolve("empty"));
        try (CompiledModel model = TinyModel.compile(dir, CLASSES); Session session = new Session(model.graph())) {
            session.initialize();
            SavedModelExport.export(model, session, export, false);
        }
        assertTrue(Files.isRegularFile(export.resolve("saved_model.pb")));
        assertEquals(List.of("empty", "tiny_3.yaml"), listing(dir));
    }

    private static float[] run(Session session, String input, String output, float[] values) {
        try (TFloat32 in = TFloat32.tensorOf(Shape.of(BATCH, TinyModel.SIZE, TinyModel.SIZE, TinyModel.CHANNELS),
                DataBuffers.of(values));
             Result result = session.runner().feed(input, in).fetch(output).run()) {
            return toArray((TFloat32) result.get(0));
        }
    }

    private static float[] call(SavedModelBundle bundle, float[] values) {
        try (TFloat32 in = TFloat32.tensorOf(Shape.of(BATCH, TinyModel.SIZE, TinyModel.SIZE, TinyModel.CHANNELS),
                DataBuffers.of(values));
             Result result = bundle.call(Map.of(SavedModelExport.INPUT, in))) {
            return toArray((TFloat32) result.get(SavedModelExport.OUTPUT).orElseThrow());
        }
    }

    private static float[] toArray(TFloat32 tensor) {
        float[] out = new float[(int) tensor.size()];
        tensor.copyTo(DataBuffers.of(out, false, false));
        return out;
    }

    private static List<String> listing(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
