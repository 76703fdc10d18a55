package dev.specc.cli;

import static dev.specc.cli.TrainingCommandsTest.specc;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.specc.cli.TrainingCommandsTest.Result;
import dev.specc.runtime.io.KerasH5Weights;
import dev.specc.runtime.io.Safetensors;
import dev.specc.runtime.io.Tensor;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.DatasetCreationOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HDF5 end to end: training on SIGNS-shaped files made here (uint8 images, int64 labels,
 * list_classes; a test file), exporting the weights as a Keras .h5 and starting from it again.
 */
class Hdf5CommandsTest {
    @TempDir
    static Path dir;

    static Path spec;

    static final String SPEC = """
            specc: 1
            name: signs
            params: {classes: 3}
            input: {shape: [6, 6, 3]}
            stem:
              - {kind: conv2d, name: conv, filters: 4, kernel: 3, padding: same}
              - {kind: batch_norm, name: bn}
              - {kind: relu, name: relu}
            head:
              - {kind: global_avg_pool, name: pool}
              - {kind: dense, name: predictions, units: classes, activation: softmax}
            train: {epochs: 1, batch_size: 8, seed: 5}
            data: {source: hdf5, path: train_signs.h5, test_path: test_signs.h5, validation_split: 0.25}
            """;

    /** n images whose colour says their class: class c is bright in channel c. */
    private static void signs(Path file, String prefix, int n) {
        byte[][][][] images = new byte[n][6][6][3];
        long[] labels = new long[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
            for (int r = 0; r < 6; r++) {
                for (int c = 0; c < 6; c++) {
                    for (int k = 0; k < 3; k++) images[i][r][c][k] = (byte) (k == i % 3 ? 220 - r * 3 : 30 + c * 4);
                }
            }
        }
        try (WritableHdfFile h5 = HdfFile.write(file)) {
            h5.putDataset(prefix + "_set_x", images, DatasetCreationOptions.builder().unsigned().build());
            h5.putDataset(prefix + "_set_y", labels);
            h5.putDataset("list_classes", new String[] {"red", "green", "blue"});
        }
    }

    @BeforeAll
    static void makeData() throws IOException {
        signs(dir.resolve("train_signs.h5"), "train", 32);
        signs(dir.resolve("test_signs.h5"), "test", 9);
        spec = dir.resolve("signs.yaml");
        Files.writeString(spec, SPEC);
    }

    private static Path onlyRun(Path runs) throws IOException {
        try (Stream<Path> s = Files.list(runs.resolve("signs"))) {
            return s.sorted(Comparator.reverseOrder()).findFirst().orElseThrow();
        }
    }

    @Test
    void trainsOnHdf5FilesExportsKerasH5AndStartsFromItAgain() throws IOException {
        Path runs = dir.resolve("runs");
        Result run = specc("run", spec.toString(), "--runs-dir", runs.toString(), "--threads", "1");
        assertEquals(0, run.code(), run.out() + run.err());
        assertTrue(run.out().contains("24 of 32 'train_set_x' of " + dir.resolve("train_signs.h5") + ", 6x6x3, 3 classes"),
                run.out());
        Path runDir = onlyRun(runs);
        var report = new ObjectMapper().readTree(runDir.resolve("report.json").toFile());
        assertEquals("test", report.get("split").asText(), report.toString());
        assertEquals(9, report.get("examples").asInt(), report.toString());
        assertEquals(List.of("red", "green", "blue"), iterate(report.get("per_class_accuracy").fieldNames()));

        Path h5 = dir.resolve("signs.h5");
        Result export = specc("export", "--run", runDir.toString(), "--format", "h5", "--out", h5.toString());
        assertEquals(0, export.code(), export.out() + export.err());
        Map<String, Tensor> best = new TreeMap<>(Safetensors.read(runDir.resolve("checkpoints/best.safetensors")).tensors());
        best.keySet().removeIf(name -> name.startsWith("optimizer/"));
        Map<String, Tensor> exported = new TreeMap<>(KerasH5Weights.read(h5));
        assertEquals(best.keySet(), exported.keySet());
        for (String name : best.keySet()) {
            assertArrayEquals(best.get(name).toFloats(), exported.get(name).toFloats(), 0f, name + " bit for bit");
        }

        Result again = specc("export", "--run", runDir.toString(), "--format", "h5", "--out", h5.toString());
        assertEquals(2, again.code(), again.err());
        assertTrue(again.err().contains("--out " + h5 + " exists; give a new file name, or add --force"), again.err());
        assertEquals(0, specc("export", "--run", runDir.toString(), "--format", "h5", "--out", h5.toString(), "--force").code());
        Result overSpec = specc("export", "--run", runDir.toString(), "--format", "h5", "--out", spec.toString(), "--force");
        assertEquals(2, overSpec.code(), overSpec.err());
        assertTrue(overSpec.err().contains("exists and is not an HDF5 file; --force replaces only an earlier export"),
                overSpec.err());

        Result init = specc("train", spec.toString(), "--runs-dir", runs.toString(), "--init-from", h5.toString(),
                "--threads", "1");
        assertEquals(0, init.code(), init.out() + init.err());
        assertTrue(init.out().contains("initialised from " + h5 + " (HDF5 (Keras .h5)): loaded all 8 weights"), init.out());

        Result wider = specc("train", spec.toString(), "--runs-dir", runs.toString(), "--init-from", h5.toString(),
                "--set", "params.classes=4");
        assertEquals(2, wider.code(), wider.out() + wider.err());
        assertTrue(wider.err().contains("with another shape in the file:\n    predictions/kernel [4, 4] (file has [4, 3])"),
                wider.err());
    }

    private static List<String> iterate(java.util.Iterator<String> names) {
        List<String> list = new java.util.ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }

    @Test
    void validateNamesTheFileAndTheDatasetOfAWrongName() throws IOException {
        Result r = specc("validate", spec.toString(), "--set", "data.datasets.train_y=train_sety");
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("error: data.datasets.train_y: " + dir.resolve("train_signs.h5")
                + ": no dataset 'train_sety' (did you mean 'train_set_y'?); datasets in the file: list_classes, "
                + "train_set_x, train_set_y (checked on this machine)"), r.err());
        Result ok = specc("validate", spec.toString());
        assertEquals(0, ok.code(), ok.out() + ok.err());
    }
}
