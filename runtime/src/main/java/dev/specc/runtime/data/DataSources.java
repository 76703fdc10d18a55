package dev.specc.runtime.data;

import dev.specc.config.ColorMode;
import dev.specc.config.DataConfig;
import dev.specc.config.DataLocation;
import dev.specc.config.Hdf5Config;
import dev.specc.config.Hdf5Data;
import dev.specc.runtime.report.Plural;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Lists the train, validation and test sets named by a {@link DataConfig}, and caches them as
 * {@code data.cache} says (see {@link DataCaches}). Image folders are listed, not decoded: their
 * examples are decoded when a batch (or the memory or disk cache) reads them, and HDF5 examples
 * are sliced out of their dataset likewise. IDX and CIFAR-10 files are small and read whole.
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
     * Lists the data of a spec and applies its cache ({@link DataSettings#defaults}). Relative paths
     * are looked up from the spec file's folder upwards. Files left out are described in
     * {@code warnings}, for the caller to print.
     */
    public static Splits load(DataConfig config, Path specFile, List<String> warnings, int threads) throws DataException {
        return load(config, specFile, warnings, DataSettings.defaults(threads));
    }

    public static Splits load(DataConfig config, Path specFile, List<String> warnings, DataSettings cache)
            throws DataException {
        Path dir;
        try {
            dir = DataLocation.find(config, specFile);
        } catch (DataLocation.NotFound e) {
            throw new DataException("data." + (e.key() == null ? "path" : e.key()) + ": "
                    + e.getMessage().replace(Hdf5Data.DEFAULT_MARK, ""));
        }
        Listed listed = switch (config.source()) {
            case FASHION_MNIST_SUBSET, FASHION_MNIST -> idx(config, dir, FASHION_MNIST_CLASSES);
            case MNIST -> idx(config, dir, DIGITS);
            case IDX -> idx(config, dir, null);
            case CIFAR10 -> cifar(config, dir);
            case FOLDER -> folder(config, dir, cache.threads());
            case HDF5 -> hdf5(config, specFile);
            case SEGMENTATION -> throw new IllegalArgumentException("image/mask pairs are read by SegmentationData");
        };
        return split(config, listed, cache, warnings);
    }

    /**
     * A source's listing before caching and splitting: its training examples and its own test examples
     * (null without), each with its origin (a folder or file, naming a disk cache) and a description.
     */
    private record Listed(Listing train, String trainOrigin, String trainWhat, Listing test, String testOrigin,
                          String testWhat, String whyNoTest) {
    }

    /**
     * The images of data.path's HDF5 file, and of data.test_path's as the test split when it is written,
     * read from the files when a batch (or a cache) reads them; the labels are read now.
     */
    private static Listed hdf5(DataConfig config, Path specFile) throws DataException {
        DataLocation.Hdf5Files files;
        try {
            files = DataLocation.hdf5Files(config, specFile);
        } catch (DataLocation.NotFound e) {
            throw new DataException("data." + (e.key() == null ? "path" : e.key()) + ": " + e.getMessage());
        }
        Hdf5Config names = config.hdf5();
        Hdf5Examples train = Hdf5Examples.open(files.train(), names.trainImages(), names.trainLabels(), names.classes(),
                names.classesWritten());
        Hdf5Examples test;
        try {
            test = files.test() == null ? null : Hdf5Examples.open(files.test(), names.testImages(), names.testLabels(),
                    names.classes(), false);
        } catch (DataException e) {
            train.close();
            throw e;
        }
        int classes = Math.max(train.classCount(), test == null ? 0 : test.classCount());
        List<String> classNames = config.classNames() != null ? config.classNames()
                : train.fileClassNames() != null && train.fileClassNames().size() == classes ? train.fileClassNames()
                : numbered(classes);
        String what = "'" + names.trainImages() + "' of " + files.train();
        return new Listed(listed(train.withClassNames(classNames)), files.train().toString(), what,
                test == null ? null : listed(test.withClassNames(classNames)), test == null ? null : files.test().toString(),
                test == null ? null : "images of '" + names.testImages() + "' of " + files.test(),
                "data.test_path is not set");
    }

    private static Listing listed(Examples examples) {
        return new Listing(examples, List.of());
    }

    private static Listed idx(DataConfig config, Path dir, List<String> standardNames) throws DataException {
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
        String testWhat = hasTest ? "images of " + config.source().spelling() + " " + testImages.getFileName() + " (" + dir + ")" : null;
        return new Listed(whole(train), trainImages.toString(), what + " (" + dir + ")", hasTest ? whole(test) : null,
                hasTest ? testImages.toString() : null, testWhat, "there are no t10k-* files in " + dir);
    }

    private static Listed cifar(DataConfig config, Path dir) throws DataException {
        List<String> names = config.classNames() != null ? config.classNames() : CifarBatches.classNames(dir);
        List<Path> trainFiles = CifarBatches.TRAINING_FILES.stream().map(dir::resolve).toList();
        ImageSet train = CifarBatches.read(trainFiles, names);
        Path testFile = dir.resolve(CifarBatches.TEST_FILE);
        boolean hasTest = Files.isRegularFile(testFile);
        ImageSet test = hasTest ? CifarBatches.read(List.of(testFile), names) : null;
        return new Listed(whole(train), dir.toString(), "cifar10 data_batch_1..5.bin (" + dir + ")",
                hasTest ? whole(test) : null, testFile.toString(), "images of cifar10 " + testFile, "there is no " + testFile);
    }

    private static Listing whole(ImageSet set) {
        return new Listing(set, List.of());
    }

    private static Listed folder(DataConfig config, Path dir, int threads) throws DataException {
        DataConfig.ImageSize size = config.imageSize() != null ? config.imageSize() : FOLDER_DEFAULT_SIZE;
        ColorMode mode = config.colorMode() != null ? config.colorMode() : ColorMode.RGB;
        Path trainDir = DataLocation.folderTrainDir(dir);
        boolean hasTest = !trainDir.equals(dir);
        Listing train = ImageFolder.list(trainDir, size, mode, config.classNames(), config.workers(), threads);
        Path testDir = dir.resolve("test");
        Listing test = hasTest
                ? ImageFolder.list(testDir, size, mode, train.examples().classNames(), config.workers(), threads)
                : null;
        String resized = ", resized to " + size + " " + mode.name().toLowerCase(Locale.ROOT);
        return new Listed(train, trainDir.toAbsolutePath().toString(), "images of " + trainDir + resized, test,
                testDir.toAbsolutePath().toString(), hasTest ? "images of " + testDir + resized : null,
                dir + " has no train/ and test/ subfolders");
    }

    /**
     * Caches the listed examples as {@code data.cache} says, then takes validation examples from the
     * training ones; without a test set of its own the validation set stands in.
     */
    private static Splits split(DataConfig config, Listed listed, DataSettings settings, List<String> warnings)
            throws DataException {
        Examples listedTrain = listed.train().examples();
        long decoded = listedTrain.decodedBytes() + (listed.test() == null ? 0 : listed.test().examples().decodedBytes());
        DataCaches caches = new DataCaches(config, settings, decoded, listedTrain.inMemory());
        List<String> notes = new ArrayList<>();
        Listing trainListing = caches.apply(listed.train(), listed.trainOrigin(), notes);
        Listing testListing = listed.test() == null ? null : caches.apply(listed.test(), listed.testOrigin(), notes);
        warnings.addAll(trainListing.warnings());
        if (testListing != null) warnings.addAll(testListing.warnings());
        String cache = caches.describe() + notes.stream().map(n -> "; " + n).reduce("", String::concat);

        Examples all = trainListing.examples();
        int[] order = Seeds.permutation(all.size(), Seeds.derive(Seeds.SPLIT, config.seed(), 0, 0));
        int validationCount = (int) Math.floor(config.validationSplit() * all.size());
        int trainCount = all.size() - validationCount;
        Examples train = all.select(sorted(Arrays.copyOfRange(order, 0, trainCount)));
        Examples validation = all.select(sorted(Arrays.copyOfRange(order, trainCount, all.size())));
        String shape = ", " + all.shape() + ", " + Plural.of(all.classCount(), "class");
        String trainDescription = trainCount + " of " + all.size() + " " + listed.trainWhat() + shape
                + skippedNote(trainListing.skipped());
        String validationDescription = validationCount == 0 ? "none (validation_split is 0)"
                : validationCount + " training images: the last " + percent(config.validationSplit())
                + " of a shuffle with seed " + config.seed();
        int skipped = trainListing.skipped() + (testListing == null ? 0 : testListing.skipped());
        if (testListing != null) {
            String testDescription = testListing.examples().size() + " " + listed.testWhat()
                    + skippedNote(testListing.skipped());
            return new Splits(train, validation, testListing.examples(), trainDescription, validationDescription,
                    testDescription, skipped, cache, new SkipLog());
        }
        return new Splits(train, validation, validation, trainDescription, validationDescription,
                "the validation set stands in (" + listed.whyNoTest() + ")", skipped, cache, new SkipLog());
    }

    private static String skippedNote(int skipped) {
        return skipped == 0 ? "" : " (" + Plural.of(skipped, "file") + " could not be decoded and " + (skipped == 1 ? "was" : "were")
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
