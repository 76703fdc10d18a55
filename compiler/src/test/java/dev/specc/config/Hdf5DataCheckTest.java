package dev.specc.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specc.Pipeline;
import dev.specc.diag.Diagnostic;
import dev.specc.diag.SpecException;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.DatasetCreationOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hdf5 data source as validate and run check it: files laid out as the ResNet50 SIGNS tutorial
 * ships them (uint8 [N, 64, 64, 3], int64 labels, list_classes), written here with jhdf, and every
 * kind of wrong file reported at the data: key at fault, naming the file and the dataset.
 */
class Hdf5DataCheckTest {
    @TempDir
    Path dir;

    /** A 6-way softmax over 8x8x3 images; its data: section starts at line 7. */
    private static final String NETWORK = """
            specc: 1
            name: signs
            input: {shape: [8, 8, 3]}
            head:
              - {kind: flatten, name: flatten}
              - {kind: dense, name: predictions, units: 6, activation: softmax}
            """;

    static final DatasetCreationOptions UINT8 = DatasetCreationOptions.builder().unsigned().build();

    /** A SIGNS-shaped file: {@code n} images of side x side x 3 with labels 0..5 and list_classes [0..5]. */
    static void signs(Path file, String x, String y, int n, int side) {
        try (WritableHdfFile h5 = HdfFile.write(file)) {
            byte[][][][] images = new byte[n][side][side][3];
            long[] labels = new long[n];
            for (int i = 0; i < n; i++) {
                labels[i] = i % 6;
                for (int r = 0; r < side; r++) {
                    for (int c = 0; c < side; c++) {
                        for (int k = 0; k < 3; k++) images[i][r][c][k] = (byte) (i * 31 + r * 7 + c * 3 + k);
                    }
                }
            }
            h5.putDataset(x, images, UINT8);
            h5.putDataset(y, labels);
            h5.putDataset("list_classes", new long[] {0, 1, 2, 3, 4, 5});
        }
    }

    private Path spec(String data) throws IOException {
        Path file = dir.resolve("signs.yaml");
        Files.writeString(file, NETWORK + data);
        return file;
    }

    private Pipeline.Checked check(String data) throws Exception {
        return Pipeline.check(spec(data), new Pipeline.Options(null, List.of(), null, Pipeline.DataCheck.REPORTED));
    }

    private List<Diagnostic> errors(String data) throws IOException {
        Path file = spec(data);
        SpecException e = assertThrows(SpecException.class,
                () -> Pipeline.check(file, new Pipeline.Options(null, List.of(), null, Pipeline.DataCheck.REPORTED)));
        return e.errors();
    }

    private static void assertOnly(List<Diagnostic> errors, int line, int column, String message) {
        assertEquals(1, errors.size(), errors.toString());
        Diagnostic d = errors.get(0);
        assertEquals(line + ":" + column, d.pos().line() + ":" + d.pos().column(), d.toString());
        assertTrue(d.message().contains(message), () -> "expected '" + message + "' in: " + d);
    }

    @Test
    void signsShapedFilesValidateWithTheirClassesCountedFromListClasses() throws Exception {
        signs(dir.resolve("train_signs.h5"), "train_set_x", "train_set_y", 12, 8);
        signs(dir.resolve("test_signs.h5"), "test_set_x", "test_set_y", 6, 8);
        Pipeline.Checked checked = check("data: {source: hdf5, path: train_signs.h5, test_path: test_signs.h5}\n");
        assertEquals(DataConfig.Source.HDF5, checked.data().source());
        assertEquals("test_signs.h5", checked.data().hdf5().testPath());
        assertEquals(List.of(), checked.warnings());
        List<Hdf5Data.Contents> contents = DataLocation.hdf5(checked.data(), dir.resolve("signs.yaml"));
        assertEquals(12, contents.get(0).examples());
        assertEquals("8x8x3", contents.get(0).shape());
        assertEquals(List.of("0", "1", "2", "3", "4", "5"), contents.get(0).classNames());
        assertEquals(6, contents.get(1).examples());

        // Six classes in the file, two outputs in the network: the class count comes from list_classes.
        Files.writeString(dir.resolve("two.yaml"), NETWORK.replace("units: 6", "units: 2")
                + "data: {source: hdf5, path: train_signs.h5}\n");
        SpecException two = assertThrows(SpecException.class, () -> Pipeline.check(dir.resolve("two.yaml"),
                new Pipeline.Options(null, List.of(), null, Pipeline.DataCheck.REPORTED)));
        assertEquals(1, two.errors().size(), two.errors().toString());
        assertEquals("the network has 2 outputs but 'list_classes' in " + dir.resolve("train_signs.h5")
                + " lists 6 classes", two.errors().get(0).message());
    }

    @Test
    void aWrongDatasetNameIsReportedAtItsKeyWithTheFileAndTheClosestDatasetName() throws Exception {
        signs(dir.resolve("train_signs.h5"), "train_set_x", "train_set_y", 12, 8);
        assertOnly(errors("data:\n  source: hdf5\n  path: train_signs.h5\n  datasets: {train_x: train_set_z}\n"), 10, 23,
                "data.datasets.train_x: " + dir.resolve("train_signs.h5") + ": no dataset 'train_set_z' (did you mean "
                        + "'train_set_x'?); datasets in the file: list_classes, train_set_x, train_set_y (checked on this machine)");
        // The default name, not written: the error is at data.path, still naming the dataset.
        signs(dir.resolve("other.h5"), "images", "labels", 12, 8);
        assertOnly(errors("data:\n  source: hdf5\n  path: other.h5\n"), 9, 9,
                "data.path: " + dir.resolve("other.h5") + ": no dataset 'train_set_x' (the default of data.datasets.train_x); "
                        + "datasets in the file: images, labels, list_classes");
        Pipeline.Checked renamed = check("data:\n  source: hdf5\n  path: other.h5\n"
                + "  datasets: {train_x: images, train_y: labels}\n");
        assertEquals("images", renamed.data().hdf5().trainImages());
    }

    @Test
    void wrongShapesTypesAndLabelCountsNameTheFileAndTheDataset() throws Exception {
        Path file = dir.resolve("bad.h5");
        try (WritableHdfFile h5 = HdfFile.write(file)) {
            h5.putDataset("rgba", new byte[2][4][4][4], UINT8);
            h5.putDataset("floats", new float[2][4][4][3]);
            h5.putDataset("rgb", new byte[2][4][4][3], UINT8);
            h5.putDataset("three_labels", new long[] {0, 1, 1});
            h5.putDataset("two_labels", new long[] {0, 1});
            h5.putDataset("negative", new long[] {0, -1});
            h5.putDataset("float_labels", new double[] {0, 1});
        }
        String base = "data:\n  source: hdf5\n  path: bad.h5\n  datasets: ";
        assertOnly(errors(base + "{train_x: rgba, train_y: two_labels}\n"), 10, 23, "data.datasets.train_x: " + file
                + ": dataset 'rgba' has shape [2, 4, 4, 4]; the hdf5 source reads images of shape [N, height, width, 3], "
                + "[N, height, width, 1] or [N, height, width]");
        assertOnly(errors(base + "{train_x: floats, train_y: two_labels}\n"), 10, 23, "data.datasets.train_x: " + file
                + ": dataset 'floats' holds float32 values; the hdf5 source reads uint8 pixels (0..255)");
        assertOnly(errors(base + "{train_x: rgb, train_y: three_labels}\n"), 10, 37, "data.datasets.train_y: " + file
                + ": dataset 'three_labels' has 3 labels, but the images have 2 examples");
        assertOnly(errors(base + "{train_x: rgb, train_y: negative}\n"), 10, 37, "dataset 'negative': label 1 is -1");
        assertOnly(errors(base + "{train_x: rgb, train_y: float_labels}\n"), 10, 37,
                "dataset 'float_labels' holds float64 values; labels are integers");
        assertOnly(errors(base + "{train_x: rgb, train_y: two_labels, classes: names}\n"), 10, 58,
                "data.datasets.classes: " + file + ": no dataset 'names'");
        Pipeline.Checked fine = check(base + "{train_x: rgb, train_y: two_labels}\n");
        assertEquals("rgb", fine.data().hdf5().trainImages());
    }

    @Test
    void greyImagesWithoutAChannelAxisAndAMissingTestFileOrNonHdf5File() throws Exception {
        Path grey = dir.resolve("grey.h5");
        try (WritableHdfFile h5 = HdfFile.write(grey)) {
            h5.putDataset("train_set_x", new byte[3][8][8], UINT8);
            h5.putDataset("train_set_y", new int[] {0, 5, 2});
        }
        Hdf5Data.Contents contents = Hdf5Data.inspect(grey, "train_set_x", "datasets.train_x", "train_set_y",
                "datasets.train_y", "list_classes", false, "path");
        assertEquals("8x8x1", contents.shape());
        assertEquals(6, contents.classCount(), "no list_classes: the largest label plus one");
        assertEquals(null, contents.classNames());

        assertOnly(errors("data:\n  source: hdf5\n  path: grey.h5\n  test_path: test.h5\n"), 10, 14,
                "data.test_path: no such file or folder: test.h5");
        Files.writeString(dir.resolve("text.h5"), "not hdf5 at all");
        assertOnly(errors("data:\n  source: hdf5\n  path: text.h5\n"), 9, 9,
                "data.path: " + dir.resolve("text.h5") + ": not an HDF5 file (no HDF5 signature)");
    }

    @Test
    void imagesOfAnotherSizeThanTheInputAreAWarningAndHdf5KeysElsewhereAreIgnoredWithOne() throws Exception {
        signs(dir.resolve("train_signs.h5"), "train_set_x", "train_set_y", 12, 16);
        Pipeline.Checked checked = check("data:\n  source: hdf5\n  path: train_signs.h5\n");
        assertEquals(1, checked.warnings().size(), checked.warnings().toString());
        Diagnostic warning = checked.warnings().get(0);
        assertEquals(9, warning.pos().line());
        assertEquals("data.path: " + dir.resolve("train_signs.h5") + " holds 16x16x3 images ('train_set_x'); they are "
                + "resized to the model's input 8x8x3 (data.image_size: [16, 16] trains at the file's size)", warning.message());
        assertTrue(check("data:\n  source: hdf5\n  path: train_signs.h5\n  image_size: 16\n").warnings().isEmpty());

        Files.writeString(dir.resolve("ten.yaml"), NETWORK.replace("units: 6", "units: 10")
                + "data:\n  source: fashion_mnist_subset\n  test_path: x.h5\n");
        Pipeline.Checked folder = Pipeline.check(dir.resolve("ten.yaml"),
                new Pipeline.Options(null, List.of(), null, Pipeline.DataCheck.SKIPPED));
        assertEquals(List.of("data.test_path: only the hdf5 source reads it; ignored by source fashion_mnist_subset"),
                folder.warnings().stream().map(Diagnostic::message).toList());
    }

    @Test
    void dataOptionPicksTheHdf5SourceForAnHdf5File() throws Exception {
        signs(dir.resolve("train_signs.h5"), "train_set_x", "train_set_y", 12, 8);
        Pipeline.Checked checked = Pipeline.check(spec(""), new Pipeline.Options(null, List.of(),
                dir.resolve("train_signs.h5").toString(), Pipeline.DataCheck.REPORTED));
        assertEquals(DataConfig.Source.HDF5, checked.data().source());
        SpecException named = assertThrows(SpecException.class, () -> Pipeline.check(spec(""),
                new Pipeline.Options(null, List.of(), "hdf5", Pipeline.DataCheck.REPORTED)));
        assertEquals("hdf5 has no standard place on this machine; give the HDF5 file instead (--data FILE.h5)",
                named.errors().get(0).message());
        assertFalse(Hdf5Data.isHdf5(spec("")));
        assertTrue(Hdf5Data.isHdf5(dir.resolve("train_signs.h5")));
    }
}
