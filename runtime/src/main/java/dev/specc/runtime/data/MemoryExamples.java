package dev.specc.runtime.data;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Decoded examples kept in memory, in chunks of whole examples of at most 1 GiB each, so a set
 * larger than one Java array (2 GiB) still fits when the heap does. The {@code memory} cache.
 */
final class MemoryExamples implements Examples {
    private static final int CHUNK_BYTES = 1 << 30;
    private final ImageShape shape;
    private final byte[][] chunks;
    private final int perChunk;
    private final int[] slots;
    private final int[] labels;
    private final List<String> classNames;
    private final Examples source;

    private MemoryExamples(Examples source, byte[][] chunks, int perChunk, int[] slots) {
        this.shape = source.shape();
        this.chunks = chunks;
        this.perChunk = perChunk;
        this.slots = slots;
        this.labels = new int[slots.length];
        for (int i = 0; i < slots.length; i++) labels[i] = source.label(slots[i]);
        this.classNames = source.classNames();
        this.source = source;
    }

    /**
     * Reads every example of {@code source} on {@code workers} threads. An example that cannot be
     * read is left out and described in the listing's warnings.
     */
    static Listing decode(Examples source, int workers) throws DataException {
        int values = source.shape().values();
        int perChunk = Math.max(1, CHUNK_BYTES / values);
        int n = source.size();
        byte[][] chunks = new byte[(n + perChunk - 1) / perChunk][];
        for (int c = 0; c < chunks.length; c++) chunks[c] = new byte[Math.min(perChunk, n - c * perChunk) * values];
        String[] failures;
        try {
            failures = ReadEveryExample.into(source, workers, "specc-decode",
                    (i, pixels) -> System.arraycopy(pixels, 0, chunks[i / perChunk], (i % perChunk) * values, values));
        } catch (IOException e) {
            throw new DataException("decoding failed: " + e.getMessage(), e);
        }
        List<String> warnings = new ArrayList<>();
        int[] slots = new int[n];
        int kept = 0;
        for (int i = 0; i < n; i++) {
            if (failures[i] == null) slots[kept++] = i;
            else warnings.add(Listing.skippedLine(source.describe(i), failures[i]));
        }
        return new Listing(new MemoryExamples(source, chunks, perChunk, java.util.Arrays.copyOf(slots, kept)), warnings);
    }

    @Override
    public ImageShape shape() {
        return shape;
    }

    @Override
    public int size() {
        return slots.length;
    }

    @Override
    public int label(int index) {
        return labels[index];
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    @Override
    public void read(int index, byte[] out, int offset) {
        int slot = slots[index];
        System.arraycopy(chunks[slot / perChunk], (slot % perChunk) * shape.values(), out, offset, shape.values());
    }

    @Override
    public String describe(int index) {
        return source.describe(slots[index]);
    }

    @Override
    public boolean inMemory() {
        return true;
    }
}
