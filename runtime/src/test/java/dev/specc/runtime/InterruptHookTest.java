package dev.specc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hook in a child JVM that gets SIGTERM, which takes the same shutdown path as Ctrl-C (exit 143 for 130). */
class InterruptHookTest {
    private static final String READY = "ready";

    @TempDir
    Path dir;

    @Test
    void aStepThatNeverEndsDoesNotKeepTheProcessAliveAfterTheSignal() throws Exception {
        Path log = dir.resolve("hang.log");
        Process child = start("hang", log);
        try {
            signalWhenReady(child, log);
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the process ended: " + Files.readString(log));
            assertEquals(143, child.exitValue(), Files.readString(log));
        } finally {
            child.destroyForcibly().waitFor();
        }
        assertEquals(READY + "\nspecc: the run did not stop within 1 s of the interrupt; exiting without a checkpoint of "
                + "the current step: continue from the last checkpoint with --resume runs/net/1\n", Files.readString(log));
    }

    @Test
    void aRunThatFailsAfterTheSignalReportsItsFailureAndExitsWithItsCode() throws Exception {
        Path log = dir.resolve("fail.log");
        Process child = start("fail", log);
        try {
            signalWhenReady(child, log);
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the process ended: " + Files.readString(log));
            assertEquals(1, child.exitValue(), Files.readString(log));
        } finally {
            child.destroyForcibly().waitFor();
        }
        assertEquals(READY + "\nspecc: the loss became NaN\n", Files.readString(log));
    }

    private Process start(String mode, Path log) throws IOException {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Child.class.getName(), mode)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static void signalWhenReady(Process child, Path log) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!Files.readString(log).startsWith(READY) && child.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(child.isAlive(), Files.readString(log));
        assertEquals(0, new ProcessBuilder("kill", "-TERM", Long.toString(child.pid())).start().waitFor());
    }

    /**
     * A run in miniature: "hang" never finishes its step; "fail" fails once asked to stop, and
     * reports the failure a while after the run closed its hook, as the command line does.
     */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            CountDownLatch stopRequested = new CountDownLatch(1);
            boolean hang = args[0].equals("hang");
            InterruptHook hook = new InterruptHook(stopRequested::countDown, Path.of("runs/net/1"),
                    Duration.ofSeconds(hang ? 1 : 20));
            if (hang) {
                System.out.println(READY);
                System.out.flush();
                new CountDownLatch(1).await();
            }
            try {
                System.out.println(READY);
                System.out.flush();
                stopRequested.await();
                throw new IllegalStateException("the loss became NaN");
            } catch (IllegalStateException failure) {
                hook.holdForReport();
                hook.close();
                Thread.sleep(300);
                System.err.println("specc: " + failure.getMessage());
                InterruptHook.exit(1);
            }
        }
    }
}
