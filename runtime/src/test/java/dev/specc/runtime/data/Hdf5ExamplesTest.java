package dev.specc.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.specc.config.DataConfig;
import dev.specc.config.Hdf5Config;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.DatasetCreationOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hdf5 source's reader on files written here with jhdf: examples sliced out exactly, contiguous or chunked. */
class Hdf5ExamplesTest {
    @TempDir
    Path dir;

    private static final DatasetCreationOptions UINT8 = DatasetCreationOptions.builder().unsigned().build();

    /** Pixel value of example i at (row, column, channel): distinct enough that a wrong offset shows. */
    private static byte pixel(int i, int r, int c, int k) {
        return (byte) (i * 37 + r * 11 + c * 5 + k * 3 + 200);
    }

    private static byte[][][][] images(int n, int side) {
        byte[][][][] images = new byte[n][side][side][3];
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < side; r++) {
                for (int c = 0; c < side; c++) {
                    for (int k = 0; k < 3; k++) images[i][r][c][k] = pixel(i, r, c, k);
                }
            }
        }
        return images;
    }

    private static byte[] flat(int i, int side) {
        byte[] out = new byte[side * side * 3];
        for (int r = 0, p = 0; r < side; r++) {
            for (int c = 0; c < side; c++) {
                for (int k = 0; k < 3; k++) out[p++] = pixel(i, r, c, k);
            }
        }
        return out;
    }

    private Path signs(String name, String prefix, int n, int side, DatasetCreationOptions options) {
        Path file = dir.resolve(name);
        long[] labels = new long[n];
        for (int i = 0; i < n; i++) labels[i] = (i * 7) % 6;
        try (WritableHdfFile h5 = HdfFile.write(file)) {
            h5.putDataset(prefix + "_set_x", images(n, side), options);
            h5.putDataset(prefix + "_set_y", labels);
            h5.putDataset("list_classes", new long[] {0, 1, 2, 3, 4, 5});
        }
        return file;
    }

    @Test
    void contiguousAndChunkedCompressedDatasetsGiveTheSameExamplesOneByOneAndInRanges() throws Exception {
        DatasetCreationOptions chunked = DatasetCreationOptions.builder().unsigned().chunkDimensions(3, 6, 6, 3)
                .deflate().build();
        for (Path file : List.of(signs("contiguous.h5", "train", 10, 6, UINT8), signs("chunked.h5", "train", 10, 6, chunked))) {
            try (Hdf5Examples examples = Hdf5Examples.open(file, "train_set_x", "train_set_y", "list_classes", false)) {
                assertEquals(10, examples.size());
                assertEquals(new ImageShape(6, 6, 3), examples.shape());
                assertEquals(List.of("0", "1", "2", "3", "4", "5"), examples.fileClassNames());
                assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 0, 1, 2, 3}, examples.labels());
                for (int i : new int[] {0, 4, 9}) {
                    byte[] one = new byte[6 * 6 * 3 + 2];
                    examples.read(i, one, 2);
                    assertArrayEquals(flat(i, 6), Arrays.copyOfRange(one, 2, one.length), file + " example " + i);
                }
                byte[] range = new byte[4 * 108];
                examples.read(5, 4, range, 0);
                for (int j = 0; j < 4; j++) {
                    assertArrayEquals(flat(5 + j, 6), Arrays.copyOfRange(range, j * 108, (j + 1) * 108), file + " range " + j);
                }
                assertThrows(IndexOutOfBoundsException.class, () -> examples.read(8, 3, range, 0));
            }
        }
    }

    @Test
    void greyImagesWithoutChannelAxisReadAsOneChannel() throws Exception {
        Path file = dir.resolve("grey.h5");
        byte[][][] grey = new byte[3][4][5];
        for (int i = 0; i < 3; i++) for (int r = 0; r < 4; r++) for (int c = 0; c < 5; c++) grey[i][r][c] = (byte) (i * 20 + r * 5 + c);
        try (WritableHdfFile h5 = HdfFile.write(file)) {
            h5.putDataset("x", grey, UINT8);
            h5.putDataset("y", new int[] {2, 0, 1});
        }
        try (Hdf5Examples examples = Hdf5Examples.open(file, "x", "y", "list_classes", false)) {
            assertEquals(new ImageShape(4, 5, 1), examples.shape());
            assertNull(examples.fileClassNames());
            assertEquals(List.of("0", "1", "2"), examples.classNames(), "numbered without a class dataset");
            assertEquals(3, examples.classCount());
            byte[] second = new byte[20];
            examples.read(1, second, 0);
            assertEquals(20 + 3 * 5 + 4, second[19]);
        }
    }

    @Test
    void theHdf5SourceSplitsTrainingExamplesAndTakesTheTestFileAsTheTestSplit() throws Exception {
        signs("train_signs.h5", "train", 20, 4, UINT8);
        signs("test_signs.h5", "test", 5, 4, UINT8);
        DataConfig d = DataConfig.defaults();
        DataConfig config = new DataConfig(DataConfig.Source.HDF5, "train_signs.h5", null, null, 0.25, 3, d.rescale(), null,
                d.augment(), 1, 1, null, new Hdf5Config("test_signs.h5", "train_set_x", "train_set_y", "test_set_x",
                "test_set_y", "list_classes", false), null, null);
        Splits splits = DataSources.load(config, dir.resolve("spec.yaml"), new ArrayList<>(), 1);
        assertEquals(15, splits.train().size());
        assertEquals(5, splits.validation().size());
        assertEquals(5, splits.test().size());
        assertEquals(List.of("0", "1", "2", "3", "4", "5"), splits.train().classNames());
        // Every training example is one of the file's, with its own label.
        byte[] example = new byte[48];
        for (int j = 0; j < splits.train().size(); j++) {
            splits.train().read(j, example, 0);
            int first = example[0] & 0xFF;
            int i = -1;
            for (int candidate = 0; candidate < 20; candidate++) if ((pixel(candidate, 0, 0, 0) & 0xFF) == first) i = candidate;
            assertArrayEquals(flat(i, 4), example);
            assertEquals((i * 7) % 6, splits.train().label(j));
        }
        splits.test().read(4, example, 0);
        assertArrayEquals(flat(4, 4), example);

        DataConfig misnamed = new DataConfig(DataConfig.Source.HDF5, "train_signs.h5", null, null, 0.25, 3, d.rescale(),
                null, d.augment(), 1, 1, null, new Hdf5Config(null, "train_set_z", "train_set_y", "test_set_x", "test_set_y",
                "list_classes", false), null, null);
        DataException e = assertThrows(DataException.class, () -> DataSources.load(misnamed, dir.resolve("spec.yaml"),
                new ArrayList<>(), 1));
        assertEquals("data.datasets.train_x: " + dir.resolve("train_signs.h5") + ": no dataset 'train_set_z' (did you mean "
                + "'train_set_x'?); datasets in the file: list_classes, train_set_x, train_set_y", e.getMessage());
    }
}
