package dev.specc.runtime.data;

import dev.specc.config.Hdf5Data;
import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.dataset.ContiguousDataset;
import io.jhdf.dataset.DatasetBase;
import io.jhdf.exceptions.HdfException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The examples of one HDF5 file of the hdf5 source, read on demand: example {@code i} (or a range)
 * is sliced out of the images dataset into a caller's uint8 HWC buffer, so nothing holds the whole
 * dataset. Labels and class names are read once when the file is opened (checked as validate checks
 * them, {@link Hdf5Data#inspect}). A contiguous, unfiltered dataset (what h5py writes by default) is
 * read with positional reads at its file offset; chunked or compressed ones through jhdf's slicing.
 * Safe for concurrent readers.
 */
public final class Hdf5Examples implements AutoCloseable {
    private final Hdf5Data.Contents contents;
    private final HdfFile hdf;
    private final Dataset images;
    private final FileChannel channel;
    private final long dataOffset;
    private final ImageShape shape;

    private Hdf5Examples(Hdf5Data.Contents contents, HdfFile hdf, Dataset images, FileChannel channel, long dataOffset) {
        this.contents = contents;
        this.hdf = hdf;
        this.images = images;
        this.channel = channel;
        this.dataOffset = dataOffset;
        this.shape = new ImageShape(contents.height(), contents.width(), contents.channels());
    }

    /**
     * Opens {@code file}'s images and labels datasets (and its class dataset, when present or
     * {@code classesRequired}).
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
        HdfFile hdf = null;
        FileChannel channel = null;
        try {
            hdf = new HdfFile(file);
            Dataset images = hdf.getDatasetByPath(imagesName);
            long offset = -1;
            if (images instanceof ContiguousDataset contiguous && images.getFilters().isEmpty()
                    && contiguous.getDataAddress() >= 0) {
                channel = FileChannel.open(file, StandardOpenOption.READ);
                offset = hdf.getUserBlockSize() + contiguous.getDataAddress();
            }
            return new Hdf5Examples(contents, hdf, images, channel, offset);
        } catch (IOException | HdfException e) {
            closeQuietly(hdf, channel);
            throw new DataException(file + ": cannot read dataset '" + imagesName + "': " + e.getMessage());
        }
    }

    public Path file() {
        return contents.file();
    }

    public int size() {
        return Math.toIntExact(contents.examples());
    }

    public ImageShape shape() {
        return shape;
    }

    /** The labels of every example, in file order (a copy). */
    public int[] labels() {
        return contents.labels().clone();
    }

    /** The class dataset's names (numbers as text), or null when the file has none. */
    public List<String> classNames() {
        return contents.classNames();
    }

    /** The class count the labels need: the class dataset's, else the largest label plus one. */
    public int classCount() {
        return contents.classCount();
    }

    /** Reads example {@code index} as uint8 HWC pixels into {@code out} at {@code offset}. */
    public void read(int index, byte[] out, int offset) throws DataException {
        read(index, 1, out, offset);
    }

    /** Reads {@code count} consecutive examples from {@code first} into {@code out} at {@code offset}, one after another. */
    public void read(int first, int count, byte[] out, int offset) throws DataException {
        if (first < 0 || count < 0 || first + (long) count > size()) {
            throw new IndexOutOfBoundsException("examples " + first + ".." + (first + count) + " of " + size());
        }
        int bytes = Math.multiplyExact(count, shape.values());
        ByteBuffer target = ByteBuffer.wrap(out, offset, bytes);
        try {
            if (channel != null) {
                long position = dataOffset + (long) first * shape.values();
                while (target.hasRemaining()) {
                    int read = channel.read(target, position + target.position() - offset);
                    if (read < 0) throw new IOException("the file ends inside the dataset");
                }
            } else {
                target.put(slice(first, count));
            }
        } catch (IOException | HdfException e) {
            throw new DataException(file() + ": cannot read examples " + first + ".." + (first + count - 1)
                    + " of dataset '" + contents.images() + "': " + e.getMessage());
        }
    }

    /** jhdf's slicing (which decompresses only the chunks it needs); one reader at a time. */
    private synchronized ByteBuffer slice(int first, int count) {
        int[] dims = images.getDimensions();
        long[] start = new long[dims.length];
        start[0] = first;
        dims[0] = count;
        return ((DatasetBase) images).getSliceDataBuffer(start, dims);
    }

    /** All examples in memory, as today's in-memory pipeline takes them. */
    public ImageSet readAll(List<String> names) throws DataException {
        long bytes = (long) size() * shape.values();
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new DataException(file() + ": dataset '" + contents.images() + "' holds " + bytes
                    + " bytes of pixels, more than the 2 GiB the in-memory pipeline holds");
        }
        byte[] pixels = new byte[(int) bytes];
        read(0, size(), pixels, 0);
        return new ImageSet(shape, pixels, labels(), names, 0);
    }

    @Override
    public void close() {
        closeQuietly(hdf, channel);
    }

    private static void closeQuietly(HdfFile hdf, FileChannel channel) {
        if (hdf != null) hdf.close();
        try {
            if (channel != null) channel.close();
        } catch (IOException ignored) {
            // a file opened only for reading: nothing is lost
        }
    }
}
