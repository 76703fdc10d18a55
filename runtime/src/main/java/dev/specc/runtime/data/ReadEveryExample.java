package dev.specc.runtime.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Reads every example of a source once, on worker threads, for a cache to keep: an example whose
 * read fails with an IOException (how sources report an unreadable file) is recorded with its
 * reason and skipped; anything else a read throws is a bug and ends the whole read.
 */
final class ReadEveryExample {
    /** Keeps example {@code index}'s pixels; called from the worker threads, once per readable example. */
    interface Store {
        void store(int index, byte[] pixels) throws IOException;
    }

    private ReadEveryExample() {
    }

    /**
     * Reads all of {@code source} into {@code store}.
     *
     * @return for each example, why it could not be read, or null when it was stored
     * @throws IOException when {@code store} fails
     */
    static String[] into(Examples source, int workers, String threadName, Store store) throws IOException {
        int n = source.size();
        int values = source.shape().values();
        String[] failures = new String[n];
        ExecutorService pool = Executors.newFixedThreadPool(workers, DaemonThreads.named(threadName));
        try {
            int tasks = Math.max(1, Math.min(n, workers * 8));
            CompletableFuture<?>[] parts = new CompletableFuture<?>[tasks];
            for (int t = 0; t < tasks; t++) {
                int from = (int) ((long) t * n / tasks);
                int to = (int) ((long) (t + 1) * n / tasks);
                parts[t] = CompletableFuture.runAsync(() -> readRange(source, from, to, values, failures, store), pool);
            }
            CompletableFuture.allOf(parts).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof UncheckedIOException io) throw io.getCause();
            if (e.getCause() instanceof RuntimeException bug) throw bug;
            if (e.getCause() instanceof Error error) throw error;
            throw e;
        } finally {
            pool.shutdownNow();
        }
        return failures;
    }

    private static void readRange(Examples source, int from, int to, int values, String[] failures, Store store) {
        byte[] buffer = new byte[values];
        for (int i = from; i < to; i++) {
            try {
                source.read(i, buffer, 0);
            } catch (IOException e) {
                failures[i] = e.getMessage() == null ? e.toString() : e.getMessage();
                continue;
            }
            try {
                store.store(i, buffer);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
