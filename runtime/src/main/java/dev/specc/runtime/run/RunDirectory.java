package dev.specc.runtime.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.specc.diag.UsageException;
import dev.specc.load.SMap;
import dev.specc.load.SchemaValidator;
import dev.specc.runtime.io.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * runs/&lt;spec-name&gt;/&lt;timestamp&gt;/: the resolved spec and its hash, versions and seed,
 * checkpoints, metrics (CSV and JSON), TensorBoard events, plots and the final report. Every
 * file is written atomically. A process training in the directory holds a lock on its {@value #LOCK}
 * file, which the operating system releases when the process ends, however it ends.
 */
public final class RunDirectory {
    public static final String SPEC = "spec.resolved.json";
    public static final String SPEC_HASH = "spec.sha256";
    public static final String ENVIRONMENT = "environment.json";
    /** environment.json's keys for the precision the run computed in (float32, bfloat16) and why. */
    public static final String PRECISION = "precision";
    public static final String PRECISION_REASON = "precision_reason";
    public static final String LOCK = "lock";

    /** The directory is locked by another process (or another run in this one). */
    public static final class InUseException extends UsageException {
        public InUseException(String message) {
            super(message);
        }
    }

    /** The lock of a run directory; closing it releases the lock. */
    public static final class Lock implements AutoCloseable {
        private final FileChannel channel;
        private final FileLock lock;

        private Lock(FileChannel channel, FileLock lock) {
            this.channel = channel;
            this.lock = lock;
        }

        @Override
        public void close() throws IOException {
            try {
                lock.release();
            } finally {
                channel.close();
            }
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;

    private RunDirectory(Path dir) {
        this.dir = dir;
    }

    public static RunDirectory create(Path runsRoot, String specName) throws IOException {
        return create(runsRoot, specName, LocalDateTime.now());
    }

    /**
     * runs/NAME/TIMESTAMP, or TIMESTAMP-2, -3, ... when runs started in the same second took it: the
     * folder is claimed by creating it, which only one process can do.
     */
    static RunDirectory create(Path runsRoot, String specName, LocalDateTime started) throws IOException {
        String stamp = started.format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path base = runsRoot.resolve(specName);
        Files.createDirectories(base);
        for (int n = 1; ; n++) {
            Path dir = base.resolve(n == 1 ? stamp : stamp + "-" + n);
            try {
                Files.createDirectory(dir);
            } catch (FileAlreadyExistsException taken) {
                continue;
            }
            Files.createDirectory(dir.resolve("checkpoints"));
            return new RunDirectory(dir);
        }
    }

    /** An existing run directory, refused with a usage error when {@code existing} is not one. */
    public static RunDirectory open(Path existing) {
        if (!Files.isDirectory(existing)) {
            throw new UsageException(existing + " is not a specc run directory: " + (Files.exists(existing)
                    ? "it is a file" : "there is no such folder") + " (expected a folder like runs/NAME/TIMESTAMP)");
        }
        if (!Files.isRegularFile(existing.resolve(SPEC))) {
            throw new UsageException(existing + " is not a specc run directory (it has no " + SPEC + ")");
        }
        return new RunDirectory(existing);
    }

    public Path path() {
        return dir;
    }

    /**
     * Locks the directory for this process, writing its process id into the lock file.
     *
     * @throws InUseException when another process (or this one) holds the lock
     */
    public Lock lock() throws IOException, InUseException {
        Path file = dir.resolve(LOCK);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            String holder = holder(channel);
            channel.close();
            throw new InUseException(dir + " is in use: specc" + holder + " is training in it; wait for it to end "
                    + "or stop it (Ctrl-C checkpoints it), then --resume again");
        }
        try {
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(true);
        } catch (IOException e) {
            lock.release();
            channel.close();
            throw e;
        }
        return new Lock(channel, lock);
    }

    private static String holder(FileChannel channel) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(32);
            channel.read(buffer, 0);
            String pid = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).strip();
            return pid.matches("[0-9]+") ? " (process " + pid + ")" : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** Whether the run has a checkpoint to resume from. */
    public boolean hasCheckpoint() {
        return Files.isRegularFile(checkpoint("last"));
    }

    public Path checkpoint(String which) {
        return dir.resolve("checkpoints").resolve(which + ".safetensors");
    }

    /** The checkpoint that eval, predict and export use by default: the best, else the last; null before the first. */
    public Path trainedCheckpoint() {
        if (Files.isRegularFile(checkpoint("best"))) return checkpoint("best");
        return Files.isRegularFile(checkpoint("last")) ? checkpoint("last") : null;
    }

    /** The spec the run trains: after extends and --set, as {@link #specText} wrote it. */
    public Path specFile() {
        return dir.resolve(SPEC);
    }

    /**
     * The spec file the run was started from, as environment.json records it: relative paths in the
     * spec (data.path, train.init_from) are looked up from its folder. The run's own spec when unknown.
     */
    public Path startedFrom() throws IOException {
        String spec = environmentText("spec");
        return spec != null ? Path.of(spec).toAbsolutePath() : specFile();
    }

    public Path tensorboard() {
        return dir.resolve("tensorboard");
    }

    /** The spec after extends and --set, as canonical JSON, and its SHA-256. */
    public static String specText(SMap tree) throws IOException {
        return JSON.writeValueAsString(SchemaValidator.toJson(tree)) + "\n";
    }

    public static String hash(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public void writeSpec(String specText) throws IOException {
        AtomicFiles.writeString(dir.resolve(SPEC), specText);
        AtomicFiles.writeString(dir.resolve(SPEC_HASH), hash(specText) + "\n");
    }

    public String readSpec() throws IOException {
        return Files.readString(dir.resolve(SPEC));
    }

    public void writeJson(String relative, Object value) throws IOException {
        AtomicFiles.writeString(dir.resolve(relative), JSON.writeValueAsString(value) + "\n");
    }

    public <T> T readJson(String relative, Class<T> type) throws IOException {
        return JSON.readValue(dir.resolve(relative).toFile(), type);
    }

    public void writeText(String relative, String text) throws IOException {
        AtomicFiles.writeString(dir.resolve(relative), text);
    }

    public void writeEnvironment(Map<String, Object> facts) throws IOException {
        ObjectNode node = JSON.createObjectNode();
        facts.forEach((k, v) -> node.putPOJO(k, v));
        writeJson(ENVIRONMENT, node);
    }

    /** The precision environment.json records (null when it records none). */
    public String recordedPrecision() throws IOException {
        return environmentText(PRECISION);
    }

    /** Why the run computes in its recorded precision (e.g. "auto: the CPU has avx512_bf16"); null when unknown. */
    public String recordedPrecisionReason() throws IOException {
        return environmentText(PRECISION_REASON);
    }

    private String environmentText(String key) throws IOException {
        Path environment = dir.resolve(ENVIRONMENT);
        if (!Files.isRegularFile(environment)) return null;
        JsonNode value = JSON.readTree(environment.toFile()).get(key);
        return value != null && value.isTextual() ? value.asText() : null;
    }

    /** Records in environment.json the precision a resumed run computes in, the rest kept as it was. */
    public void recordPrecision(String precision, String reason) throws IOException {
        Path environment = dir.resolve(ENVIRONMENT);
        ObjectNode node = Files.isRegularFile(environment) && JSON.readTree(environment.toFile()) instanceof ObjectNode o
                ? o : JSON.createObjectNode();
        node.put(PRECISION, precision);
        node.put(PRECISION_REASON, reason);
        writeJson(ENVIRONMENT, node);
    }

    /** metrics.csv and metrics.json from the per-epoch history. */
    public void writeMetrics(List<Map<String, Double>> history) throws IOException {
        Set<String> columns = new LinkedHashSet<>();
        history.forEach(h -> columns.addAll(h.keySet()));
        StringBuilder csv = new StringBuilder("epoch," + String.join(",", columns) + "\n");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int e = 0; e < history.size(); e++) {
            csv.append(e + 1);
            Map<String, Object> row = new java.util.LinkedHashMap<>();
            row.put("epoch", e + 1);
            for (String c : columns) {
                Double v = history.get(e).get(c);
                csv.append(',').append(v == null ? "" : v.toString());
                row.put(c, v);
            }
            csv.append('\n');
            rows.add(row);
        }
        writeText("metrics.csv", csv.toString());
        writeJson("metrics.json", rows);
    }

    /** A unified-style line diff of two spec texts, for refusing a resume. */
    public static String diff(String before, String after) {
        String[] a = before.split("\n");
        String[] b = after.split("\n");
        int[][] lcs = new int[a.length + 1][b.length + 1];
        for (int i = a.length - 1; i >= 0; i--) {
            for (int j = b.length - 1; j >= 0; j--) {
                lcs[i][j] = a[i].equals(b[j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        StringBuilder sb = new StringBuilder();
        int i = 0;
        int j = 0;
        while (i < a.length || j < b.length) {
            if (i < a.length && j < b.length && a[i].equals(b[j])) {
                i++;
                j++;
            } else if (j < b.length && (i == a.length || lcs[i][j + 1] >= lcs[i + 1][j])) {
                sb.append("+ ").append(b[j++].strip()).append('\n');
            } else {
                sb.append("- ").append(a[i++].strip()).append('\n');
            }
        }
        return sb.toString();
    }
}
