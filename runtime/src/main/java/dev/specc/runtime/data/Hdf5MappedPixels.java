package dev.specc.runtime.data;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A contiguous, unfiltered HDF5 dataset of uint8 examples, mapped read-only in segments of whole
 * examples (a mapping is limited to 2 GiB) at its offset in the file. The file is closed as soon as
 * it is mapped, so readers hold no open file; reads are absolute, so any number of threads may read
 * at once, and a reader interrupted mid-read (a batch stream being closed) cannot spoil the mapping
 * for the others as it would close a shared channel.
 */
final class Hdf5MappedPixels implements Hdf5Examples.Pixels {
    /** Segments of at most 1 GiB, as the disk cache's. */
    private static final long SEGMENT_BYTES = 1L << 30;

    private final MappedByteBuffer[] segments;
    private final int perSegment;
    private final int values;

    private Hdf5MappedPixels(MappedByteBuffer[] segments, int perSegment, int values) {
        this.segments = segments;
        this.perSegment = perSegment;
        this.values = values;
    }

    /** Maps the {@code count} examples of {@code shape} that start {@code offset} bytes into {@code file}. */
    static Hdf5MappedPixels map(Path file, long offset, int count, ImageShape shape) throws IOException {
        return map(file, offset, count, shape, SEGMENT_BYTES);
    }

    static Hdf5MappedPixels map(Path file, long offset, int count, ImageShape shape, long segmentBytes) throws IOException {
        int values = shape.values();
        int perSegment = (int) Math.max(1, Math.min(Integer.MAX_VALUE / values, segmentBytes / values));
        MappedByteBuffer[] segments = new MappedByteBuffer[(count + perSegment - 1) / perSegment];
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long end = offset + (long) count * values;
            if (channel.size() < end) {
                throw new IOException("the file ends inside the dataset (" + channel.size() + " bytes, the dataset's end is at "
                        + end + ")");
            }
            for (int s = 0; s < segments.length; s++) {
                long from = offset + (long) s * perSegment * values;
                long length = (long) Math.min(perSegment, count - s * perSegment) * values;
                segments[s] = channel.map(FileChannel.MapMode.READ_ONLY, from, length);
            }
        }
        return new Hdf5MappedPixels(segments, perSegment, values);
    }

    int segmentCount() {
        return segments.length;
    }

    @Override
    public void read(int first, int count, byte[] out, int offset) {
        for (int i = first, at = offset; i < first + count; i++, at += values) {
            segments[i / perSegment].get((i % perSegment) * values, out, at, values);
        }
    }

    @Override
    public void close() {
        // Nothing is open: the mappings go with the examples.
    }
}
