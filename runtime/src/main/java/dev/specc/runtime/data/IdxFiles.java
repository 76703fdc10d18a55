package dev.specc.runtime.data;

import dev.specc.config.DataLocation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * MNIST-style IDX files: {@code PREFIX-images-idx3-ubyte} and {@code PREFIX-labels-idx1-ubyte},
 * each raw or gzipped ({@code .gz}; recognised by content, not by name).
 */
public final class IdxFiles {
    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = DataLocation.IDX_LABELS_MAGIC;

    private IdxFiles() {
    }

    /** The images file of a split ("train" or "t10k") in {@code dir}, or null when there is none. */
    public static Path imagesFile(Path dir, String prefix) {
        return DataLocation.idxFile(dir, prefix, "images");
    }

    public static Path labelsFile(Path dir, String prefix) {
        return DataLocation.idxFile(dir, prefix, "labels");
    }

    /** Reads one split; labels must be below the number of class names. */
    public static ImageSet read(Path imagesFile, Path labelsFile, List<String> classNames) throws DataException {
        ByteBuffer images = ByteBuffer.wrap(contents(imagesFile));
        ByteBuffer labels = ByteBuffer.wrap(contents(labelsFile));
        header(images, imagesFile, IMAGES_MAGIC, "images (idx3, unsigned bytes)", 16);
        header(labels, labelsFile, LABELS_MAGIC, "labels (idx1, unsigned bytes)", 8);
        int count = images.getInt();
        int rows = images.getInt();
        int cols = images.getInt();
        int labelCount = labels.getInt();
        if (count < 0 || rows < 1 || cols < 1) {
            throw new DataException(imagesFile + ": impossible dimensions " + count + "x" + rows + "x" + cols);
        }
        long expected = (long) count * rows * cols;
        if (images.remaining() != expected) {
            throw new DataException(imagesFile + ": header says " + count + " images of " + rows + "x" + cols
                    + " (" + expected + " bytes) but " + images.remaining() + " bytes follow"
                    + (images.remaining() < expected ? " (truncated?)" : ""));
        }
        if (labelCount != count) {
            throw new DataException(labelsFile + ": " + labelCount + " labels for the " + count + " images of "
                    + imagesFile);
        }
        if (labels.remaining() != labelCount) {
            throw new DataException(labelsFile + ": header says " + labelCount + " labels but " + labels.remaining()
                    + " bytes follow");
        }
        int[] labelValues = new int[count];
        for (int i = 0; i < count; i++) {
            labelValues[i] = labels.get() & 0xFF;
            if (labelValues[i] >= classNames.size()) {
                throw new DataException(labelsFile + ": label " + labelValues[i] + " of example " + i + " but only "
                        + classNames.size() + " classes");
            }
        }
        byte[] pixels = new byte[(int) expected];
        images.get(pixels);
        return new ImageSet(new ImageShape(rows, cols, 1), pixels, labelValues, classNames, 0);
    }

    private static void header(ByteBuffer buffer, Path file, int magic, String kind, int headerBytes)
            throws DataException {
        if (buffer.remaining() < 4) throw new DataException(file + ": " + buffer.remaining() + " bytes, not an IDX file");
        int found = buffer.getInt();
        if (found != magic) {
            throw new DataException(String.format("%s: magic number 0x%08x, expected 0x%08x for %s", file, found,
                    magic, kind));
        }
        if (buffer.remaining() < headerBytes - 4) {
            throw new DataException(file + ": " + (buffer.remaining() + 4) + " bytes, too short for an IDX header");
        }
    }

    private static byte[] contents(Path file) throws DataException {
        try (InputStream in = DataLocation.unzipped(file)) {
            return in.readAllBytes();
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": no such file");
        } catch (IOException e) {
            throw new DataException(file + ": cannot read: " + e.getMessage(), e);
        }
    }
}
