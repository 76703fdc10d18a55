package dev.specc.runtime.io;

import dev.specc.config.Hdf5Data;
import dev.specc.diag.FileFormatException;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.api.WritableGroup;
import io.jhdf.exceptions.HdfException;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.datatype.FixedPoint;
import io.jhdf.object.datatype.FloatingPoint;
import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keras 2's HDF5 weight layout ({@code model.save_weights('x.h5')}, keras.applications'
 * {@code *_weights_tf_dim_ordering_tf_kernels*.h5}, and {@code model.save('x.h5')}, which keeps the
 * same layout under {@code /model_weights}): the root's attribute {@code layer_names} lists the
 * layers; each layer's group has the attribute {@code weight_names} ("conv1_conv/kernel:0", ...) and
 * a dataset at each of those paths. Keras' names and layouts (HWIO kernels, [in, out] dense
 * matrices) are specc's, so "conv1_conv/kernel:0" is specc's {@code conv1_conv/kernel}.
 */
public final class KerasH5Weights {
    /** The Keras version written into exports: that of the weight layout (Keras 2), which Keras reads back as is. */
    public static final String LAYOUT_KERAS_VERSION = "2.15.0";
    private static final String FULL_MODEL_GROUP = "model_weights";

    private KerasH5Weights() {
    }

    /** Whether the file starts with the HDF5 signature (Keras' .h5 files do; safetensors files never). */
    public static boolean isHdf5(Path file) {
        return Hdf5Data.isHdf5(file);
    }

    /**
     * The file's weights under specc's names, in the file's order.
     *
     * @throws IOException naming the file when it is not a Keras HDF5 weight file
     */
    public static Map<String, Tensor> read(Path file) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        visit(file, (name, dataset) -> tensors.put(name, tensor(file, dataset)));
        return tensors;
    }

    /** The weights' specc names, shapes and stored element types in the file's order, without their values. */
    public static List<StoredTensor> list(Path file) throws IOException {
        List<StoredTensor> listed = new ArrayList<>();
        visit(file, (name, dataset) -> listed.add(new StoredTensor(name,
                Arrays.stream(dataset.getDimensions()).asLongStream().toArray(), dtype(dataset.getDataType()))));
        return listed;
    }

    private interface WeightVisitor {
        void visit(String name, Dataset dataset) throws IOException;
    }

    /** Every weight's dataset under its specc name, in the file's order, while the file is open. */
    private static void visit(Path file, WeightVisitor visitor) throws IOException {
        if (!isHdf5(file)) throw problem(file, "not an HDF5 file (no HDF5 signature)");
        try (HdfFile hdf = new HdfFile(file)) {
            Group root = hdf.getChild(FULL_MODEL_GROUP) instanceof Group g && !hasAttribute(hdf, "layer_names") ? g : hdf;
            List<String> layers = strings(root, "layer_names");
            if (layers == null) {
                throw problem(file, "no layer_names attribute at / or /" + FULL_MODEL_GROUP + ", so not a Keras 2 weight "
                        + "file (model.save_weights('x.h5') or model.save('x.h5'); Keras 3's .weights.h5 layout is not read)");
            }
            Set<String> names = new HashSet<>();
            for (String layer : layers) {
                if (!(root.getChild(layer) instanceof Group group)) {
                    throw problem(file, "layer_names lists '" + layer + "', but " + root.getPath() + " has no group of that name");
                }
                List<String> weights = strings(group, "weight_names");
                for (String weight : weights == null ? List.<String>of() : weights) {
                    String name = speccName(layer, weight);
                    if (!names.add(name)) {
                        throw problem(file, "two weights are named " + name + " (layer '" + layer + "', weight '" + weight + "')");
                    }
                    visitor.visit(name, dataset(file, group, layer, weight));
                }
            }
        } catch (HdfException e) {
            throw problem(file, "cannot be read as HDF5: " + e.getMessage());
        } catch (RuntimeException e) {
            // jhdf meets a damaged structure with whatever fails first (an index, a cast, a size): the file's problem.
            throw problem(file, "cannot be read as a Keras weight file: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
        }
    }

    /**
     * specc's name of a Keras weight: "conv1_conv/kernel:0" is conv1_conv/kernel; an outer scope
     * ("model/conv1_conv/kernel:0", a nested model's) is dropped; a name without a layer part
     * ("kernel:0", Keras 1) takes the layer's.
     */
    static String speccName(String layer, String weight) {
        String name = weight.replaceFirst(":\\d+$", "");
        String[] parts = name.split("/");
        return parts.length >= 2 ? parts[parts.length - 2] + "/" + parts[parts.length - 1] : layer + "/" + name;
    }

    private static Dataset dataset(Path file, Group group, String layer, String weight) throws IOException {
        Node node;
        try {
            node = group.getByPath(weight);
        } catch (RuntimeException e) {
            node = null;
        }
        if (!(node instanceof Dataset dataset)) {
            throw problem(file, "layer '" + layer + "' lists weight '" + weight + "', but there is no dataset "
                    + group.getPath() + "/" + weight);
        }
        return dataset;
    }

    /** numpy's name of a dataset's element type (float32, int64, ...), else what HDF5 calls it. */
    private static String dtype(DataType type) {
        if (type instanceof FloatingPoint f) return "float" + 8 * f.getSize();
        if (type instanceof FixedPoint f) return (f.isSigned() ? "int" : "uint") + 8 * f.getSize();
        return Hdf5Data.describe(type);
    }

    private static Tensor tensor(Path file, Dataset dataset) throws IOException {
        long[] shape = Arrays.stream(dataset.getDimensions()).asLongStream().toArray();
        Object flat = dataset.isScalar() ? wrap(dataset.getData()) : dataset.getDataFlat();
        if (dataset.getDataType() instanceof FloatingPoint f && f.getSize() <= 4 && flat instanceof float[] floats) {
            return Tensor.ofFloats(shape, floats);
        }
        if (dataset.getDataType() instanceof FloatingPoint && flat instanceof double[] doubles) {
            return Tensor.ofDoubles(shape, doubles);
        }
        if (dataset.getDataType() instanceof FixedPoint) {
            long[] values = new long[Array.getLength(flat)];
            for (int i = 0; i < values.length; i++) values[i] = ((Number) Array.get(flat, i)).longValue();
            return Tensor.ofLongs(shape, values);
        }
        throw problem(file, "dataset " + dataset.getPath() + " holds " + Hdf5Data.describe(dataset.getDataType())
                + " values, not numbers");
    }

    private static Object wrap(Object scalar) {
        Object array = Array.newInstance(scalar.getClass() == Float.class ? float.class
                : scalar.getClass() == Double.class ? double.class : long.class, 1);
        Array.set(array, 0, scalar instanceof Number n && !(scalar instanceof Float || scalar instanceof Double)
                ? n.longValue() : scalar);
        return array;
    }

    private static boolean hasAttribute(Node node, String name) {
        return node.getAttributes().containsKey(name);
    }

    /**
     * A string-array attribute; null when absent; an empty list for Keras' empty (float64) array of a
     * layer without weights. Keras splits one longer than an object header holds (64 KiB, a model of
     * thousands of layers) into {@code name0}, {@code name1}, ..., read here as one.
     */
    private static List<String> strings(Node node, String name) {
        if (node.getAttribute(name) == null && node.getAttribute(name + "0") != null) {
            List<String> joined = new ArrayList<>();
            for (int i = 0; node.getAttribute(name + i) != null; i++) joined.addAll(strings(node, name + i));
            return joined;
        }
        Attribute attribute = node.getAttribute(name);
        if (attribute == null) return null;
        Object data = attribute.getData();
        if (data instanceof String one) return List.of(one);
        List<String> values = new ArrayList<>();
        if (data != null && data.getClass().isArray()) {
            for (int i = 0; i < Array.getLength(data); i++) {
                if (Array.get(data, i) instanceof String s) values.add(s);
            }
        }
        return values;
    }

    /**
     * Writes float32 weights in Keras 2's {@code save_weights} layout, one group per layer in the
     * order the weights come (a layer's weights in their order: kernel, bias; gamma, beta,
     * moving_mean, moving_variance, as Keras lists them), atomically.
     */
    public static void write(Path file, Map<String, Tensor> tensors) throws IOException {
        Map<String, List<Map.Entry<String, Tensor>>> layers = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            int slash = e.getKey().lastIndexOf('/');
            if (slash <= 0 || e.getValue().dtype() != DType.F32 || e.getValue().shape().length == 0) {
                throw new IllegalArgumentException("not a layer's float32 array weight: " + e.getKey() + " " + e.getValue());
            }
            layers.computeIfAbsent(e.getKey().substring(0, slash), k -> new ArrayList<>()).add(e);
        }
        Path target = file.toAbsolutePath().normalize();
        Path temporary = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".h5.tmp");
        try {
            try (WritableHdfFile hdf = HdfFile.write(temporary)) {
                hdf.putAttribute("layer_names", layers.keySet().toArray(new String[0]));
                hdf.putAttribute("backend", "tensorflow");
                hdf.putAttribute("keras_version", LAYOUT_KERAS_VERSION);
                for (Map.Entry<String, List<Map.Entry<String, Tensor>>> layer : layers.entrySet()) {
                    WritableGroup group = hdf.putGroup(layer.getKey());
                    group.putAttribute("weight_names", layer.getValue().stream().map(e -> e.getKey() + ":0").toArray(String[]::new));
                    WritableGroup scope = group.putGroup(layer.getKey());
                    for (Map.Entry<String, Tensor> e : layer.getValue()) {
                        String weight = e.getKey().substring(layer.getKey().length() + 1);
                        scope.putDataset(weight + ":0", nested(e.getValue()));
                    }
                }
            }
            AtomicFiles.write(file, out -> {
                try (FileChannel in = FileChannel.open(temporary, StandardOpenOption.READ)) {
                    long size = in.size();
                    for (long done = 0; done < size; ) done += in.transferTo(done, size - done, out);
                }
            });
        } catch (HdfException e) {
            throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** A float32 tensor as the nested Java array jhdf writes (float[d0][d1]...). */
    private static Object nested(Tensor tensor) {
        int[] dims = Arrays.stream(tensor.shape()).mapToInt(Math::toIntExact).toArray();
        float[] flat = tensor.toFloats();
        int[] next = {0};
        return fill(flat, dims, 0, next);
    }

    private static Object fill(float[] flat, int[] dims, int axis, int[] next) {
        if (axis == dims.length - 1) {
            float[] row = Arrays.copyOfRange(flat, next[0], next[0] + dims[axis]);
            next[0] += dims[axis];
            return row;
        }
        int[] outer = new int[dims.length - axis]; // float[dims[axis]][0]...: the rows are set below
        outer[0] = dims[axis];
        Object level = Array.newInstance(float.class, outer);
        for (int i = 0; i < dims[axis]; i++) Array.set(level, i, fill(flat, dims, axis + 1, next));
        return level;
    }

    private static FileFormatException problem(Path file, String message) {
        return new FileFormatException(file, file + ": " + message);
    }
}
