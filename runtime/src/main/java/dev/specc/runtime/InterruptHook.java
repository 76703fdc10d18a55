package dev.specc.runtime;

import java.util.concurrent.CountDownLatch;

/**
 * While open, Ctrl-C (SIGINT) or SIGTERM does not end the process at once: the JVM's shutdown
 * hook asks the trainer to stop after its current step and waits until the run has written its
 * checkpoint and closed this hook; the JVM then exits with 128 + the signal's number (130 for
 * Ctrl-C). kill -9 cannot be caught; the checkpoints written so far cover that case.
 */
final class InterruptHook implements AutoCloseable {
    private final Thread hook;
    private final CountDownLatch closed = new CountDownLatch(1);

    InterruptHook(Runnable requestStop) {
        hook = new Thread(() -> {
            requestStop.run();
            try {
                closed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "specc-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    @Override
    public void close() {
        closed.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is shutting down: the hook is running and returns now that the run is closed.
        }
    }
}
