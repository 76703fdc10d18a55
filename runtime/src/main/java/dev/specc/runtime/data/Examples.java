package dev.specc.runtime.data;

import java.io.IOException;
import java.util.List;

/**
 * A data source's examples, listed up front and read one at a time: every example has the stored
 * {@link #shape()} (uint8 HWC) and a label indexing {@link #classNames()}. Nothing here requires
 * the pixels to be in memory: a folder decodes a file per {@link #read}, a disk cache maps its
 * file, an in-memory set copies. A new kind of source implements this and {@link DataSources}
 * lists it; splits, caches and batches work on any implementation.
 */
public interface Examples {
    ImageShape shape();

    int size();

    int label(int index);

    List<String> classNames();

    /**
     * Writes example {@code index}'s {@code shape().values()} pixels into {@code out} at
     * {@code offset}. Thread-safe. An example that cannot be read throws with a message that says why.
     */
    void read(int index, byte[] out, int offset) throws IOException;

    /** Example {@code index} for messages: its file, or its place in a file. */
    String describe(int index);

    /**
     * What the pixels depend on besides the stored shape (for files: paths, sizes, modification
     * times), for a disk cache to tell whether it is stale; null when the source cannot say, and
     * then it is never cached on disk.
     */
    default String fingerprint() throws IOException {
        return null;
    }

    /** Whether {@link #read} is a copy from memory, so caching the examples would gain nothing. */
    default boolean inMemory() {
        return false;
    }

    /** The bytes the decoded examples take. */
    default long decodedBytes() {
        return (long) size() * shape().values();
    }

    default int classCount() {
        return classNames().size();
    }

    default int[] countPerClass() {
        int[] counts = new int[classCount()];
        for (int i = 0; i < size(); i++) counts[label(i)]++;
        return counts;
    }

    /** The examples at {@code indices}, in that order, without copying any pixels. */
    default Examples select(int[] indices) {
        return new Subset(this, indices.clone());
    }
}
