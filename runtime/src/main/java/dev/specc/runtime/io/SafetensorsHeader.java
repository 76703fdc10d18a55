package dev.specc.runtime.io;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The validated header of a safetensors file: every tensor's type, shape and byte range, checked
 * against each other and against the file's length before any tensor data is read.
 */
record SafetensorsHeader(List<Entry> entries, Map<String, String> metadata, long dataStart) {
    /** Headers above this size are refused, as by the reference implementation. */
    static final long MAX_HEADER_BYTES = 100_000_000;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /** One tensor's header entry; begin and end are offsets into the data after the header. */
    record Entry(String name, DType dtype, long[] shape, long begin, long end) {
        String range() {
            return "[" + begin + ", " + end + "]";
        }
    }

    static SafetensorsHeader read(Path file, FileChannel in) throws IOException {
        long fileSize = in.size();
        if (fileSize < 8) {
            throw invalid(file, "it has " + fileSize + " bytes, fewer than the 8 of the header length");
        }
        ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        Safetensors.readFully(file, in, lengthBytes, 0);
        long headerLength = lengthBytes.flip().getLong();
        if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
            throw invalid(file, "its header length " + Long.toUnsignedString(headerLength)
                    + " is above the limit of " + MAX_HEADER_BYTES + " bytes");
        }
        if (8 + headerLength > fileSize) {
            throw invalid(file, "its header length is " + headerLength + " bytes but only " + (fileSize - 8)
                    + " bytes follow (truncated file?)");
        }
        ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
        Safetensors.readFully(file, in, headerBytes, 8);
        JsonNode root = parse(file, headerBytes.flip());

        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().equals(Safetensors.METADATA_KEY)) {
                metadata = metadata(file, field.getValue());
            } else {
                entries.add(entry(file, field.getKey(), field.getValue()));
            }
        }
        long dataStart = 8 + headerLength;
        checkContiguous(file, entries, fileSize - dataStart);
        return new SafetensorsHeader(List.copyOf(entries), metadata, dataStart);
    }

    private static JsonNode parse(Path file, ByteBuffer header) throws IOException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(header).toString();
        } catch (CharacterCodingException e) {
            throw invalid(file, "its header is not UTF-8 text");
        }
        if (!text.startsWith("{")) throw invalid(file, "its header does not start with '{'");
        try {
            JsonNode root = JSON.readTree(text);
            if (root == null || !root.isObject()) throw invalid(file, "its header is not a JSON object");
            return root;
        } catch (JsonParseException e) {
            throw invalid(file, "its header is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static Map<String, String> metadata(Path file, JsonNode node) throws IOException {
        if (!node.isObject()) throw invalid(file, Safetensors.METADATA_KEY + " is not a JSON object");
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!field.getValue().isTextual()) {
                throw invalid(file, Safetensors.METADATA_KEY + " value of '" + field.getKey() + "' is not a string");
            }
            metadata.put(field.getKey(), field.getValue().textValue());
        }
        return metadata;
    }

    private static Entry entry(Path file, String name, JsonNode node) throws IOException {
        String where = "tensor '" + name + "'";
        if (!node.isObject()) throw invalid(file, where + " is not described by a JSON object");
        JsonNode dtypeNode = node.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) throw invalid(file, where + " has no dtype string");
        String dtypeName = dtypeNode.textValue();
        DType dtype = DType.named(dtypeName).orElseThrow(() -> invalid(file, where + " has dtype " + dtypeName
                + (DType.isSafetensorsType(dtypeName) ? ", which specc does not read" : ", which is not a safetensors type")
                + " (specc reads " + DType.supportedList() + ")"));
        long[] shape = naturals(file, where + " shape", node.get("shape"), -1);
        long[] offsets = naturals(file, where + " data_offsets", node.get("data_offsets"), 2);
        Entry entry = new Entry(name, dtype, shape, offsets[0], offsets[1]);
        if (entry.end() < entry.begin()) {
            throw invalid(file, where + " data_offsets " + entry.range() + " end before they begin");
        }
        long expected;
        try {
            expected = Tensor.byteSize(dtype, shape);
        } catch (IllegalArgumentException e) {
            throw invalid(file, where + ": " + e.getMessage());
        }
        if (entry.end() - entry.begin() != expected) {
            throw invalid(file, where + " is " + dtype + " " + Arrays.toString(shape) + ", which takes " + expected
                    + " bytes, but its data_offsets " + entry.range() + " hold " + (entry.end() - entry.begin()));
        }
        return entry;
    }

    /** A JSON array of non-negative integers, of the given length unless it is -1. */
    private static long[] naturals(Path file, String what, JsonNode node, int length) throws IOException {
        if (node == null || !node.isArray() || (length >= 0 && node.size() != length)) {
            throw invalid(file, what + " is not " + (length >= 0 ? "a list of " + length + " integers" : "a list of integers"));
        }
        long[] values = new long[node.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode v = node.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
                throw invalid(file, what + " holds " + v + ", not a non-negative integer");
            }
            values[i] = v.longValue();
        }
        return values;
    }

    /** Sorted by offset, the tensors must tile the data exactly: no overlap, no gap, no excess. */
    private static void checkContiguous(Path file, List<Entry> entries, long dataLength) throws IOException {
        entries.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long next = 0;
        Entry previous = null;
        for (Entry e : entries) {
            if (e.begin() < next) {
                throw invalid(file, "tensor '" + e.name() + "' data_offsets " + e.range() + " overlap those of tensor '"
                        + previous.name() + "' " + previous.range());
            }
            if (e.begin() > next) {
                throw invalid(file, "data bytes [" + next + ", " + e.begin() + "] before tensor '" + e.name()
                        + "' belong to no tensor");
            }
            next = e.end();
            previous = e;
        }
        if (next != dataLength) {
            throw invalid(file, "the header describes " + next + " bytes of tensor data but " + dataLength
                    + " follow the header" + (next > dataLength ? " (truncated file?)" : ""));
        }
    }

    private static SafetensorsFormatException invalid(Path file, String problem) {
        return new SafetensorsFormatException(file, problem);
    }
}
