package dev.specc.runtime.data;

import dev.specc.config.ColorMode;
import dev.specc.config.DataConfig;
import dev.specc.config.DataLocation;
import dev.specc.runtime.report.Plural;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Loads the train, validation and test sets named by a {@link DataConfig}.
 *
 * <p>Validation examples are taken from the training set as Keras does with a seed: the file
 * order is shuffled with the seed and the last {@code validation_split} fraction (rounded down)
 * becomes the validation set; both parts then keep file order. The same seed always gives the
 * same split. The test set is the source's own (IDX t10k files, CIFAR test_batch.bin, a folder's
 * test/ subfolder); a source without one uses the validation set as its test set and says so.
 */
public final class DataSources {
    public static final List<String> FASHION_MNIST_CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress",
            "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    public static final List<String> DIGITS = numbered(10);
    /** Keras' default size for images read from folders. */
    public static final DataConfig.ImageSize FOLDER_DEFAULT_SIZE = new DataConfig.ImageSize(256, 256);

    private DataSources() {
    }

    /**
     * Reads the data of a spec. Relative paths are looked up from the spec file's folder upwards.
     * Undecodable files are skipped and described in {@code warnings}, for the caller to print.
     */
    public static Splits load(DataConfig config, Path specFile, List<String> warnings) throws DataException {
        Path dir;
        try {
            dir = DataLocation.find(config, specFile);
        } catch (DataLocation.NotFound e) {
            throw new DataException("data.path: " + e.getMessage());
        }
        return switch (config.source()) {
            case FASHION_MNIST_SUBSET, FASHION_MNIST -> idx(config, dir, FASHION_MNIST_CLASSES);
            case MNIST -> idx(config, dir, DIGITS);
            case IDX -> idx(config, dir, null);
            case CIFAR10 -> cifar(config, dir);
            case FOLDER -> folder(config, dir, warnings);
            case SEGMENTATION -> throw new IllegalArgumentException("image/mask pairs are read by SegmentationData");
        };
    }

    private static Splits idx(DataConfig config, Path dir, List<String> standardNames) throws DataException {
        Path trainImages = IdxFiles.imagesFile(dir, "train");
        Path trainLabels = IdxFiles.labelsFile(dir, "train");
        if (trainImages == null || trainLabels == null) {
            throw new DataException(dir + ": no train-images-idx3-ubyte[.gz] and train-labels-idx1-ubyte[.gz]");
        }
        Path testImages = IdxFiles.imagesFile(dir, "t10k");
        Path testLabels = IdxFiles.labelsFile(dir, "t10k");
        boolean hasTest = testImages != null && testLabels != null;
        List<String> names = config.classNames() != null ? config.classNames()
                : standardNames != null ? standardNames : numbered(256);
        ImageSet train = IdxFiles.read(trainImages, trainLabels, names);
        ImageSet test = hasTest ? IdxFiles.read(testImages, testLabels, names) : null;
        if (config.classNames() == null && standardNames == null) {
            List<String> used = numbered(Math.max(maxLabel(train), test == null ? -1 : maxLabel(test)) + 1);
            train = train.withClassNames(used);
            test = test == null ? null : test.withClassNames(used);
        }
        String what = config.source().spelling() + " " + trainImages.getFileName();
        String testWhat = hasTest ? test.size() + " images of " + config.source().spelling() + " "
                + testImages.getFileName() + " (" + dir + ")" : null;
        return split(config, train, what + " (" + dir + ")", test, testWhat, "there are no t10k-* files in " + dir);
    }

    private static Splits cifar(DataConfig config, Path dir) throws DataException {
        List<String> names = config.classNames() != null ? config.classNames() : CifarBatches.classNames(dir);
        List<Path> trainFiles = CifarBatches.TRAINING_FILES.stream().map(dir::resolve).toList();
        ImageSet train = CifarBatches.read(trainFiles, names);
        Path testFile = dir.resolve(CifarBatches.TEST_FILE);
        boolean hasTest = Files.isRegularFile(testFile);
        ImageSet test = hasTest ? CifarBatches.read(List.of(testFile), names) : null;
        return split(config, train, "cifar10 data_batch_1..5.bin (" + dir + ")", test,
                hasTest ? test.size() + " images of cifar10 " + testFile : null, "there is no " + testFile);
    }

    private static Splits folder(DataConfig config, Path dir, List<String> warnings) throws DataException {
        DataConfig.ImageSize size = config.imageSize() != null ? config.imageSize() : FOLDER_DEFAULT_SIZE;
        ColorMode mode = config.colorMode() != null ? config.colorMode() : ColorMode.RGB;
        Path trainDir = DataLocation.folderTrainDir(dir);
        boolean hasTest = !trainDir.equals(dir);
        ImageSet train = ImageFolder.read(trainDir, size, mode, config.classNames(), config.workers(), warnings);
        ImageSet test = hasTest
                ? ImageFolder.read(dir.resolve("test"), size, mode, train.classNames(), config.workers(), warnings)
                : null;
        String resized = ", resized to " + size + " " + mode.name().toLowerCase(Locale.ROOT);
        return split(config, train, "images of " + trainDir + resized, test,
                hasTest ? test.size() + " images of " + dir.resolve("test") + resized + skippedNote(test) : null,
                dir + " has no train/ and test/ subfolders");
    }

    /** Takes validation examples from {@code train}; a null {@code test} means the validation set stands in. */
    private static Splits split(DataConfig config, ImageSet all, String trainWhat, ImageSet test, String testWhat,
                                String whyNoTest) {
        int[] order = Seeds.permutation(all.size(), Seeds.derive(Seeds.SPLIT, config.seed(), 0, 0));
        int validationCount = (int) Math.floor(config.validationSplit() * all.size());
        int trainCount = all.size() - validationCount;
        int[] trainIndices = sorted(Arrays.copyOfRange(order, 0, trainCount));
        int[] validationIndices = sorted(Arrays.copyOfRange(order, trainCount, all.size()));
        ImageSet train = all.select(trainIndices).withSkipped(all.skipped());
        ImageSet validation = all.select(validationIndices);
        String shape = ", " + all.shape() + ", " + Plural.of(all.classCount(), "class");
        String trainDescription = trainCount + " of " + all.size() + " " + trainWhat + shape + skippedNote(all);
        String validationDescription = validationCount == 0 ? "none (validation_split is 0)"
                : validationCount + " training images: the last " + percent(config.validationSplit())
                + " of a shuffle with seed " + config.seed();
        if (test != null) return new Splits(train, validation, test, trainDescription, validationDescription, testWhat);
        return new Splits(train, validation, validation, trainDescription, validationDescription,
                "the validation set stands in (" + whyNoTest + ")");
    }

    private static String skippedNote(ImageSet set) {
        return set.skipped() == 0 ? "" : " (" + Plural.of(set.skipped(), "file") + " could not be decoded and " + (set.skipped() == 1 ? "was" : "were")
                + " skipped)";
    }

    private static String percent(double fraction) {
        double percent = fraction * 100;
        return (percent == Math.rint(percent) ? String.valueOf((long) percent) : String.valueOf(percent)) + "%";
    }

    private static int[] sorted(int[] indices) {
        Arrays.sort(indices);
        return indices;
    }

    private static int maxLabel(ImageSet set) {
        int max = 0;
        for (int label : set.labels()) max = Math.max(max, label);
        return max;
    }

    private static List<String> numbered(int count) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) names.add(String.valueOf(i));
        return List.copyOf(names);
    }
}
