package dev.specc.runtime.data;

import dev.specc.config.DataConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Applies {@code data.cache} to listed examples: {@code memory} decodes them all now, {@code disk}
 * opens (or writes) their disk cache, {@code none} leaves them to be decoded by each batch. Without
 * a written choice, memory when the decoded examples fit {@link DataSettings#memoryBudget()}, else none.
 */
final class DataCaches {
    private final DataConfig config;
    private final DataSettings settings;
    private final DataConfig.Cache mode;
    private final String reason;

    /** Decides for examples that decode to {@code decodedBytes} in all; {@code inMemory} sources are kept as they are. */
    DataCaches(DataConfig config, DataSettings settings, long decodedBytes, boolean inMemory) {
        this.config = config;
        this.settings = settings;
        String size = "the decoded examples take " + bytes(decodedBytes);
        if (inMemory) {
            mode = DataConfig.Cache.MEMORY;
            reason = config.source().spelling() + " data is read whole into memory"
                    + (config.cache() == null || config.cache() == DataConfig.Cache.MEMORY ? ""
                    : "; data.cache applies to sources decoded per example");
        } else if (config.cache() != null) {
            mode = config.cache();
            reason = "data.cache: " + mode.spelling() + "; " + size;
        } else if (decodedBytes <= settings.memoryBudget()) {
            mode = DataConfig.Cache.MEMORY;
            reason = "automatic: " + size + ", within a quarter of the heap (" + bytes(settings.memoryBudget()) + ")";
        } else {
            mode = DataConfig.Cache.NONE;
            reason = "automatic: " + size + ", more than a quarter of the heap (" + bytes(settings.memoryBudget())
                    + "); decoded on the fly each epoch (data.cache: disk decodes once)";
        }
    }

    /** "memory (automatic: ...)", for the run's log. */
    String describe() {
        return mode.spelling() + " (" + reason + ")";
    }

    /** The examples as the cache keeps them; {@code origin} names the source for a disk cache's file name. */
    Listing apply(Listing listed, String origin, List<String> notes) throws DataException {
        Examples examples = listed.examples();
        if (examples.inMemory() || mode == DataConfig.Cache.NONE) return listed;
        Listing cached;
        if (mode == DataConfig.Cache.MEMORY) {
            cached = MemoryExamples.decode(examples, config.workers());
        } else {
            String fingerprint;
            try {
                fingerprint = examples.fingerprint();
            } catch (IOException e) {
                throw new DataException(origin + ": cannot read for the disk cache's fingerprint: " + e.getMessage(), e);
            }
            if (fingerprint == null) {
                notes.add(origin + ": not cached on disk (the source has no fingerprint); decoded on the fly");
                return listed;
            }
            DiskCache.Opened opened = new DiskCache(settings.cacheFolder(), settings.segmentBytes())
                    .open(examples, key(origin, examples.shape()), fingerprint, config.workers());
            notes.add("disk cache of " + origin + ": " + opened.note());
            cached = opened.listing();
        }
        List<String> warnings = new ArrayList<>(listed.warnings());
        warnings.addAll(cached.warnings());
        return new Listing(cached.examples(), warnings);
    }

    /** A readable, collision-free file name: the folder's name, then a hash of its full path and the decoded shape. */
    static String key(String origin, ImageShape shape) {
        String name = origin.replaceAll(".*[/\\\\]", "").replaceAll("[^A-Za-z0-9._-]", "_");
        byte[] hash = ImageFiles.sha256().digest((origin + "\0" + shape).getBytes(StandardCharsets.UTF_8));
        return (name.isEmpty() ? "data" : name) + "-" + shape + "-" + HexFormat.of().formatHex(hash, 0, 8);
    }

    static String bytes(long count) {
        if (count < 1 << 20) return String.format(Locale.ROOT, "%.1f KiB", count / 1024.0);
        if (count < 1L << 30) return String.format(Locale.ROOT, "%.1f MiB", count / (double) (1 << 20));
        return String.format(Locale.ROOT, "%.2f GiB", count / (double) (1L << 30));
    }
}
