package dev.specc.runtime.data;

import dev.specc.config.Hdf5Data;
import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.dataset.ContiguousDataset;
import io.jhdf.exceptions.HdfException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The examples of one HDF5 file of the hdf5 source, read on demand: example {@code i} (or a range)
 * is sliced out of the images dataset into a caller's uint8 HWC buffer, so nothing holds the whole
 * dataset. Labels and class names are read once when the file is opened (checked as validate checks
 * them, {@link Hdf5Data#inspect}). A contiguous, unfiltered dataset (what h5py writes by default) is
 * memory-mapped at its file offset ({@link Hdf5MappedPixels}); chunked or compressed ones are read
 * through jhdf's slicing ({@link Hdf5ChunkedPixels}). Safe for concurrent readers.
 */
public final class Hdf5Examples implements Examples, AutoCloseable {
    /** Where the pixels come from: {@code count} examples from {@code first}, one after another, into {@code out}. */
    interface Pixels extends AutoCloseable {
        void read(int first, int count, byte[] out, int offset) throws IOException;

        @Override
        void close();
    }

    private final Hdf5Data.Contents contents;
    private final ImageShape shape;
    private final Pixels pixels;
    private final List<String> classNames;

    private Hdf5Examples(Hdf5Data.Contents contents, ImageShape shape, Pixels pixels, List<String> classNames) {
        this.contents = contents;
        this.shape = shape;
        this.pixels = pixels;
        this.classNames = List.copyOf(classNames);
    }

    /**
     * Opens {@code file}'s images and labels datasets (and its class dataset, when present or
     * {@code classesRequired}). The class names are the file's, else {@code 0}, {@code 1}, ...
     * ({@link #withClassNames} chooses others).
     *
     * @throws DataException naming the file and the dataset when they are not as the source needs
     */
    public static Hdf5Examples open(Path file, String imagesName, String labelsName, String classesName,
                                    boolean classesRequired) throws DataException {
        Hdf5Data.Contents contents;
        try {
            contents = Hdf5Data.inspect(file, imagesName, "datasets", labelsName, "datasets", classesName,
                    classesRequired, "path");
        } catch (Hdf5Data.Problem e) {
            throw new DataException(e.getMessage().replace(Hdf5Data.DEFAULT_MARK, ""));
        }
        ImageShape shape = new ImageShape(contents.height(), contents.width(), contents.channels());
        int count = Math.toIntExact(contents.examples());
        HdfFile hdf = null;
        try {
            hdf = new HdfFile(file);
            Dataset images = hdf.getDatasetByPath(imagesName);
            Pixels pixels;
            if (images instanceof ContiguousDataset contiguous && images.getFilters().isEmpty()
                    && contiguous.getDataAddress() >= 0) {
                pixels = Hdf5MappedPixels.map(file, hdf.getUserBlockSize() + contiguous.getDataAddress(), count, shape);
                hdf.close();
            } else {
                pixels = new Hdf5ChunkedPixels(file, imagesName, hdf);
            }
            hdf = null;
            List<String> names = contents.classNames() != null && contents.classNames().size() == contents.classCount()
                    ? contents.classNames() : numbered(contents.classCount());
            return new Hdf5Examples(contents, shape, pixels, names);
        } catch (IOException | HdfException e) {
            if (hdf != null) hdf.close();
            throw new DataException(file + ": cannot read dataset '" + imagesName + "': " + e.getMessage());
        }
    }

    /** The same examples, reading the same file, with {@code names} as their classes. */
    public Hdf5Examples withClassNames(List<String> names) {
        return new Hdf5Examples(contents, shape, pixels, names);
    }

    public Path file() {
        return contents.file();
    }

    @Override
    public int size() {
        return Math.toIntExact(contents.examples());
    }

    @Override
    public ImageShape shape() {
        return shape;
    }

    @Override
    public int label(int index) {
        return contents.labels()[index];
    }

    /** The labels of every example, in file order (a copy). */
    public int[] labels() {
        return contents.labels().clone();
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    /** The class dataset's names (numbers as text), or null when the file has none. */
    public List<String> fileClassNames() {
        return contents.classNames();
    }

    /** The class count the labels need: the class dataset's, else the largest label plus one. */
    @Override
    public int classCount() {
        return contents.classCount();
    }

    /** Reads example {@code index} as uint8 HWC pixels into {@code out} at {@code offset}. Thread-safe. */
    @Override
    public void read(int index, byte[] out, int offset) throws IOException {
        read(index, 1, out, offset);
    }

    /** Reads {@code count} consecutive examples from {@code first} into {@code out} at {@code offset}, one after another. */
    public void read(int first, int count, byte[] out, int offset) throws IOException {
        if (first < 0 || count < 0 || first + (long) count > size()) {
            throw new IndexOutOfBoundsException("examples " + first + ".." + (first + count) + " of " + size());
        }
        try {
            pixels.read(first, count, out, offset);
        } catch (IOException | HdfException e) {
            throw new IOException(file() + ": cannot read " + (count == 1 ? "example " + first : "examples " + first + ".."
                    + (first + count - 1)) + " of dataset '" + contents.images() + "': " + e.getMessage(), e);
        }
    }

    @Override
    public String describe(int index) {
        return file() + ": example " + index + " of dataset '" + contents.images() + "'";
    }

    /** The file's path, size and modification time, and the images dataset's name, as a SHA-256 in hex. */
    @Override
    public String fingerprint() throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file(), BasicFileAttributes.class);
        MessageDigest sha = ImageFiles.sha256();
        sha.update((file().toAbsolutePath() + "\0" + attributes.size() + "\0" + attributes.lastModifiedTime().toMillis()
                + "\0" + contents.images()).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(sha.digest());
    }

    /** Releases the file (a chunked dataset's open file; a mapped one holds none). Reading after it reopens the file. */
    @Override
    public void close() {
        pixels.close();
    }

    private static List<String> numbered(int count) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) names.add(String.valueOf(i));
        return names;
    }
}
