package dev.specc.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specc.config.ColorMode;
import dev.specc.config.DataConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataSourcesTest {
    @TempDir
    Path dir;

    static DataConfig config(DataConfig.Source source, String path, double validationSplit, long seed) {
        DataConfig d = DataConfig.defaults();
        return new DataConfig(source, path, d.imageSize(), d.colorMode(), validationSplit, seed, d.rescale(),
                d.normalize(), d.augment(), 2, d.prefetch(), d.classNames(), d.hdf5(), d.cache(), null);
    }

    /** 50 training images whose first pixel is their index, labels index % 5; 7 test images. */
    private Path idxFolder() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data/digits"));
        byte[] pixels = new byte[50 * 4];
        int[] labels = new int[50];
        for (int i = 0; i < 50; i++) {
            pixels[i * 4] = (byte) i;
            labels[i] = i % 5;
        }
        IdxWriter.writeImages(data.resolve("train-images-idx3-ubyte.gz"), 2, 2, pixels);
        IdxWriter.writeLabels(data.resolve("train-labels-idx1-ubyte.gz"), labels);
        IdxWriter.writeImages(data.resolve("t10k-images-idx3-ubyte"), 2, 2, new byte[7 * 4]);
        IdxWriter.writeLabels(data.resolve("t10k-labels-idx1-ubyte"), new int[7]);
        return data;
    }

    private static Set<Integer> firstPixels(Examples examples) throws java.io.IOException {
        ImageSet set = Materialized.of(examples);
        Set<Integer> values = new HashSet<>();
        for (int i = 0; i < set.size(); i++) values.add(set.pixels()[i * set.shape().values()] & 0xFF);
        return values;
    }

    @Test
    void validationIsADeterministicSeededFraction() throws Exception {
        idxFolder();
        Path spec = Files.createDirectories(dir.resolve("specs")).resolve("net.yaml");
        Splits a = DataSources.load(config(DataConfig.Source.IDX, "data/digits", 0.2, 7), spec, new ArrayList<>(), 0);
        Splits b = DataSources.load(config(DataConfig.Source.IDX, "data/digits", 0.2, 7), spec, new ArrayList<>(), 0);
        Splits other = DataSources.load(config(DataConfig.Source.IDX, "data/digits", 0.2, 8), spec, new ArrayList<>(), 0);
        assertEquals(40, a.train().size());
        assertEquals(10, a.validation().size());
        assertEquals(7, a.test().size());
        assertEquals(List.of("0", "1", "2", "3", "4"), a.train().classNames());
        assertArrayEquals(Materialized.of(a.validation()).pixels(), Materialized.of(b.validation()).pixels());
        assertNotEquals(firstPixels(a.validation()), firstPixels(other.validation()));
        Set<Integer> all = new HashSet<>(firstPixels(a.train()));
        all.addAll(firstPixels(a.validation()));
        assertEquals(50, all.size(), "train and validation partition the training files");
        assertEquals("10 training images: the last 20% of a shuffle with seed 7", a.validationDescription());
        assertTrue(a.testDescription().startsWith("7 images of idx t10k-images-idx3-ubyte"), a.testDescription());
    }

    @Test
    void zeroSplitKeepsEverythingForTraining() throws Exception {
        Path data = idxFolder();
        Splits splits = DataSources.load(config(DataConfig.Source.IDX, data.toString(), 0, 1), dir.resolve("x.yaml"),
                new ArrayList<>(), 0);
        assertEquals(50, splits.train().size());
        assertEquals(0, splits.validation().size());
    }

    @Test
    void folderWithoutTestSubfolderTestsOnTheValidationSet() throws Exception {
        for (int i = 0; i < 10; i++) {
            ImageFolderTest.writeImage(dir.resolve("pics/" + (i % 2 == 0 ? "cats" : "dogs") + "/" + i + ".png"), "png",
                    6, 6, i * 0x111111);
        }
        List<String> warnings = new ArrayList<>();
        Splits splits = DataSources.load(config(DataConfig.Source.FOLDER, "pics", 0.3, 1), dir.resolve("s.yaml"), warnings, 0);
        assertEquals(7, splits.train().size());
        assertEquals(3, splits.validation().size());
        assertEquals(splits.validation(), splits.test());
        assertEquals("validation", splits.evaluatedSplit(), "what a test evaluation evaluates is named");
        assertEquals(new ImageShape(256, 256, 3), splits.train().shape(), "Keras' default size");
        assertTrue(splits.testDescription().startsWith("the validation set stands in (") , splits.testDescription());
    }

    @Test
    void folderWithTrainAndTestSubfoldersUsesThem() throws Exception {
        for (String split : List.of("train", "test")) {
            for (String label : List.of("a", "b")) {
                ImageFolderTest.writeImage(dir.resolve("pics/" + split + "/" + label + "/1.png"), "png", 4, 4, 0);
                ImageFolderTest.writeImage(dir.resolve("pics/" + split + "/" + label + "/2.png"), "png", 4, 4, 0);
            }
        }
        DataConfig d = config(DataConfig.Source.FOLDER, "pics", 0.5, 1);
        DataConfig small = new DataConfig(d.source(), d.path(), new DataConfig.ImageSize(4, 4), ColorMode.GRAYSCALE,
                d.validationSplit(), d.seed(), d.rescale(), null, d.augment(), 1, 1, null, null, null, null);
        Splits splits = DataSources.load(small, dir.resolve("s.yaml"), new ArrayList<>(), 0);
        assertEquals(2, splits.train().size());
        assertEquals(2, splits.validation().size());
        assertEquals(4, splits.test().size());
        assertEquals("test", splits.evaluatedSplit());
        assertEquals(new ImageShape(4, 4, 1), splits.test().shape());
    }

    @Test
    void missingPathsAreNamed() {
        DataException e = assertThrows(DataException.class, () -> DataSources.load(
                config(DataConfig.Source.CIFAR10, "nowhere", 0.1, 1), dir.resolve("s.yaml"), new ArrayList<>(), 0));
        assertEquals("data.path: no such file or folder: nowhere, neither in " + dir + " nor in a folder above it", e.getMessage());
    }

    @Test
    void theShippedSubsetHasThreeHundredAndOneHundredPerClass() throws Exception {
        Path spec = Path.of("..", "examples", "small_cnn_28.yaml");
        Splits splits = DataSources.load(config(DataConfig.Source.FASHION_MNIST_SUBSET, null, 0, 1), spec,
                new ArrayList<>(), 0);
        assertEquals(3000, splits.train().size());
        assertEquals(1000, splits.test().size());
        int[] train = new int[10];
        int[] test = new int[10];
        Arrays.fill(train, 300);
        Arrays.fill(test, 100);
        assertArrayEquals(train, splits.train().countPerClass());
        assertArrayEquals(test, splits.test().countPerClass());
        assertEquals(new ImageShape(28, 28, 1), splits.train().shape());
        assertEquals(DataSources.FASHION_MNIST_CLASSES, splits.train().classNames());

        Splits withValidation = DataSources.load(DataConfig.defaults(), spec, new ArrayList<>(), 0);
        assertEquals(2700, withValidation.train().size());
        assertEquals(300, withValidation.validation().size());
    }
}
