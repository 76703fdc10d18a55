package dev.specc.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specc.config.AugmentConfig;
import dev.specc.config.DataConfig;
import dev.specc.config.FillMode;
import dev.specc.config.Hdf5Config;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.DatasetCreationOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hdf5 source streamed: batches as the former whole-file read gave them, and cached on disk like any source. */
class Hdf5StreamingTest {
    @TempDir
    Path dir;

    private static final DatasetCreationOptions CONTIGUOUS = DatasetCreationOptions.builder().unsigned().build();
    private static final DatasetCreationOptions CHUNKED = DatasetCreationOptions.builder().unsigned()
            .chunkDimensions(3, 6, 7, 3).deflate().build();

    /** {@code n} RGB examples of 6x7 with labels (i * 7) % 6 and six class names, as the SIGNS files hold them. */
    static Path signs(Path file, String prefix, int n, DatasetCreationOptions options) {
        byte[][][][] images = new byte[n][6][7][3];
        long[] labels = new long[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (i * 7) % 6;
            for (int r = 0; r < 6; r++) {
                for (int c = 0; c < 7; c++) {
                    for (int k = 0; k < 3; k++) images[i][r][c][k] = pixel(i, r, c, k);
                }
            }
        }
        try (WritableHdfFile h5 = HdfFile.write(file)) {
            h5.putDataset(prefix + "_set_x", images, options);
            h5.putDataset(prefix + "_set_y", labels);
            h5.putDataset("list_classes", new String[] {"zero", "one", "two", "three", "four", "five"});
        }
        return file;
    }

    private static byte pixel(int i, int r, int c, int k) {
        return (byte) (i * 37 + r * 11 + c * 5 + k * 3 + 200);
    }

    private static byte[] example(int i) {
        byte[] out = new byte[6 * 7 * 3];
        for (int r = 0, p = 0; r < 6; r++) {
            for (int c = 0; c < 7; c++) {
                for (int k = 0; k < 3; k++) out[p++] = pixel(i, r, c, k);
            }
        }
        return out;
    }

    static DataConfig config(DataConfig.Cache cache) {
        AugmentConfig augment = new AugmentConfig(true, true, 20, 0.1, 0.1, 0.1, 5, 2, FillMode.REFLECT);
        return new DataConfig(DataConfig.Source.HDF5, "train.h5", null, null, 0.25, 5, 1.0 / 255, null, augment, 3, 2,
                null, new Hdf5Config("test.h5", "train_set_x", "train_set_y", "test_set_x", "test_set_y", "list_classes",
                false), cache, null);
    }

    /** A segment of 4 examples of 6x7x3: the 21 training examples' cache file spans 6 mapped segments. */
    private DataSettings settings(long budget) {
        return new DataSettings(dir.resolve("cache"), budget, 4L * 6 * 7 * 3, 0);
    }

    private Splits load(DataConfig.Cache cache, long budget) throws Exception {
        return DataSources.load(config(cache), dir.resolve("spec.yaml"), new ArrayList<>(), settings(budget));
    }

    /**
     * The digests ({@link StreamingMatchesInMemoryTest#digests}: training epochs 0 and 1, epoch 1
     * resumed at batch 2, validation, test) of the batches that the hdf5 source gave when it read the
     * whole file into memory, recorded from that code with this fixture.
     */
    static final List<String> RECORDED = List.of("5b8d47ca71d01104", "0c4e11caa838a6fb", "166a91868aa4484b",
            "05b6cc5a07f6d5ed", "60fac7c158de6a61");

    @Test
    void streamedBatchesAreTheFormerWholeFileBatchesForContiguousAndChunkedFilesInEveryCacheMode() throws Exception {
        for (DatasetCreationOptions layout : List.of(CONTIGUOUS, CHUNKED)) {
            signs(dir.resolve("train.h5"), "train", 21, layout);
            signs(dir.resolve("test.h5"), "test", 5, layout);
            for (DataConfig.Cache cache : DataConfig.Cache.values()) {
                Splits splits = load(cache, Long.MAX_VALUE);
                assertEquals(16, splits.train().size());
                assertEquals(5, splits.validation().size());
                assertEquals(List.of("zero", "one", "two", "three", "four", "five"), splits.train().classNames());
                assertEquals(RECORDED, StreamingMatchesInMemoryTest.digests(splits, config(cache)),
                        layout + ", " + cache + ": same examples, order and pixels");
            }
        }
    }

    @Test
    void aDiskCacheOfAnHdf5FileIsWrittenOnceReadBackInSegmentsAndRebuiltWhenTheFileChanges() throws Exception {
        Path train = signs(dir.resolve("train.h5"), "train", 21, CONTIGUOUS);
        signs(dir.resolve("test.h5"), "test", 5, CONTIGUOUS);
        Splits first = load(DataConfig.Cache.DISK, 0);
        Path pixels;
        try (Stream<Path> files = Files.list(dir.resolve("cache"))) {
            pixels = files.filter(f -> f.getFileName().toString().startsWith("train.h5-6x7x3-")
                    && f.toString().endsWith(".pixels")).findFirst().orElseThrow();
        }
        assertEquals(21L * 6 * 7 * 3, Files.size(pixels));
        assertTrue(first.cache().contains("disk cache of " + train + ": written to " + pixels + " (there was no cache)"),
                first.cache());
        Splits again = load(DataConfig.Cache.DISK, 0);
        assertTrue(again.cache().contains("disk cache of " + train + ": read from " + pixels), again.cache());
        MappedExamples mapped = (MappedExamples) ((Subset) again.train()).all();
        assertEquals(6, mapped.segmentCount(), "21 examples in segments of 4");
        assertEquals(RECORDED, StreamingMatchesInMemoryTest.digests(again, config(DataConfig.Cache.DISK)));

        Files.setLastModifiedTime(train, FileTime.fromMillis(Files.getLastModifiedTime(train).toMillis() - 60_000));
        Splits touched = load(DataConfig.Cache.DISK, 0);
        assertTrue(touched.cache().contains("disk cache of " + train + ": written to " + pixels
                + " (stale: the data changed since it was written)"), touched.cache());
    }

    @Test
    void aDatasetOfAnotherShapeOrAMisspelledTestDatasetIsNamedWithItsFile() throws Exception {
        Path train = dir.resolve("train.h5");
        try (WritableHdfFile h5 = HdfFile.write(train)) {
            h5.putDataset("train_set_x", new byte[4][6], CONTIGUOUS);
            h5.putDataset("train_set_y", new long[] {0, 1, 0, 1});
        }
        signs(dir.resolve("test.h5"), "test", 5, CONTIGUOUS);
        DataException shape = assertThrows(DataException.class, () -> load(DataConfig.Cache.NONE, 0));
        assertEquals("data.datasets.train_x: " + train + ": dataset 'train_set_x' has shape [4, 6]; the hdf5 source reads "
                + "images of shape [N, height, width, 3], [N, height, width, 1] or [N, height, width], with N, height and "
                + "width at least 1", shape.getMessage());

        signs(train, "train", 21, CONTIGUOUS);
        Path test = signs(dir.resolve("test.h5"), "tst", 5, CONTIGUOUS);
        DataException name = assertThrows(DataException.class, () -> load(DataConfig.Cache.NONE, 0));
        assertEquals("data.datasets.test_x: " + test + ": no dataset 'test_set_x' (did you mean 'tst_set_x'?); datasets "
                + "in the file: list_classes, tst_set_x, tst_set_y", name.getMessage());
    }

    @Test
    void concurrentReadersGetTheirOwnExamplesAndAnInterruptedReaderSpoilsNothingForTheOthers() throws Exception {
        for (DatasetCreationOptions layout : List.of(CONTIGUOUS, CHUNKED)) {
            Path file = signs(dir.resolve("concurrent.h5"), "train", 21, layout);
            try (Hdf5Examples examples = Hdf5Examples.open(file, "train_set_x", "train_set_y", "list_classes", false)) {
                Thread interrupted = new Thread(() -> {
                    Thread.currentThread().interrupt();
                    try {
                        examples.read(20, new byte[126], 0);
                    } catch (IOException e) {
                        // a chunked dataset's channel closes under an interrupted reader: that read fails
                    }
                });
                interrupted.start();
                interrupted.join();
                ExecutorService pool = Executors.newFixedThreadPool(4);
                try {
                    List<Future<byte[]>> reads = new ArrayList<>();
                    for (int round = 0; round < 5; round++) {
                        for (int i = 0; i < 21; i++) {
                            int index = i;
                            reads.add(pool.submit(() -> {
                                byte[] out = new byte[126];
                                examples.read(index, out, 0);
                                return out;
                            }));
                        }
                    }
                    for (int j = 0; j < reads.size(); j++) {
                        assertArrayEquals(example(j % 21), reads.get(j).get(), layout + ": example " + j % 21);
                    }
                } finally {
                    pool.shutdown();
                }
            }
        }
    }

    @Test
    void aContiguousFileIsHeldOpenByNoReaderAndAChunkedOneOnceUntilClosed() throws Exception {
        Path contiguous = signs(dir.resolve("contiguous.h5"), "train", 21, CONTIGUOUS);
        Path chunked = signs(dir.resolve("chunked.h5"), "train", 21, CHUNKED);
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "Linux's /proc");
        Hdf5Examples mapped = Hdf5Examples.open(contiguous, "train_set_x", "train_set_y", "list_classes", false);
        Hdf5Examples sliced = Hdf5Examples.open(chunked, "train_set_x", "train_set_y", "list_classes", false);
        DataConfig config = config(DataConfig.Cache.NONE);
        for (int epoch = 0; epoch < 3; epoch++) {
            StreamingMatchesInMemoryTest.all(BatchStream.training(mapped, new ImageShape(6, 7, 3), 4, config, epoch, 0));
            StreamingMatchesInMemoryTest.all(BatchStream.training(sliced, new ImageShape(6, 7, 3), 4, config, epoch, 0));
        }
        assertEquals(0, openDescriptors(contiguous), "the mapped dataset needs no open file");
        assertEquals(1, openDescriptors(chunked), "one open file for every batch and thread");
        sliced.close();
        assertEquals(0, openDescriptors(chunked));
        byte[] out = new byte[126];
        sliced.read(3, out, 0);
        assertArrayEquals(example(3), out, "a read after close opens the file again");
        sliced.close();
    }

    private static long openDescriptors(Path file) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(file.toAbsolutePath());
                } catch (IOException e) {
                    return false; // closed while listed
                }
            }).count();
        }
    }

    @Test
    void aMappedDatasetSpansSegmentsOfWholeExamples() throws Exception {
        Path file = signs(dir.resolve("segments.h5"), "train", 21, CONTIGUOUS);
        long offset;
        try (HdfFile hdf = new HdfFile(file)) {
            offset = hdf.getUserBlockSize()
                    + ((io.jhdf.api.dataset.ContiguousDataset) hdf.getDatasetByPath("train_set_x")).getDataAddress();
        }
        Hdf5MappedPixels pixels = Hdf5MappedPixels.map(file, offset, 21, new ImageShape(6, 7, 3), 4 * 126 + 100);
        assertEquals(6, pixels.segmentCount(), "21 examples, 4 to a segment");
        byte[] range = new byte[6 * 126];
        pixels.read(2, 6, range, 0);
        for (int j = 0; j < 6; j++) {
            assertArrayEquals(example(2 + j), java.util.Arrays.copyOfRange(range, j * 126, (j + 1) * 126), "example " + (2 + j));
        }
        IOException truncated = assertThrows(IOException.class,
                () -> Hdf5MappedPixels.map(file, Files.size(file) - 20 * 126, 21, new ImageShape(6, 7, 3), 1 << 20));
        assertTrue(truncated.getMessage().startsWith("the file ends inside the dataset"), truncated.getMessage());
    }
}
