package dev.specc.runtime.data;

import java.nio.file.Path;

/**
 * Where the {@code disk} cache lives, how much decoded data the automatic choice keeps in memory,
 * and the size of the disk cache's mapped segments.
 *
 * <p>The folder is {@code $SPECC_CACHE_DIR} when set, else {@code $XDG_CACHE_HOME/specc/data}, else
 * {@code ~/.cache/specc/data}: outside run directories, because a cache serves every run of the same
 * data, and outside the repository. The budget is a quarter of the JVM's maximum heap.
 */
public record CacheSettings(Path folder, long memoryBudget, long segmentBytes) {
    public static CacheSettings defaults() {
        return new CacheSettings(defaultFolder(System.getenv("SPECC_CACHE_DIR"), System.getenv("XDG_CACHE_HOME"),
                System.getProperty("user.home")), Runtime.getRuntime().maxMemory() / 4, DiskCache.DEFAULT_SEGMENT_BYTES);
    }

    static Path defaultFolder(String speccCacheDir, String xdgCacheHome, String home) {
        if (speccCacheDir != null && !speccCacheDir.isEmpty()) return Path.of(speccCacheDir);
        Path base = xdgCacheHome != null && !xdgCacheHome.isEmpty() ? Path.of(xdgCacheHome) : Path.of(home, ".cache");
        return base.resolve("specc").resolve("data");
    }
}
