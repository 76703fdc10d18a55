package dev.specc.runtime.data;

import dev.specc.config.DataConfig;
import java.util.ArrayDeque;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The batches of one pass over a {@link SegmentationSet}, examples decoded on {@code workers}
 * threads with at most {@code prefetch} batches in flight. A batch's labels are its masks, one
 * int per pixel ([n, height, width]). Training passes are shuffled for (seed, epoch) and
 * augmented per (seed, epoch, index), so a batch is the same however many threads made it.
 */
public final class SegmentationBatches implements AutoCloseable {
    private final SegmentationSet set;
    private final ImageShape input;
    private final int batchSize;
    private final int epoch;
    private final int[] order;
    private final SegmentationExamples examples;
    private final ExecutorService pool;
    private final ArrayDeque<CompletableFuture<Batch>> inFlight = new ArrayDeque<>();
    private final int batchCount;
    private int nextToSubmit;
    private int nextToTake;

    public SegmentationBatches(SegmentationSet set, ImageShape input, int batchSize, DataConfig config, int epoch,
                               int startBatch, boolean training) {
        this.set = set;
        this.input = input;
        this.batchSize = batchSize;
        this.epoch = epoch;
        this.batchCount = BatchStream.batchCount(set.size(), batchSize);
        this.order = new int[set.size()];
        int[] shuffled = training ? Seeds.permutation(set.size(), Seeds.derive(Seeds.SHUFFLE, config.seed(), epoch, 0)) : null;
        for (int i = 0; i < order.length; i++) order[i] = shuffled == null ? i : shuffled[i];
        this.examples = new SegmentationExamples(input, config, training);
        this.pool = Executors.newFixedThreadPool(config.workers(), DaemonThreads.named("specc-segmentation"));
        this.nextToSubmit = startBatch;
        this.nextToTake = startBatch;
        for (int i = 0; i < config.prefetch(); i++) submitNext();
    }

    public boolean hasNext() {
        return nextToTake < batchCount;
    }

    /** The next batch; a pair that cannot be read fails the pass with its file named. */
    public Batch next() throws DataException {
        if (!hasNext()) throw new NoSuchElementException("all " + batchCount + " batches taken");
        CompletableFuture<Batch> head = inFlight.poll();
        submitNext();
        nextToTake++;
        try {
            return head.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DataException("interrupted while waiting for a batch", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof CompletionException c ? c.getCause() : e.getCause();
            if (cause instanceof DataException d) throw d;
            throw new DataException("preparing batch " + (nextToTake - 1) + " failed: " + cause, cause);
        }
    }

    private void submitNext() {
        if (nextToSubmit >= batchCount) return;
        int from = nextToSubmit * batchSize;
        int size = Math.min(batchSize, set.size() - from);
        float[] images = new float[size * input.values()];
        int[] labels = new int[size * input.pixels()];
        CompletableFuture<?>[] parts = new CompletableFuture<?>[size];
        for (int k = 0; k < size; k++) {
            int slot = k;
            parts[k] = CompletableFuture.runAsync(() -> {
                try {
                    examples.prepare(set, order[from + slot], epoch, images, labels, slot);
                } catch (DataException e) {
                    throw new CompletionException(e);
                }
            }, pool);
        }
        inFlight.add(CompletableFuture.allOf(parts).thenApply(done -> new Batch(images, labels, size)));
        nextToSubmit++;
    }

    @Override
    public void close() {
        inFlight.forEach(f -> f.cancel(true));
        inFlight.clear();
        pool.shutdownNow();
    }
}
