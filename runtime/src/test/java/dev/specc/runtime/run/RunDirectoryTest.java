package dev.specc.runtime.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.specc.diag.UsageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoryTest {
    @TempDir
    Path dir;

    @Test
    void diffShowsRemovedAndAddedLinesOnly() {
        String before = "{\n  \"name\": \"net\",\n  \"epochs\": 3,\n  \"lr\": 0.1\n}\n";
        String after = "{\n  \"name\": \"net\",\n  \"epochs\": 5,\n  \"lr\": 0.1,\n  \"seed\": 7\n}\n";
        List<String> lines = RunDirectory.diff(before, after).lines().toList();
        // Unchanged lines ("{", "name") are left out; removed and added ones keep their order.
        assertEquals(List.of("- \"epochs\": 3,", "- \"lr\": 0.1"), lines.stream().filter(l -> l.startsWith("- ")).toList());
        assertEquals(List.of("+ \"epochs\": 5,", "+ \"lr\": 0.1,", "+ \"seed\": 7"),
                lines.stream().filter(l -> l.startsWith("+ ")).toList());
        assertEquals(5, lines.size(), lines.toString());
        assertEquals("", RunDirectory.diff(before, before));
        assertEquals("+ c\n", RunDirectory.diff("a\nb", "a\nb\nc"));
        assertEquals("- a\n", RunDirectory.diff("a\nb", "b"));
    }

    @Test
    void hashIsTheSha256OfTheText() {
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", RunDirectory.hash("abc"));
    }

    private static Map<String, Double> row(Object... kv) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], (Double) kv[i + 1]);
        return m;
    }

    @Test
    void metricsCsvAndJsonHaveAnEpochColumnAndEveryMetric() throws IOException {
        RunDirectory run = RunDirectory.create(dir, "net");
        assertTrue(run.path().startsWith(dir.resolve("net")));
        assertTrue(Files.isDirectory(run.path().resolve("checkpoints")));
        run.writeMetrics(List.of(
                row("loss", 1.5, "accuracy", 0.25, "learning_rate", 0.1),
                row("loss", 1.0, "accuracy", 0.5, "val_loss", 1.25, "learning_rate", 0.05)));
        List<String> csv = Files.readAllLines(run.path().resolve("metrics.csv"));
        assertEquals(List.of(
                "epoch,loss,accuracy,learning_rate,val_loss",
                "1,1.5,0.25,0.1,",
                "2,1.0,0.5,0.05,1.25"), csv);
        JsonNode json = new ObjectMapper().readTree(run.path().resolve("metrics.json").toFile());
        assertEquals(2, json.size());
        assertEquals(List.of("epoch", "loss", "accuracy", "learning_rate", "val_loss"),
                List.copyOf(iterable(json.get(1).fieldNames())));
        assertEquals(2, json.get(1).get("epoch").asInt());
        assertEquals(1.25, json.get(1).get("val_loss").asDouble());
        assertTrue(json.get(0).get("val_loss").isNull(), "a metric missing from an epoch is null");
    }

    private static <T> List<T> iterable(java.util.Iterator<T> it) {
        List<T> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    @Test
    void specTextAndHashRoundTripAndOpenChecksTheDirectory() throws IOException {
        RunDirectory first = RunDirectory.create(dir, "net");
        RunDirectory second = RunDirectory.create(dir, "net");
        assertNotEquals(first.path(), second.path(), "two runs in the same second get distinct directories");
        first.writeSpec("{\"a\": 1}\n");
        assertEquals(RunDirectory.hash("{\"a\": 1}\n") + "\n", Files.readString(first.path().resolve(RunDirectory.SPEC_HASH)));
        assertEquals("{\"a\": 1}\n", RunDirectory.open(first.path()).readSpec());
        UsageException e = assertThrows(UsageException.class, () -> RunDirectory.open(second.path()));
        assertEquals(second.path() + " is not a specc run directory (it has no spec.resolved.json)", e.getMessage());
        UsageException missing = assertThrows(UsageException.class, () -> RunDirectory.open(dir.resolve("nope")));
        assertEquals(dir.resolve("nope") + " is not a specc run directory: there is no such folder "
                + "(expected a folder like runs/NAME/TIMESTAMP)", missing.getMessage());
    }

    @Test
    void aLockedRunDirectoryIsRefusedUntilTheLockIsReleased() throws Exception {
        RunDirectory run = RunDirectory.create(dir, "net");
        try (RunDirectory.Lock lock = run.lock()) {
            assertEquals(ProcessHandle.current().pid() + "\n", Files.readString(run.path().resolve(RunDirectory.LOCK)));
            RunDirectory.InUseException e = assertThrows(RunDirectory.InUseException.class, run::lock);
            assertEquals(run.path() + " is in use: specc (process " + ProcessHandle.current().pid() + ") is training in it; "
                    + "wait for it to end or stop it (Ctrl-C checkpoints it), then --resume again", e.getMessage());
        }
        try (RunDirectory.Lock again = run.lock()) {
            assertTrue(Files.exists(run.path().resolve(RunDirectory.LOCK)), "released locks can be taken again");
        }
    }

    @Test
    void aFailedWriteLeavesNoTemporaryFileBehind() throws IOException {
        RunDirectory run = RunDirectory.create(dir, "net");
        Files.createDirectories(run.path().resolve("report.txt/taken"));
        assertThrows(IOException.class, () -> run.writeText("report.txt", "second\n"));
        try (var files = Files.list(run.path())) {
            assertEquals(List.of("checkpoints", "report.txt"), files.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no temporary file left in the run directory");
        }
    }

    @Test
    void runsStartedInTheSameSecondGetAFolderEach() throws Exception {
        int runs = 8;
        ExecutorService pool = Executors.newFixedThreadPool(runs);
        try {
            for (int second = 0; second < 30; second++) {
                LocalDateTime started = LocalDateTime.of(2025, 1, 1, 12, 0, second);
                CyclicBarrier together = new CyclicBarrier(runs);
                List<Future<Path>> made = new ArrayList<>();
                for (int r = 0; r < runs; r++) {
                    made.add(pool.submit(() -> {
                        together.await();
                        return RunDirectory.create(dir, "net", started).path();
                    }));
                }
                Set<String> names = new TreeSet<>();
                for (Future<Path> f : made) names.add(f.get().getFileName().toString());
                String stamp = String.format("20250101-1200%02d", second);
                Set<String> expected = new TreeSet<>(List.of(stamp));
                for (int n = 2; n <= runs; n++) expected.add(stamp + "-" + n);
                assertEquals(expected, names, "one folder per run");
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
