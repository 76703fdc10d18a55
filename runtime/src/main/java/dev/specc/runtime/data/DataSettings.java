package dev.specc.runtime.data;

import java.nio.file.Path;

/**
 * How data is loaded on this machine, apart from the spec: where the {@code disk} cache lives
 * ({@code cacheFolder}), how much decoded data the automatic choice keeps in memory, the size of the
 * disk cache's mapped segments, and TensorFlow's thread count for decoding JPEGs (the run's
 * {@code --threads}: TensorFlow sizes its CPU pool once per process, see {@code Sessions}).
 *
 * <p>The cache folder is {@code $SPECC_CACHE_DIR} when set, else {@code $XDG_CACHE_HOME/specc/data},
 * else {@code ~/.cache/specc/data}: outside run directories, because a cache serves every run of the
 * same data, and outside the repository. The budget is a quarter of the JVM's maximum heap.
 */
public record DataSettings(Path cacheFolder, long memoryBudget, long segmentBytes, int threads) {
    public static DataSettings defaults(int threads) {
        return new DataSettings(defaultFolder(System.getenv("SPECC_CACHE_DIR"), System.getenv("XDG_CACHE_HOME"),
                System.getProperty("user.home")), Runtime.getRuntime().maxMemory() / 4, DiskCache.DEFAULT_SEGMENT_BYTES,
                threads);
    }

    static Path defaultFolder(String speccCacheDir, String xdgCacheHome, String home) {
        if (speccCacheDir != null && !speccCacheDir.isEmpty()) return Path.of(speccCacheDir);
        Path base = xdgCacheHome != null && !xdgCacheHome.isEmpty() ? Path.of(xdgCacheHome) : Path.of(home, ".cache");
        return base.resolve("specc").resolve("data");
    }
}
