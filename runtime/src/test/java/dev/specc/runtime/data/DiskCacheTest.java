package dev.specc.runtime.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specc.config.DataConfig;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskCacheTest {
    @TempDir
    Path dir;

    private Splits load(List<String> notes) throws Exception {
        Splits splits = DataSources.load(StreamingMatchesInMemoryTest.config(DataConfig.Cache.DISK), dir.resolve("s.yaml"),
                new ArrayList<>(), new DataSettings(dir.resolve("cache"), 0, StreamingMatchesInMemoryTest.SEGMENT, 0));
        notes.add(splits.cache());
        return splits;
    }

    private Path only(String extension) throws Exception {
        try (Stream<Path> files = Files.list(dir.resolve("cache"))) {
            List<Path> found = files.filter(f -> f.toString().endsWith(extension)).toList();
            assertEquals(1, found.size(), found.toString());
            return found.get(0);
        }
    }

    @Test
    void writtenOnceThenReadMappedInSegments() throws Exception {
        StreamingMatchesInMemoryTest.folder(dir);
        List<String> notes = new ArrayList<>();
        load(notes);
        Path pixels = only(".pixels");
        assertEquals(19L * 10 * 12 * 3, Files.size(pixels), "the 19 listed images (the garbage file is not one)");
        assertTrue(notes.get(0).endsWith("written to " + pixels + " (there was no cache)"), notes.get(0));
        Splits again = load(notes);
        assertTrue(notes.get(1).endsWith("read from " + pixels), notes.get(1));
        assertEquals(StreamingMatchesInMemoryTest.RECORDED,
                StreamingMatchesInMemoryTest.digests(again, StreamingMatchesInMemoryTest.config(DataConfig.Cache.DISK)));
        MappedExamples mapped = (MappedExamples) ((Subset) again.train()).all();
        assertEquals(3, mapped.segmentCount(), "19 examples in segments of 7");
        assertEquals(List.of(), Files.list(dir.resolve("cache")).filter(f -> f.toString().endsWith(".tmp")).toList());
    }

    @Test
    void aTruncatedCacheIsRebuiltNotUsed() throws Exception {
        StreamingMatchesInMemoryTest.folder(dir);
        List<String> notes = new ArrayList<>();
        load(notes);
        Path pixels = only(".pixels");
        long whole = Files.size(pixels);
        try (FileChannel channel = FileChannel.open(pixels, StandardOpenOption.WRITE)) {
            channel.truncate(whole - 100);
        }
        Splits rebuilt = load(notes);
        assertTrue(notes.get(1).endsWith("written to " + pixels + " (truncated: " + (whole - 100) + " of " + whole
                + " bytes)"), notes.get(1));
        assertEquals(whole, Files.size(pixels));
        assertEquals(StreamingMatchesInMemoryTest.RECORDED,
                StreamingMatchesInMemoryTest.digests(rebuilt, StreamingMatchesInMemoryTest.config(DataConfig.Cache.DISK)));
    }

    @Test
    void aChangedFileMakesTheCacheStale() throws Exception {
        Path pics = StreamingMatchesInMemoryTest.folder(dir);
        List<String> notes = new ArrayList<>();
        List<String> before = StreamingMatchesInMemoryTest.digests(load(notes),
                StreamingMatchesInMemoryTest.config(DataConfig.Cache.DISK));
        Path image = pics.resolve("cat/img0.png");
        ImageFolderTest.writeImage(image, "png", 9, 7, 0xFFFFFF);
        Files.setLastModifiedTime(image, FileTime.fromMillis(Files.getLastModifiedTime(image).toMillis() + 5000));
        Splits changed = load(notes);
        assertTrue(notes.get(1).contains("(stale: the data changed since it was written)"), notes.get(1));
        List<String> after = StreamingMatchesInMemoryTest.digests(changed,
                StreamingMatchesInMemoryTest.config(DataConfig.Cache.DISK));
        Splits streamed = DataSources.load(StreamingMatchesInMemoryTest.config(DataConfig.Cache.NONE), dir.resolve("s.yaml"),
                new ArrayList<>(), new DataSettings(dir.resolve("unused"), 0, 1, 0));
        assertEquals(StreamingMatchesInMemoryTest.digests(streamed, StreamingMatchesInMemoryTest.config(DataConfig.Cache.NONE)),
                after, "the rebuilt cache holds the new pixels");
        assertTrue(!before.equals(after));
        assertEquals(1, Files.list(dir.resolve("cache")).filter(f -> f.toString().endsWith(".pixels")).count(),
                "the stale cache was replaced, not kept beside the new one");
    }

    /** Two processes (two cluster workers on one machine) open the same cache at once: one builds it, the other waits and reads it. */
    @Test
    void twoProcessesBuildingTheSameCacheTakeTurns() throws Exception {
        Path cache = dir.resolve("shared");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            processes.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    SlowExamples.class.getName(), cache.toString()).redirectErrorStream(true).start());
        }
        List<String> notes = new ArrayList<>();
        for (Process p : processes) {
            String out = new String(p.getInputStream().readAllBytes()).strip();
            assertEquals(0, p.waitFor(), out);
            notes.add(out);
        }
        Path pixels = cache.resolve(SlowExamples.KEY + ".pixels");
        assertEquals(List.of("read from " + pixels + "; example 19 holds 19",
                "written to " + pixels + " (there was no cache); example 19 holds 19"), notes.stream().sorted().toList());
    }

    @Test
    void twoThreadsBuildingTheSameCacheTakeTurns() throws Exception {
        Path cache = dir.resolve("shared");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            List<java.util.concurrent.Future<String>> notes = new ArrayList<>();
            for (int i = 0; i < 2; i++) notes.add(pool.submit(() -> SlowExamples.open(cache).note()));
            Path pixels = cache.resolve(SlowExamples.KEY + ".pixels");
            assertEquals(List.of("read from " + pixels, "written to " + pixels + " (there was no cache)"),
                    List.of(notes.get(0).get(), notes.get(1).get()).stream().sorted().toList());
        } finally {
            pool.shutdownNow();
        }
    }
}
