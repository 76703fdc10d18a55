package dev.specc.config;

import dev.specc.diag.Suggest;
import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.exceptions.HdfException;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.datatype.FixedPoint;
import io.jhdf.object.datatype.FloatingPoint;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The images, labels and class names of one HDF5 file as the hdf5 data source reads them, checked
 * without reading any pixels: images are uint8 {@code [N, height, width, 3 or 1]} or {@code [N, height,
 * width]}; labels are integers {@code [N]} (or {@code [N, 1]}) from 0; the optional class dataset lists
 * names (strings) or numbers, at least one per label value. Every problem names the file and the dataset.
 */
public final class Hdf5Data {
    /** The 8 bytes an HDF5 file starts with (at offset 0, or after a user block of 512, 1024, ... bytes). */
    public static final byte[] SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

    /**
     * Where a message names a missing dataset: replaced by " (the default of data.KEY)" when the spec
     * did not write the key, so that the user sees which setting chose the name, or by nothing.
     */
    public static final String DEFAULT_MARK = "{default}";

    /** A file or dataset that the hdf5 source cannot read; {@code key} is the data: key at fault ("path", "datasets.train_x"). */
    public static final class Problem extends Exception {
        private static final long serialVersionUID = 1L;
        private final String key;

        Problem(String key, String message) {
            super(message);
            this.key = key;
        }

        public String key() {
            return key;
        }
    }

    /**
     * What a file holds: {@code examples} images of {@code height x width x channels}, their labels,
     * and the class names of its class dataset (null when it has none).
     */
    public record Contents(Path file, String images, long examples, int height, int width, int channels, int[] labels,
                           List<String> classNames) {
        /** The classes the labels need: the class dataset's count, else the largest label plus one. */
        public int classCount() {
            return classNames != null ? classNames.size() : maxLabel() + 1;
        }

        public int maxLabel() {
            return Arrays.stream(labels).max().orElse(-1);
        }

        public String shape() {
            return height + "x" + width + "x" + channels;
        }
    }

    private Hdf5Data() {
    }

    /** Whether the file starts with the HDF5 signature (at 0 or after a user block of 512 bytes times a power of two). */
    public static boolean isHdf5(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            long size = Files.size(file);
            byte[] head = new byte[SIGNATURE.length];
            long at = 0;
            for (long offset = 0; offset + SIGNATURE.length <= size && offset <= 1L << 30; offset = offset == 0 ? 512 : offset * 2) {
                in.skipNBytes(offset - at);
                if (in.readNBytes(head, 0, head.length) < head.length) return false;
                at = offset + head.length;
                if (Arrays.equals(head, SIGNATURE)) return true;
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Checks one file of the hdf5 source. {@code imagesKey} and {@code labelsKey} are the data: keys
     * that name the datasets (for messages and error positions); the class dataset is optional unless
     * {@code classesWritten}.
     */
    public static Contents inspect(Path file, String images, String imagesKey, String labels, String labelsKey,
                                   String classes, boolean classesWritten, String fileKey) throws Problem {
        if (!Files.isRegularFile(file)) throw new Problem(fileKey, file + " is not a file");
        if (!isHdf5(file)) throw new Problem(fileKey, file + ": not an HDF5 file (no HDF5 signature)");
        try (HdfFile hdf = new HdfFile(file)) {
            Dataset x = dataset(hdf, file, images, imagesKey, true);
            int[] dims = x.getDimensions();
            boolean rankOk = dims.length == 3 || (dims.length == 4 && (dims[3] == 1 || dims[3] == 3));
            if (!rankOk || dims[0] == 0 || dims[1] == 0 || dims[2] == 0) {
                throw new Problem(imagesKey, where(file, images) + " has shape " + Arrays.toString(dims)
                        + "; the hdf5 source reads images of shape [N, height, width, 3], [N, height, width, 1] "
                        + "or [N, height, width], with N, height and width at least 1");
            }
            if (!isUint8(x.getDataType())) {
                throw new Problem(imagesKey, where(file, images) + " holds " + describe(x.getDataType())
                        + " values; the hdf5 source reads uint8 pixels (0..255)");
            }
            Dataset y = dataset(hdf, file, labels, labelsKey, true);
            int[] labelValues = labels(file, labels, labelsKey, y, dims[0]);
            List<String> names = null;
            Dataset c = dataset(hdf, file, classes, "datasets.classes", classesWritten);
            if (c != null) names = classNames(file, classes, c, labelValues);
            return new Contents(file, images, dims[0], dims[1], dims[2], dims.length == 4 ? dims[3] : 1, labelValues, names);
        } catch (HdfException e) {
            throw new Problem(fileKey, file + ": cannot be read as HDF5: " + e.getMessage());
        }
    }

    private static int[] labels(Path file, String name, String key, Dataset y, int examples) throws Problem {
        int[] dims = y.getDimensions();
        boolean rankOk = dims.length == 1 || (dims.length == 2 && dims[1] == 1);
        if (!rankOk) {
            throw new Problem(key, where(file, name) + " has shape " + Arrays.toString(dims)
                    + "; labels are one integer per image: [N] or [N, 1]");
        }
        if (!(y.getDataType() instanceof FixedPoint)) {
            throw new Problem(key, where(file, name) + " holds " + describe(y.getDataType())
                    + " values; labels are integers (class indices from 0)");
        }
        if (dims[0] != examples) {
            throw new Problem(key, where(file, name) + " has " + dims[0] + " labels, but the images have " + examples
                    + " examples");
        }
        Object flat = y.getDataFlat();
        int[] values = new int[Array.getLength(flat)];
        for (int i = 0; i < values.length; i++) {
            long value = ((Number) Array.get(flat, i)).longValue();
            if (value < 0 || value > Integer.MAX_VALUE - 1) {
                throw new Problem(key, where(file, name) + ": label " + i + " is " + value
                        + "; labels are class indices from 0");
            }
            values[i] = (int) value;
        }
        return values;
    }

    private static List<String> classNames(Path file, String name, Dataset c, int[] labels) throws Problem {
        String key = "datasets.classes";
        if (c.getDimensions().length != 1) {
            throw new Problem(key, where(file, name) + " has shape " + Arrays.toString(c.getDimensions())
                    + "; the class dataset lists one name or number per class: [classes]");
        }
        Object flat = c.getDataFlat();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < Array.getLength(flat); i++) {
            Object value = Array.get(flat, i);
            if (!(value instanceof String || value instanceof Long || value instanceof Integer || value instanceof Short
                    || value instanceof Byte)) {
                throw new Problem(key, where(file, name) + " holds " + describe(c.getDataType())
                        + " values; the class dataset lists names (strings) or numbers (integers)");
            }
            names.add(value.toString().strip());
        }
        int maxLabel = Arrays.stream(labels).max().orElse(-1);
        if (maxLabel >= names.size()) {
            throw new Problem(key, where(file, name) + " lists " + names.size() + " classes, but a label is " + maxLabel);
        }
        return List.copyOf(names);
    }

    /** The dataset at {@code name}; null when it is absent and not {@code required}. */
    private static Dataset dataset(HdfFile hdf, Path file, String name, String key, boolean required) throws Problem {
        Node node;
        try {
            node = hdf.getByPath(name);
        } catch (HdfException e) {
            node = null;
        }
        if (node instanceof Dataset d) return d;
        if (node != null) {
            throw new Problem(key, where(file, name) + " is a group, not a dataset; datasets in the file: "
                    + listing(datasetPaths(hdf)));
        }
        if (!required) return null;
        List<String> present = datasetPaths(hdf);
        throw new Problem(key, file + ": no dataset '" + name + "'" + Suggest.didYouMean(name, present) + DEFAULT_MARK
                + (present.isEmpty() ? "; the file has no datasets" : "; datasets in the file: " + listing(present)));
    }

    /** Every dataset of the file by its path without the leading slash ("train_set_x", "group/images"). */
    public static List<String> datasetPaths(Group group) {
        List<String> paths = new ArrayList<>();
        for (Node child : group) {
            if (child instanceof Dataset) paths.add(child.getPath().replaceFirst("^/", ""));
            else if (child instanceof Group g && !child.isLink()) paths.addAll(datasetPaths(g));
        }
        paths.sort(null);
        return paths;
    }

    private static String listing(List<String> names) {
        int shown = 12;
        return names.size() <= shown ? String.join(", ", names)
                : String.join(", ", names.subList(0, shown)) + ", ... (" + names.size() + " in all)";
    }

    private static String where(Path file, String dataset) {
        return file + ": dataset '" + dataset + "'";
    }

    private static boolean isUint8(DataType type) {
        return type instanceof FixedPoint f && !f.isSigned() && f.getSize() == 1;
    }

    /** A dataset's element type as NumPy names it: uint8, int64, float32, string, ... */
    public static String describe(DataType type) {
        if (type instanceof FixedPoint f) return (f.isSigned() ? "int" : "uint") + f.getSize() * 8;
        if (type instanceof FloatingPoint f) return "float" + f.getSize() * 8;
        String kind = type.getClass().getSimpleName();
        return kind.equals("StringData") || kind.equals("VariableLength") ? "string" : kind;
    }
}
