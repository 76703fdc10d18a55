package dev.specc.runtime.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The safetensors format: an 8-byte little-endian header length, a JSON header
 * {@code {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {string: string}}}
 * padded with spaces to a multiple of 8 bytes, then the tensors' little-endian bytes.
 *
 * <p>Files are written as the reference implementation writes them (tensors ordered by
 * descending dtype alignment, then by name; compact JSON) and atomically (see
 * {@link AtomicFiles}). Reading checks the whole header before any data is read.
 */
public final class Safetensors {
    /** The header key that holds free-form string metadata instead of a tensor. */
    public static final String METADATA_KEY = "__metadata__";

    private static final ObjectMapper JSON = new ObjectMapper();

    private Safetensors() {
    }

    /** What a file holds: its tensors in the order of their data, and its string metadata. */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {
        public Contents {
            tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
            metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        }
    }

    public static void write(Path file, Map<String, Tensor> tensors) throws IOException {
        write(file, tensors, Map.of());
    }

    /**
     * Writes the tensors and metadata (none when empty) to the file, replacing it atomically.
     *
     * @throws IllegalArgumentException for an empty tensor name or one named {@value #METADATA_KEY}
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        List<Map.Entry<String, Tensor>> ordered = inFileOrder(tensors);
        byte[] header = header(ordered, metadata);
        AtomicFiles.write(file, out -> {
            ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).flip();
            writeFully(out, length);
            writeFully(out, ByteBuffer.wrap(header));
            for (Map.Entry<String, Tensor> e : ordered) writeFully(out, e.getValue().data());
        });
    }

    /** The metadata of a file, reading and validating only its header (not the tensors' bytes). */
    public static Map<String, String> metadata(Path file) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            return SafetensorsHeader.read(file, in).metadata();
        }
    }

    /** The tensors' names, shapes and types in the file's order, reading and validating only the header. */
    public static List<StoredTensor> list(Path file) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            return SafetensorsHeader.read(file, in).entries().stream()
                    .map(e -> new StoredTensor(e.name(), e.shape(), e.dtype().spelling())).toList();
        }
    }

    /** Reads and validates a whole file. Errors name the file and say what is wrong with it. */
    public static Contents read(Path file) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            SafetensorsHeader header = SafetensorsHeader.read(file, in);
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (SafetensorsHeader.Entry e : header.entries()) {
                ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(e.end() - e.begin()));
                readFully(file, in, bytes, header.dataStart() + e.begin());
                tensors.put(e.name(), new Tensor(e.dtype(), e.shape(), bytes.flip()));
            }
            return new Contents(tensors, header.metadata());
        }
    }

    /** The reference order: descending dtype alignment, then names compared as UTF-8 bytes. */
    private static List<Map.Entry<String, Tensor>> inFileOrder(Map<String, Tensor> tensors) {
        List<Map.Entry<String, Tensor>> ordered = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String name = e.getKey();
            if (name == null || name.isEmpty() || name.equals(METADATA_KEY)) {
                throw new IllegalArgumentException("'" + name + "' cannot name a tensor in a safetensors file");
            }
            ordered.add(Map.entry(name, e.getValue()));
        }
        Comparator<Map.Entry<String, Tensor>> byAlignment = Comparator.comparing(e -> e.getValue().dtype());
        ordered.sort(byAlignment.reversed().thenComparing(
                (a, b) -> Arrays.compareUnsigned(utf8(a.getKey()), utf8(b.getKey()))));
        return ordered;
    }

    private static byte[] header(List<Map.Entry<String, Tensor>> ordered, Map<String, String> metadata)
            throws JsonProcessingException {
        Map<String, Object> json = new LinkedHashMap<>();
        if (!metadata.isEmpty()) json.put(METADATA_KEY, new TreeMap<>(metadata));
        long offset = 0;
        for (Map.Entry<String, Tensor> e : ordered) {
            Tensor t = e.getValue();
            long end = offset + t.data().remaining();
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("dtype", t.dtype().name());
            info.put("shape", t.shape());
            info.put("data_offsets", new long[] {offset, end});
            json.put(e.getKey(), info);
            offset = end;
        }
        byte[] text = JSON.writeValueAsBytes(json);
        int padded = (text.length + 7) / 8 * 8;
        byte[] header = Arrays.copyOf(text, padded);
        Arrays.fill(header, text.length, padded, (byte) ' ');
        return header;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void writeFully(FileChannel out, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) out.write(bytes);
    }

    static void readFully(Path file, FileChannel in, ByteBuffer into, long position) throws IOException {
        long at = position;
        while (into.hasRemaining()) {
            int n = in.read(into, at);
            if (n < 0) throw new IOException(file + ": the file ended early (at byte " + at + ")");
            at += n;
        }
    }
}
