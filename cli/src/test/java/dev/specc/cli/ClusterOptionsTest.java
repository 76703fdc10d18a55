package dev.specc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specc.diag.UsageException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * How the cluster options resolve: --sync-batch-norm / --no-sync-batch-norm override the spec's
 * train.sync_batch_norm, which a single process ignores; --local-workers is refused below 1 and above
 * a few workers per core, and says how the workers share the cores.
 */
class ClusterOptionsTest {
    private static ClusterOptions parse(String... args) {
        ClusterOptions options = new ClusterOptions();
        new CommandLine(options).parseArgs(args);
        return options;
    }

    @Test
    void theCommandLineOverridesTheSpecsSyncBatchNormEitherWay() {
        assertNull(parse().syncBatchNorm);
        assertEquals(Boolean.TRUE, parse("--sync-batch-norm").syncBatchNorm);
        assertEquals(Boolean.FALSE, parse("--no-sync-batch-norm").syncBatchNorm);
        assertTrue(ClusterOptions.syncBatchNorm(null, true));
        assertFalse(ClusterOptions.syncBatchNorm(null, false));
        assertTrue(ClusterOptions.syncBatchNorm(Boolean.TRUE, false));
        assertFalse(ClusterOptions.syncBatchNorm(Boolean.FALSE, true));
    }

    @Test
    void aSingleProcessIgnoresTheSpecKeyButRefusesTheOption() {
        // No cluster: no --cluster and (in the test's environment) no TF_CONFIG.
        assertNull(System.getenv("TF_CONFIG"));
        assertNull(parse().role(true));
        assertNull(parse("--no-sync-batch-norm").role(true));
        UsageException e = assertThrows(UsageException.class, () -> parse("--sync-batch-norm").role(false));
        assertEquals("--sync-batch-norm needs a cluster (--local-workers, --cluster or TF_CONFIG)", e.getMessage());
    }

    @Test
    void aClusterTakesTheResolvedSetting() {
        assertTrue(parse("--cluster", "localhost:1,localhost:2", "--task-index", "1").role(true).crossWorker().syncBatchNorm());
        assertFalse(parse("--cluster", "localhost:1,localhost:2", "--task-index", "1", "--no-sync-batch-norm")
                .role(true).crossWorker().syncBatchNorm());
        assertTrue(parse("--cluster", "localhost:1,localhost:2", "--task-index", "0", "--sync-batch-norm")
                .role(false).crossWorker().syncBatchNorm());
    }

    @Test
    void localWorkersAreRefusedBelowOneAndAboveFourPerCore() {
        LocalCluster.checkWorkers(1, 2);
        LocalCluster.checkWorkers(8, 2);
        assertEquals("--local-workers must be at least 1, got 0",
                assertThrows(UsageException.class, () -> LocalCluster.checkWorkers(0, 2)).getMessage());
        assertEquals("--local-workers must be at least 1, got -3",
                assertThrows(UsageException.class, () -> LocalCluster.checkWorkers(-3, 2)).getMessage());
        assertEquals("--local-workers 9 is more than 4 workers per core on this machine of 2 cores (at most 8): each "
                        + "worker is a process with its own TensorFlow runtime and copy of the model",
                assertThrows(UsageException.class, () -> LocalCluster.checkWorkers(9, 2)).getMessage());
    }

    @Test
    void aRefusedWorkerCountExitsTwoBeforeAnyRunDirectory(@TempDir Path dir) {
        Path runs = dir.resolve("runs");
        for (String n : new String[] {"0", "-1", "100000"}) {
            CommandLineMistakesTest.Result r = CommandLineMistakesTest.run("train", CommandLineMistakesTest.SPEC,
                    "--runs-dir", runs.toString(), "--local-workers", n);
            r.assertMistake("--local-workers");
            assertFalse(Files.exists(runs), "a run directory was created for --local-workers " + n);
        }
    }

    @Test
    void theSharingLineSaysTheThreadsOfEachWorker() {
        assertEquals(2, LocalCluster.threadsPerWorker(4, 2));
        assertEquals(1, LocalCluster.threadsPerWorker(2, 4));
        assertEquals("local cluster: 2 worker processes on 4 cores, 2 TensorFlow threads each "
                + "(the cores divided among the workers)", LocalCluster.sharing(2, 4, 2, false));
        assertEquals("local cluster: 4 worker processes on 2 cores, 1 TensorFlow thread each "
                + "(the cores divided among the workers); 4 threads compete for 2 cores", LocalCluster.sharing(4, 2, 1, false));
        assertEquals("local cluster: 2 worker processes on 2 cores, 3 TensorFlow threads each (--threads); "
                + "6 threads compete for 2 cores", LocalCluster.sharing(2, 2, 3, true));
    }
}
