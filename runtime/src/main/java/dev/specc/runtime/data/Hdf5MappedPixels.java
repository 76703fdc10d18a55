package dev.specc.runtime.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A contiguous, unfiltered HDF5 dataset of uint8 examples, mapped read-only ({@link MappedSegments})
 * at its offset in the file: readers hold no open file, and a reader interrupted mid-read (a batch
 * stream being closed) cannot spoil the mapping for the others as it would close a shared channel.
 */
final class Hdf5MappedPixels implements Hdf5Examples.Pixels {
    /** Segments of at most 1 GiB, as the disk cache's. */
    private static final long SEGMENT_BYTES = 1L << 30;

    private final MappedSegments segments;

    private Hdf5MappedPixels(MappedSegments segments) {
        this.segments = segments;
    }

    /** Maps the {@code count} examples of {@code shape} that start {@code offset} bytes into {@code file}. */
    static Hdf5MappedPixels map(Path file, long offset, int count, ImageShape shape) throws IOException {
        return map(file, offset, count, shape, SEGMENT_BYTES);
    }

    static Hdf5MappedPixels map(Path file, long offset, int count, ImageShape shape, long segmentBytes) throws IOException {
        return new Hdf5MappedPixels(MappedSegments.map(file, offset, count, shape.values(), segmentBytes, "the dataset"));
    }

    int segmentCount() {
        return segments.segmentCount();
    }

    @Override
    public void read(int first, int count, byte[] out, int offset) {
        segments.read(first, count, out, offset);
    }

    @Override
    public void close() {
        // Nothing is open: the mappings go with the examples.
    }
}
