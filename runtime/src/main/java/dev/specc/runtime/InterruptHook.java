package dev.specc.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * While open, Ctrl-C (SIGINT) or SIGTERM does not end the process at once: the JVM's shutdown
 * hook asks the trainer to stop after its current step and waits until the run has written its
 * checkpoint and closed this hook; the JVM then exits with 128 + the signal's number (130 for
 * Ctrl-C). A run that fails after the signal holds the hook until the command has reported the
 * failure and ends the process with its exit code through {@link #exit}. The hook waits at most
 * {@link #WAIT}: a step that never ends cannot keep the process alive. kill -9 cannot be caught;
 * the checkpoints written so far cover that case.
 */
public final class InterruptHook implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(30);

    /** The hook of a run that failed after a signal, waiting for {@link #exit}; null when none. */
    private static volatile InterruptHook holding;

    private final Thread hook;
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile boolean holdForReport;

    InterruptHook(Runnable requestStop, Path runDirectory) {
        this(requestStop, runDirectory, WAIT);
    }

    InterruptHook(Runnable requestStop, Path runDirectory, Duration wait) {
        hook = new Thread(() -> {
            requestStop.run();
            try {
                if (!released.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                    System.out.flush();
                    System.err.println("specc: the run did not stop within " + wait.toSeconds() + " s of the interrupt; "
                            + "exiting without a checkpoint of the current step: continue from the last checkpoint with "
                            + "--resume " + runDirectory);
                    System.err.flush();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "specc-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * The run is failing: if a signal already stopped it, closing keeps the process alive until the
     * failure is reported and {@link #exit} is called (or the wait runs out).
     */
    void holdForReport() {
        holdForReport = true;
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // A signal started the JVM's shutdown: the hook runs and waits for this run.
            if (holdForReport) {
                holding = this;
                return;
            }
        }
        released.countDown();
    }

    /**
     * Ends the process with {@code status}. System.exit would block for good while a signal's
     * shutdown waits in a held hook, so then the JVM is halted with the failure's status instead.
     */
    public static void exit(int status) {
        if (holding != null) {
            System.out.flush();
            System.err.flush();
            Runtime.getRuntime().halt(status);
        }
        System.exit(status);
    }
}
