package dev.specc.runtime.data;

import dev.specc.config.DataConfig;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The batches of one pass over an {@link ImageSet}, prepared ahead on {@code workers} threads
 * with at most {@code prefetch} batches in flight.
 *
 * <p>Training passes visit the examples in an order drawn from (seed, epoch) and augment each
 * example with a transform drawn from (seed, epoch, example index); evaluation passes keep the
 * stored order and never augment. Batch b therefore holds the same floats however many threads
 * ran and whenever it was made, so a run resumed at batch b sees what the interrupted run would
 * have. The last batch of a pass may be smaller. Close the stream to stop its threads.
 */
public final class BatchStream implements Iterator<Batch>, AutoCloseable {
    private final ImageSet set;
    private final ImageShape input;
    private final int batchSize;
    private final int epoch;
    private final int[] order;
    private final Preprocessor preprocessor;
    private final int slicesPerBatch;
    private final ExecutorService pool;
    private final ArrayDeque<CompletableFuture<Batch>> inFlight = new ArrayDeque<>();
    private final int batchCount;
    private int nextToSubmit;
    private int nextToTake;
    private boolean closed;

    private BatchStream(ImageSet set, ImageShape input, int batchSize, DataConfig config, int epoch, int startBatch,
                        boolean training) {
        // The spec's check (Pipeline.check) reports both with their positions: reaching them is a bug.
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        if (config.normalize() != null && !config.normalize().fits(input.channels())) {
            throw new IllegalArgumentException("data.normalize does not fit a model input of " + input);
        }
        this.set = set;
        this.input = input;
        this.batchSize = batchSize;
        this.epoch = epoch;
        this.batchCount = batchCount(set.size(), batchSize);
        if (startBatch < 0 || startBatch > batchCount) {
            throw new IllegalArgumentException("start batch " + startBatch + " outside 0.." + batchCount);
        }
        this.order = training ? Seeds.permutation(set.size(), Seeds.derive(Seeds.SHUFFLE, config.seed(), epoch, 0))
                : identity(set.size());
        this.preprocessor = new Preprocessor(input, config, training);
        this.slicesPerBatch = Math.min(config.workers(), batchSize);
        this.pool = Executors.newFixedThreadPool(config.workers(), DaemonThreads.named("specc-data"));
        this.nextToSubmit = startBatch;
        this.nextToTake = startBatch;
        for (int i = 0; i < config.prefetch(); i++) submitNext();
    }

    /** A training pass: shuffled for (seed, epoch), augmented, starting at batch {@code startBatch}. */
    public static BatchStream training(ImageSet set, ImageShape input, int batchSize, DataConfig config, int epoch,
                                       int startBatch) {
        return new BatchStream(set, input, batchSize, config, epoch, startBatch, true);
    }

    /** An evaluation pass: stored order, no augmentation. */
    public static BatchStream evaluation(ImageSet set, ImageShape input, int batchSize, DataConfig config) {
        return new BatchStream(set, input, batchSize, config, 0, 0, false);
    }

    public static int batchCount(int examples, int batchSize) {
        return (examples + batchSize - 1) / batchSize;
    }

    public int batchCount() {
        return batchCount;
    }

    /** The index within the pass of the batch {@link #next()} returns. */
    public int nextBatchIndex() {
        return nextToTake;
    }

    @Override
    public boolean hasNext() {
        return !closed && nextToTake < batchCount;
    }

    @Override
    public Batch next() {
        if (closed) throw new IllegalStateException("batch stream is closed");
        if (nextToTake >= batchCount) throw new NoSuchElementException("all " + batchCount + " batches taken");
        CompletableFuture<Batch> head = inFlight.poll();
        submitNext();
        nextToTake++;
        try {
            return head.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a batch", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("preparing batch " + (nextToTake - 1) + " failed: " + e.getCause(),
                    e.getCause());
        }
    }

    private void submitNext() {
        if (nextToSubmit >= batchCount) return;
        int from = nextToSubmit * batchSize;
        int size = Math.min(batchSize, set.size() - from);
        float[] images = new float[size * input.values()];
        int[] labels = new int[size];
        CompletableFuture<?>[] slices = new CompletableFuture<?>[Math.min(slicesPerBatch, size)];
        for (int s = 0; s < slices.length; s++) {
            int first = s * size / slices.length;
            int end = (s + 1) * size / slices.length;
            slices[s] = CompletableFuture.runAsync(() -> fill(from, first, end, images, labels), pool);
        }
        inFlight.add(CompletableFuture.allOf(slices).thenApply(done -> new Batch(images, labels, size)));
        nextToSubmit++;
    }

    /** Positions {@code first..end-1} of the batch that starts at {@code from} in the pass order. */
    private void fill(int from, int first, int end, float[] images, int[] labels) {
        for (int k = first; k < end; k++) {
            int index = order[from + k];
            labels[k] = set.labels()[index];
            preprocessor.prepare(set, index, epoch, images, k * input.values());
        }
    }

    private static int[] identity(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        return order;
    }

    /** Stops the threads, waiting briefly for a batch being prepared to finish. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        inFlight.forEach(future -> future.cancel(true));
        inFlight.clear();
        pool.shutdownNow();
        try {
            pool.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
