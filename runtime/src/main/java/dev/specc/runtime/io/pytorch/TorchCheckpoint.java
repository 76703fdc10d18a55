package dev.specc.runtime.io.pytorch;

import dev.specc.diag.FileFormatException;
import dev.specc.runtime.io.DType;
import dev.specc.runtime.io.StoredTensor;
import dev.specc.runtime.io.Tensor;
import dev.specc.runtime.io.pytorch.RestrictedUnpickler.Global;
import dev.specc.runtime.io.pytorch.RestrictedUnpickler.PickleException;
import dev.specc.runtime.io.pytorch.RestrictedUnpickler.Tuple;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads a PyTorch checkpoint as torch.save writes it since 1.6: a zip archive holding
 * {@code NAME/data.pkl} (the pickled state dict, read by {@link RestrictedUnpickler}), one entry
 * {@code NAME/data/KEY} per storage, and (since PyTorch 2.1) {@code NAME/byteorder}. The tensors
 * come back under the file's names, in the file's order and layout: floating tensors (float32,
 * float16, bfloat16, float64) as F32, int64 as I64, smaller integers and bools as I32.
 * A checkpoint that wraps its state dict ({@code {"state_dict": ..., "epoch": ...}}) is read from
 * its {@code state_dict}, {@code model_state_dict} or {@code model} entry.
 */
public final class TorchCheckpoint {
    private static final long MAX_PICKLE_BYTES = 256L << 20;
    private static final List<String> WRAPPER_KEYS = List.of("state_dict", "model_state_dict", "model");

    private final Path file;
    private final ZipFile zip;
    private final String prefix;
    private final ByteOrder order;
    private final Map<String, ByteBuffer> storages = new HashMap<>();

    private TorchCheckpoint(Path file, ZipFile zip) throws IOException {
        this.file = file;
        this.zip = zip;
        this.prefix = archivePrefix();
        this.order = byteOrder();
    }

    /** The tensors of a state dict saved with torch.save, by name, in the file's order. */
    public static Map<String, Tensor> read(Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            return new TorchCheckpoint(file, zip).tensors();
        } catch (ZipException e) {
            throw new TorchFormatException(file, "not a readable zip archive (" + e.getMessage() + ")");
        }
    }

    /**
     * The state dict's tensor names, shapes and stored element types, in the file's order: only the
     * pickle is read (by the same restricted unpickler), no storage.
     */
    public static List<StoredTensor> list(Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            List<StoredTensor> listed = new ArrayList<>();
            for (Map.Entry<String, TensorRef> e : new TorchCheckpoint(file, zip).refs().entrySet()) {
                listed.add(new StoredTensor(e.getKey(), e.getValue().shape(), e.getValue().storage().type().dtype()));
            }
            return listed;
        } catch (ZipException e) {
            throw new TorchFormatException(file, "not a readable zip archive (" + e.getMessage() + ")");
        }
    }

    private Map<String, Tensor> tensors() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, TensorRef> e : refs().entrySet()) tensors.put(e.getKey(), tensor(e.getKey(), e.getValue()));
        return tensors;
    }

    /** The state dict as the pickle describes it: names to views of storages, nothing read from the storages. */
    private Map<String, TensorRef> refs() throws IOException {
        Object root;
        try {
            root = RestrictedUnpickler.load(entryBytes(prefix + "data.pkl", MAX_PICKLE_BYTES), this::storage);
        } catch (PickleException e) {
            throw new TorchFormatException(file, e.getMessage());
        }
        Map<String, TensorRef> refs = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : stateDict(root).entrySet()) refs.put((String) e.getKey(), (TensorRef) e.getValue());
        return refs;
    }

    /** The state dict: a dict of tensor names to tensors, perhaps inside a wrapping dict. */
    private Map<?, ?> stateDict(Object root) throws IOException {
        if (!(root instanceof Map<?, ?> dict)) {
            throw new TorchFormatException(file, "it holds " + RestrictedUnpickler.describe(root) + ", not a state dict "
                    + "(save model.state_dict())");
        }
        if (isStateDict(dict)) return dict;
        for (String key : WRAPPER_KEYS) {
            if (dict.get(key) instanceof Map<?, ?> inner && isStateDict(inner)) return inner;
        }
        throw new TorchFormatException(file, "it holds a dict that is not a state dict of tensors (keys: "
                + dict.keySet().stream().limit(10).map(String::valueOf).toList() + "); save model.state_dict(), or a "
                + "dict with it under 'state_dict'");
    }

    private static boolean isStateDict(Map<?, ?> dict) {
        return !dict.isEmpty() && dict.entrySet().stream()
                .allMatch(e -> e.getKey() instanceof String && e.getValue() instanceof TensorRef);
    }

    /** A persistent id of torch.save: ('storage', torch.FloatStorage, key, location, element count). */
    private Object storage(Tuple id) throws PickleException {
        if (id.size() != 5 || !"storage".equals(id.get(0)) || !(id.get(1) instanceof Global type)
                || !(id.get(2) instanceof String key) || !(id.get(4) instanceof Long elements) || elements < 0) {
            throw new PickleException("a persistent id that is not a storage: a tuple of " + id.size() + " values, not "
                    + "('storage', type, key, location, element count)");
        }
        StorageType storageType = StorageType.ofGlobal(type.name())
                .orElseThrow(() -> new PickleException(type.name() + " used as a storage type"));
        return new StorageRef(storageType, key, elements);
    }

    private Tensor tensor(String name, TensorRef ref) throws IOException {
        StorageType type = ref.storage().type();
        ByteBuffer data = storageBytes(name, ref.storage());
        int count = Math.toIntExact(ref.elements());
        long[] shape = ref.shape();
        if (type.floating()) {
            float[] values = new float[count];
            gather(ref, (i, element) -> values[i] = type.floatAt(data, element * type.bytes()));
            return Tensor.ofFloats(shape, values);
        }
        if (type == StorageType.LONG) {
            long[] values = new long[count];
            gather(ref, (i, element) -> values[i] = type.longAt(data, element * type.bytes()));
            return Tensor.ofLongs(shape, values);
        }
        int[] values = new int[count];
        gather(ref, (i, element) -> values[i] = (int) type.longAt(data, element * type.bytes()));
        return Tensor.ofInts(shape, values);
    }

    private interface ElementSink {
        void put(int index, int storageElement);
    }

    /** Visits the view's elements in row-major order with their positions in the storage. */
    private static void gather(TensorRef ref, ElementSink sink) {
        long[] shape = ref.shape();
        long[] strides = ref.strides();
        int rank = shape.length;
        int count = (int) ref.elements();
        long[] index = new long[rank];
        long position = ref.offset();
        for (int i = 0; i < count; i++) {
            sink.put(i, (int) position);
            for (int d = rank - 1; d >= 0; d--) {
                index[d]++;
                position += strides[d];
                if (index[d] < shape[d]) break;
                position -= strides[d] * shape[d];
                index[d] = 0;
            }
        }
    }

    private ByteBuffer storageBytes(String tensor, StorageRef ref) throws IOException {
        ByteBuffer cached = storages.get(ref.key());
        if (cached != null) return cached;
        if (ref.elements() > (Integer.MAX_VALUE - 8) / ref.type().bytes()) {
            throw new TorchFormatException(file, "the storage of " + tensor + " is larger than 2 GiB, the most specc holds");
        }
        long needed = ref.elements() * ref.type().bytes();
        byte[] bytes = entryBytes(prefix + "data/" + ref.key(), needed);
        if (bytes.length != needed) {
            throw new TorchFormatException(file, "the storage of " + tensor + " (" + prefix + "data/" + ref.key() + ") holds "
                    + bytes.length + " bytes, not the " + needed + " of " + ref.elements() + " elements");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(order);
        storages.put(ref.key(), buffer);
        return buffer;
    }

    private byte[] entryBytes(String name, long limit) throws IOException {
        ZipEntry entry = zip.getEntry(name);
        if (entry == null) throw new TorchFormatException(file, "the archive has no " + name);
        try (InputStream in = zip.getInputStream(entry)) {
            byte[] bytes = in.readNBytes((int) Math.min(limit + 1, Integer.MAX_VALUE - 8));
            if (bytes.length > limit) throw new TorchFormatException(file, name + " is larger than " + limit + " bytes");
            return bytes;
        }
    }

    /** "NAME/" of the one NAME/data.pkl in the archive (torch.save names it after the file). */
    private String archivePrefix() throws IOException {
        List<String> pickles = zip.stream().map(ZipEntry::getName)
                .filter(n -> n.endsWith("/data.pkl") && n.indexOf('/') == n.length() - "/data.pkl".length()).toList();
        if (pickles.size() != 1) {
            throw new TorchFormatException(file, pickles.isEmpty()
                    ? "a zip archive without NAME/data.pkl, so not a torch.save checkpoint"
                    : "a zip archive with " + pickles.size() + " data.pkl entries");
        }
        String pickle = pickles.get(0);
        return pickle.substring(0, pickle.length() - "data.pkl".length());
    }

    private ByteOrder byteOrder() throws IOException {
        if (zip.getEntry(prefix + "byteorder") == null) return ByteOrder.LITTLE_ENDIAN;
        String text = new String(entryBytes(prefix + "byteorder", 16), StandardCharsets.US_ASCII).strip();
        return switch (text) {
            case "little" -> ByteOrder.LITTLE_ENDIAN;
            case "big" -> ByteOrder.BIG_ENDIAN;
            default -> throw new TorchFormatException(file, "byteorder is '" + text + "', not little or big");
        };
    }

    /** A file that is not a checkpoint specc reads, or one whose pickle asks for more than a state dict. */
    public static final class TorchFormatException extends FileFormatException {
        private static final long serialVersionUID = 1L;

        TorchFormatException(Path file, String problem) {
            super(file, file + ": not loaded as a PyTorch checkpoint: " + problem);
        }
    }
}
