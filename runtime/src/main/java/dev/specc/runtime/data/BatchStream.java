package dev.specc.runtime.data;

import dev.specc.config.DataConfig;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The batches of one pass over {@link Examples}, read (decoded, for a folder without a cache),
 * resized and augmented on {@code workers} threads with at most {@code prefetch} batches in flight:
 * memory holds the prefetched batches and one example per worker, however many examples there are.
 *
 * <p>Training passes visit the examples in an order drawn from (seed, epoch) and augment each
 * example with a transform drawn from (seed, epoch, example index); evaluation passes keep the
 * stored order and never augment. Batch b therefore holds the same floats however many threads
 * ran and whenever it was made, so a run resumed at batch b sees what the interrupted run would
 * have. The last batch of a pass may be smaller. An example that cannot be read (a file damaged
 * inside) is left out of its batch and reported once to the {@link SkipLog}. Close the stream to
 * stop its threads.
 */
public final class BatchStream implements Iterator<Batch>, AutoCloseable {
    private final Examples set;
    private final SkipLog skips;
    private final ImageShape input;
    private final int batchSize;
    private final int epoch;
    private final int[] order;
    private final Shard shard;
    private final Preprocessor preprocessor;
    private final int slicesPerBatch;
    private final ExecutorService pool;
    private final ArrayDeque<CompletableFuture<Batch>> inFlight = new ArrayDeque<>();
    private final int batchCount;
    private int nextToSubmit;
    private int nextToTake;
    private boolean closed;

    private BatchStream(Examples set, ImageShape input, int batchSize, DataConfig config, int epoch, int startBatch,
                        boolean training, SkipLog skips, Shard shard) {
        // The spec's check (Pipeline.check) reports both with their positions: reaching them is a bug.
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        if (config.normalize() != null && !config.normalize().fits(input.channels())) {
            throw new IllegalArgumentException("data.normalize does not fit a model input of " + input);
        }
        this.set = set;
        this.skips = skips;
        this.input = input;
        this.batchSize = batchSize;
        this.epoch = epoch;
        this.batchCount = batchCount(set.size(), batchSize);
        if (startBatch < 0 || startBatch > batchCount) {
            throw new IllegalArgumentException("start batch " + startBatch + " outside 0.." + batchCount);
        }
        this.order = training ? Seeds.permutation(set.size(), Seeds.derive(Seeds.SHUFFLE, config.seed(), epoch, 0))
                : identity(set.size());
        this.shard = shard;
        this.preprocessor = new Preprocessor(input, config, training);
        this.slicesPerBatch = Math.min(config.workers(), batchSize);
        this.pool = Executors.newFixedThreadPool(config.workers(), DaemonThreads.named("specc-data"));
        this.nextToSubmit = startBatch;
        this.nextToTake = startBatch;
        for (int i = 0; i < config.prefetch(); i++) submitNext();
    }

    /** A training pass: shuffled for (seed, epoch), augmented, starting at batch {@code startBatch}. */
    public static BatchStream training(Examples set, ImageShape input, int batchSize, DataConfig config, int epoch,
                                       int startBatch, SkipLog skips) {
        return training(set, input, batchSize, config, epoch, startBatch, skips, Shard.WHOLE);
    }

    /**
     * A training pass of which only {@code shard}'s rows of each batch are read (with the labels of
     * all rows): a worker of a cluster's part of the global batches. A shard that a last batch smaller
     * than the cluster leaves empty reads the batch's first row instead (the worker trains on it with
     * share 0). An example of the shard that cannot be read takes a readable neighbour's place in the
     * shard (image and label) instead of being dropped: the workers do not tell each other which of
     * their examples failed, and the global batch's size must stay the one they all count with.
     */
    public static BatchStream training(Examples set, ImageShape input, int batchSize, DataConfig config, int epoch,
                                       int startBatch, SkipLog skips, Shard shard) {
        return new BatchStream(set, input, batchSize, config, epoch, startBatch, true, skips, shard);
    }

    public static BatchStream training(Examples set, ImageShape input, int batchSize, DataConfig config, int epoch,
                                       int startBatch) {
        return training(set, input, batchSize, config, epoch, startBatch, new SkipLog());
    }

    /** An evaluation pass: stored order, no augmentation. */
    public static BatchStream evaluation(Examples set, ImageShape input, int batchSize, DataConfig config, SkipLog skips) {
        return new BatchStream(set, input, batchSize, config, 0, 0, false, skips, Shard.WHOLE);
    }

    public static BatchStream evaluation(Examples set, ImageShape input, int batchSize, DataConfig config) {
        return evaluation(set, input, batchSize, config, new SkipLog());
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
        int first = shard.start(size);
        int rows = shard.end(size) - first;
        if (rows == 0) {
            first = 0;
            rows = 1;
        }
        int[] labels = new int[size];
        for (int k = 0; k < size; k++) labels[k] = set.label(order[from + k]);
        float[] images = new float[rows * input.values()];
        boolean[] failed = new boolean[rows];
        CompletableFuture<?>[] slices = new CompletableFuture<?>[Math.min(slicesPerBatch, rows)];
        for (int s = 0; s < slices.length; s++) {
            int begin = first + s * rows / slices.length;
            int end = first + (s + 1) * rows / slices.length;
            int firstRow = first;
            slices[s] = CompletableFuture.runAsync(() -> fill(from, firstRow, begin, end, images, failed), pool);
        }
        int batch = nextToSubmit;
        int shardFirst = first;
        int shardRows = rows;
        inFlight.add(CompletableFuture.allOf(slices).thenApply(done -> shard.whole()
                ? withoutFailed(batch, images, labels, failed)
                : withSubstitutes(batch, new Batch(images, labels, size, shardFirst, shardRows), failed)));
        nextToSubmit++;
    }

    /**
     * Rows {@code begin..end-1} of the batch that starts at {@code from} in the pass order, into
     * {@code images} (which holds the rows from {@code first}).
     */
    private void fill(int from, int first, int begin, int end, float[] images, boolean[] failed) {
        byte[] raw = new byte[set.shape().values()];
        for (int k = begin; k < end; k++) {
            int index = order[from + k];
            try {
                set.read(index, raw, 0);
            } catch (IOException e) {
                failed[k - first] = true;
                // Interrupted by close(): the batch is dropped, and the example is not at fault.
                if (Thread.currentThread().isInterrupted()) return;
                skips.skip(set.describe(index), e.getMessage() == null ? e.toString() : e.getMessage());
                continue;
            }
            preprocessor.prepare(raw, set.shape(), index, epoch, images, (k - first) * input.values());
        }
    }

    private Batch withoutFailed(int batch, float[] images, int[] labels, boolean[] failed) {
        int kept = 0;
        int values = input.values();
        for (int k = 0; k < failed.length; k++) {
            if (failed[k]) continue;
            if (kept != k) {
                System.arraycopy(images, k * values, images, kept * values, values);
                labels[kept] = labels[k];
            }
            kept++;
        }
        if (kept == 0) throw nothingRead(batch, 0);
        if (kept == failed.length) return new Batch(images, labels, kept);
        return new Batch(Arrays.copyOf(images, kept * values), Arrays.copyOf(labels, kept), kept);
    }

    /** The shard with each failed row replaced by the nearest readable row before it, else after it. */
    private Batch withSubstitutes(int batch, Batch shardRows, boolean[] failed) {
        int values = input.values();
        for (int k = 0; k < failed.length; k++) {
            if (!failed[k]) continue;
            int substitute = -1;
            for (int d = 1; d < failed.length && substitute < 0; d++) {
                if (k - d >= 0 && !failed[k - d]) substitute = k - d;
                else if (k + d < failed.length && !failed[k + d]) substitute = k + d;
            }
            if (substitute < 0) throw nothingRead(batch, shardRows.first());
            System.arraycopy(shardRows.images(), substitute * values, shardRows.images(), k * values, values);
            shardRows.labels()[shardRows.first() + k] = shardRows.labels()[shardRows.first() + substitute];
        }
        return shardRows;
    }

    private IllegalStateException nothingRead(int batch, int firstRow) {
        return new IllegalStateException("no example of batch " + batch + (shard.whole() ? "" : "'s shard " + shard.index()
                + " of " + shard.count()) + " could be read; the first: " + set.describe(order[batch * batchSize + firstRow]));
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
