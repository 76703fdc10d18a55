package dev.specc.runtime.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.specc.runtime.io.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code disk} cache: a source's decoded uint8 examples written once to {@code KEY.pixels} in a
 * cache folder, with {@code KEY.json} describing them (the source's fingerprint, shape, count, and
 * the examples that could not be decoded), and read back memory-mapped in segments of whole examples.
 *
 * <p>The key names the source (its folder, image size and colour mode); the fingerprint inside the
 * description covers what the pixels depend on (paths, sizes, modification times). The pixels are
 * written atomically before the description, and the description is removed before a rebuild, so a
 * description always stands for a complete pixel file. A description whose fingerprint, shape or
 * count differs (stale), or a pixel file of the wrong length (truncated), is rebuilt, never used.
 * Processes and threads opening the same key hold an exclusive lock on {@code KEY.lock} from the
 * check to the mapping, so one builds and the others then read its files.
 */
public final class DiskCache {
    public static final long DEFAULT_SEGMENT_BYTES = 1L << 30;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FORMAT = 1;
    private static final ConcurrentHashMap<Path, Object> IN_PROCESS = new ConcurrentHashMap<>();

    private final Path folder;
    private final long segmentBytes;

    public DiskCache(Path folder, long segmentBytes) {
        if (segmentBytes < 1) throw new IllegalArgumentException("segment size " + segmentBytes);
        this.folder = folder;
        this.segmentBytes = segmentBytes;
    }

    /** The cached examples and one line on what happened ("read from ...", "written to ... (stale: ...)"). */
    public record Opened(Listing listing, String note) {
    }

    public Opened open(Examples source, String key, String fingerprint, int workers) throws DataException {
        Path pixels = folder.resolve(key + ".pixels");
        Path description = folder.resolve(key + ".json");
        Path lockFile = folder.resolve(key + ".lock");
        try {
            Files.createDirectories(folder);
            // Processes sharing the cache (cluster workers on one machine) take turns: the first builds,
            // the others wait and then read what it built. A FileLock is per process, so threads take turns first.
            synchronized (IN_PROCESS.computeIfAbsent(lockFile.toAbsolutePath().normalize(), k -> new Object())) {
                try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                     FileLock lock = channel.lock()) {
                    return openLocked(source, fingerprint, workers, pixels, description);
                }
            }
        } catch (IOException e) {
            throw new DataException("data.cache: disk: " + e.getMessage(), e);
        }
    }

    private Opened openLocked(Examples source, String fingerprint, int workers, Path pixels, Path description)
            throws IOException {
        JsonNode found = readDescription(description);
        String problem = problem(source, fingerprint, pixels, description, found);
        if (problem == null) return new Opened(read(source, pixels, found), "read from " + pixels);
        Files.deleteIfExists(description);
        List<Integer> failed = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        write(source, pixels, workers, failed, reasons);
        JsonNode written = writeDescription(description, source, fingerprint, failed, reasons);
        return new Opened(read(source, pixels, written), "written to " + pixels + " (" + problem + ")");
    }

    /** The description, or null when there is none or it cannot be parsed. */
    private static JsonNode readDescription(Path description) {
        if (!Files.isRegularFile(description)) return null;
        try {
            return JSON.readTree(description.toFile());
        } catch (IOException e) {
            return null;
        }
    }

    /** Why the files cannot be used, or null when they can. */
    private static String problem(Examples source, String fingerprint, Path pixels, Path description, JsonNode d)
            throws IOException {
        if (d == null) return Files.isRegularFile(description) ? "its description was unreadable" : "there was no cache";
        if (d.path("format").asInt() != FORMAT || !fingerprint.equals(d.path("fingerprint").asText())) {
            return "stale: the data changed since it was written";
        }
        ImageShape shape = source.shape();
        if (d.path("height").asInt() != shape.height() || d.path("width").asInt() != shape.width()
                || d.path("channels").asInt() != shape.channels() || d.path("count").asInt() != source.size()) {
            return "stale: it holds another shape or count";
        }
        long expected = (long) source.size() * shape.values();
        long found = Files.isRegularFile(pixels) ? Files.size(pixels) : -1;
        if (found != expected) {
            return found < 0 ? "its pixel file was missing" : "truncated: " + found + " of " + expected + " bytes";
        }
        return null;
    }

    private static void write(Examples source, Path pixels, int workers, List<Integer> failed, List<String> reasons)
            throws IOException {
        long length = (long) source.size() * source.shape().values();
        String[][] failures = new String[1][];
        AtomicFiles.write(pixels, out -> {
            failures[0] = ReadEveryExample.into(source, workers, "specc-cache", (i, bytes) -> {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                for (long at = (long) i * bytes.length; buffer.hasRemaining(); ) at += out.write(buffer, at);
            });
            // Failed examples are holes; the file still has every example's place.
            if (out.size() < length) out.write(ByteBuffer.allocate(1), length - 1);
        });
        for (int i = 0; i < failures[0].length; i++) {
            if (failures[0][i] != null) {
                failed.add(i);
                reasons.add(failures[0][i]);
            }
        }
    }

    private static JsonNode writeDescription(Path description, Examples source, String fingerprint, List<Integer> failed,
                                         List<String> reasons) throws IOException {
        ObjectNode d = JSON.createObjectNode();
        d.put("format", FORMAT);
        d.put("fingerprint", fingerprint);
        d.put("height", source.shape().height());
        d.put("width", source.shape().width());
        d.put("channels", source.shape().channels());
        d.put("count", source.size());
        ArrayNode skipped = d.putArray("skipped");
        for (int k = 0; k < failed.size(); k++) {
            skipped.addObject().put("index", failed.get(k)).put("reason", reasons.get(k));
        }
        AtomicFiles.write(description, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(d));
        return d;
    }

    private Listing read(Examples source, Path pixels, JsonNode d) throws IOException {
        boolean[] skip = new boolean[source.size()];
        List<String> warnings = new ArrayList<>();
        for (JsonNode s : d.path("skipped")) {
            int index = s.path("index").asInt();
            skip[index] = true;
            warnings.add(Listing.skippedLine(source.describe(index), s.path("reason").asText()));
        }
        int[] kept = new int[source.size() - warnings.size()];
        for (int i = 0, k = 0; i < skip.length; i++) {
            if (!skip[i]) kept[k++] = i;
        }
        MappedExamples all = MappedExamples.map(source, pixels, segmentBytes);
        return new Listing(warnings.isEmpty() ? all : all.select(kept), warnings);
    }
}
