package dev.specc.config;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Where the files of a {@code data:} section are on this machine, and whether they are laid out
 * as the source's reader expects. Nothing is read but folder listings, so {@code validate} can
 * check it as cheaply as {@code run}. Relative paths are looked up from the spec's folder upwards.
 */
public final class DataLocation {
    public static final Path FASHION_MNIST_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    public static final Path MNIST_DIR = Path.of("/usr/share/datasets/mnist");
    public static final String SUBSET_DIR = "data/fashion-mnist-subset";
    public static final List<String> CIFAR_TRAINING_FILES = List.of("data_batch_1.bin", "data_batch_2.bin",
            "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin");
    public static final String CIFAR_TEST_FILE = "test_batch.bin";
    /** The class names beside CIFAR-10's batches, one a line; without it the ten standard ones. */
    public static final String CIFAR_META = "batches.meta.txt";
    public static final List<String> CIFAR_STANDARD_CLASSES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog",
            "frog", "horse", "ship", "truck");
    /** The folder the CIFAR-10 binary archive unpacks to. */
    public static final String CIFAR_UNPACKED = "cifar-10-batches-bin";

    /** Data that is not where the spec says, or not laid out as its source needs. */
    public static final class NotFound extends Exception {
        private final boolean written;
        private final String key;

        NotFound(String message, boolean written) {
            this(message, written, null);
        }

        NotFound(String message, boolean written, String key) {
            super(message);
            this.written = written;
            this.key = key;
        }

        /** The data: key at fault ("test_path", "datasets.train_x"); null for the source's path or place. */
        public String key() {
            return key;
        }

        /** Whether the spec (or --data) named the location; false for a source's default location. */
        public boolean written() {
            return written;
        }
    }

    private DataLocation() {
    }

    /** The folder that holds the source's files (for CIFAR-10 the one with the batches), checked. */
    public static Path find(DataConfig config, Path specFile) throws NotFound {
        Path specDir = specFile.toAbsolutePath().normalize().getParent();
        boolean written = config.path() != null;
        Path dir = switch (config.source()) {
            case FASHION_MNIST_SUBSET -> written ? resolve(config.path(), specDir) : shippedSubset(specDir);
            case FASHION_MNIST -> written ? resolve(config.path(), specDir) : installed(FASHION_MNIST_DIR, "Fashion-MNIST",
                    "install the Debian package dataset-fashion-mnist (apt-get install dataset-fashion-mnist)");
            case MNIST -> written ? resolve(config.path(), specDir) : installed(MNIST_DIR, "MNIST", "put its four IDX files there");
            case IDX, FOLDER, SEGMENTATION -> resolve(config.path(), specDir);
            case CIFAR10 -> cifarBatches(resolve(config.path(), specDir));
            case HDF5 -> {
                hdf5(config, specFile);
                yield resolve(config.path(), specDir);
            }
        };
        String problem = switch (config.source()) {
            case HDF5 -> null;
            case CIFAR10 -> cifarProblem(dir);
            case FOLDER -> folderProblem(dir, config.classNames());
            case SEGMENTATION -> SegmentationLayout.problem(dir);
            default -> idxProblem(dir);
        };
        if (problem != null) throw new NotFound(problem, written);
        return dir;
    }

    /** The files of an hdf5 source (test null when data.test_path is not written), found as {@link #find} finds them. */
    public record Hdf5Files(Path train, Path test) {
    }

    public static Hdf5Files hdf5Files(DataConfig config, Path specFile) throws NotFound {
        Path specDir = specFile.toAbsolutePath().normalize().getParent();
        Path train = resolve(config.path(), specDir);
        String testPath = config.hdf5().testPath();
        Path test;
        try {
            test = testPath == null ? null : resolve(testPath, specDir);
        } catch (NotFound e) {
            throw new NotFound(e.getMessage(), true, "test_path");
        }
        return new Hdf5Files(train, test);
    }

    /**
     * The contents of an hdf5 source's files, checked (datasets, shapes, types, labels, and
     * data.class_names against the labels): the training file's, then the test file's when there is one.
     */
    public static List<Hdf5Data.Contents> hdf5(DataConfig config, Path specFile) throws NotFound {
        Hdf5Files files = hdf5Files(config, specFile);
        Hdf5Config names = config.hdf5();
        List<Hdf5Data.Contents> contents = new ArrayList<>();
        try {
            contents.add(Hdf5Data.inspect(files.train(), names.trainImages(), "datasets.train_x", names.trainLabels(),
                    "datasets.train_y", names.classes(), names.classesWritten(), "path"));
            if (files.test() != null) {
                contents.add(Hdf5Data.inspect(files.test(), names.testImages(), "datasets.test_x", names.testLabels(),
                        "datasets.test_y", names.classes(), false, "test_path"));
            }
        } catch (Hdf5Data.Problem e) {
            throw new NotFound(e.getMessage(), true, e.key());
        }
        if (config.classNames() != null) {
            for (Hdf5Data.Contents c : contents) {
                if (c.maxLabel() >= config.classNames().size()) {
                    throw new NotFound(c.file() + ": a label is " + c.maxLabel() + ", but data.class_names lists "
                            + config.classNames().size() + " classes", true, "class_names");
                }
            }
        }
        return contents;
    }

    /** {@code path}, or its {@code cifar-10-batches-bin} subfolder as the archive unpacks. */
    public static Path cifarBatches(Path path) {
        Path unpacked = path.resolve(CIFAR_UNPACKED);
        return Files.isDirectory(unpacked) ? unpacked : path;
    }

    /** {@code prefix-kind-idxN-ubyte.gz} or the same without .gz in {@code dir} (prefix train or t10k), or null. */
    public static Path idxFile(Path dir, String prefix, String kind) {
        String name = prefix + "-" + kind + (kind.equals("images") ? "-idx3-ubyte" : "-idx1-ubyte");
        for (String candidate : List.of(name + ".gz", name)) {
            Path file = dir.resolve(candidate);
            if (Files.isRegularFile(file)) return file;
        }
        return null;
    }

    /** Which source a path given as {@code --data PATH} holds, judged by its files. */
    public static DataConfig.Source sourceAt(Path path) {
        if (Files.isRegularFile(path) && Hdf5Data.isHdf5(path)) return DataConfig.Source.HDF5;
        if (Files.isRegularFile(cifarBatches(path).resolve(CIFAR_TRAINING_FILES.get(0)))) return DataConfig.Source.CIFAR10;
        if (idxFile(path, "train", "images") != null) return DataConfig.Source.IDX;
        if (SegmentationLayout.looksLike(path)) return DataConfig.Source.SEGMENTATION;
        return DataConfig.Source.FOLDER;
    }

    /** The folder of a folder source's training images: its train/ subfolder when it has train/ and test/. */
    public static Path folderTrainDir(Path dir) {
        boolean split = Files.isDirectory(dir.resolve("train")) && Files.isDirectory(dir.resolve("test"));
        return split ? dir.resolve("train") : dir;
    }

    /** The class subfolders of a folder of images, sorted: the classes a folder source reads, in label order. */
    public static List<String> classFolders(Path dir) throws IOException {
        try (Stream<Path> children = Files.list(dir)) {
            return children.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /**
     * The number of classes of an IDX source without class names, as its reader counts them: the
     * largest label of the train (and t10k) labels files plus one; null when a file cannot be read
     * as IDX labels (the reader then says what is wrong with it).
     */
    public static Integer idxClassCount(Path dir) {
        int largest = -1;
        boolean test = idxFile(dir, "t10k", "images") != null && idxFile(dir, "t10k", "labels") != null;
        for (String prefix : test ? List.of("train", "t10k") : List.of("train")) {
            Path labels = idxFile(dir, prefix, "labels");
            if (labels == null) return null;
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(unzipped(labels)))) {
                if (in.readInt() != IDX_LABELS_MAGIC) return null;
                int count = in.readInt();
                for (int i = 0; i < count; i++) largest = Math.max(largest, in.readUnsignedByte());
            } catch (IOException e) {
                return null;
            }
        }
        return largest + 1;
    }

    /** CIFAR-10's class names in {@code dir}: its batches.meta.txt, or the standard ten when it has none. */
    public static List<String> cifarClassNames(Path dir) throws IOException {
        Path meta = dir.resolve(CIFAR_META);
        if (!Files.isRegularFile(meta)) return CIFAR_STANDARD_CLASSES;
        List<String> names = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(meta, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) names.add(line.strip());
            }
        } catch (IOException e) {
            throw new IOException(meta + ": cannot read: " + e.getMessage(), e);
        }
        if (names.isEmpty()) throw new IOException(meta + ": no class names");
        return List.copyOf(names);
    }

    /** The magic number of an IDX file of unsigned-byte labels (idx1). */
    public static final int IDX_LABELS_MAGIC = 0x00000801;

    /** A file's bytes, gunzipped when they are gzip's (recognised by content, not by name). */
    public static InputStream unzipped(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file));
        try {
            raw.mark(2);
            boolean gzipped = raw.read() == 0x1f && raw.read() == 0x8b;
            raw.reset();
            return gzipped ? new GZIPInputStream(raw) : raw;
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    private static String idxProblem(Path dir) {
        if (!Files.isDirectory(dir)) return dir + " is not a folder";
        if (idxFile(dir, "train", "images") == null || idxFile(dir, "train", "labels") == null) {
            return dir + ": no train-images-idx3-ubyte[.gz] and train-labels-idx1-ubyte[.gz]";
        }
        return null;
    }

    private static String cifarProblem(Path dir) {
        if (!Files.isDirectory(dir)) return dir + " is not a folder";
        for (String name : CIFAR_TRAINING_FILES) {
            if (!Files.isRegularFile(dir.resolve(name))) {
                return dir + ": no " + name + " (the CIFAR-10 binary version has data_batch_1..5.bin and test_batch.bin)";
            }
        }
        return null;
    }

    private static String folderProblem(Path dir, List<String> classNames) {
        if (!Files.isDirectory(dir)) return dir + " is not a folder";
        Path classes = folderTrainDir(dir);
        if (classNames != null) {
            for (String name : classNames) {
                if (!Files.isDirectory(classes.resolve(name))) return classes + ": no folder for class '" + name + "'";
            }
            return null;
        }
        try {
            if (classFolders(classes).isEmpty()) {
                return classes + ": no class subfolders (one folder of images per class is expected)";
            }
        } catch (IOException e) {
            return classes + ": cannot list: " + e.getMessage();
        }
        return null;
    }

    private static Path shippedSubset(Path specDir) throws NotFound {
        for (Path dir = specDir; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(SUBSET_DIR);
            if (Files.isDirectory(candidate)) return candidate;
        }
        throw new NotFound("no " + SUBSET_DIR + " in " + specDir + " or any folder above it; the subset ships "
                + "with the specc repository (or set data.path to a folder with Fashion-MNIST IDX files)", false);
    }

    private static Path installed(Path dir, String name, String remedy) throws NotFound {
        if (Files.isDirectory(dir)) return dir;
        throw new NotFound(name + " is not installed at " + dir + ": " + remedy
                + ", or set data.path to a folder with its IDX files", false);
    }

    /** An absolute path as written; a relative one from the spec's folder or the nearest folder above that has it. */
    private static Path resolve(String path, Path specDir) throws NotFound {
        Path written;
        try {
            written = Path.of(path);
        } catch (InvalidPathException e) {
            throw new NotFound("not a valid path: " + e.getMessage(), true);
        }
        if (written.isAbsolute()) {
            if (Files.exists(written)) return written;
            throw new NotFound("no such file or folder: " + written, true);
        }
        for (Path dir = specDir; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(written).normalize();
            if (Files.exists(candidate)) return candidate;
        }
        throw new NotFound("no such file or folder: " + path + ", neither in " + specDir + " nor in a folder above it", true);
    }
}
