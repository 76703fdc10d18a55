package dev.specc.runtime.data;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * A disk cache's pixel file, mapped read-only in segments of whole examples (a mapping is limited
 * to 2 GiB), so files of any size are read without holding them on the heap.
 */
final class MappedExamples implements Examples {
    private final Examples source;
    private final MappedByteBuffer[] segments;
    private final int perSegment;

    private MappedExamples(Examples source, MappedByteBuffer[] segments, int perSegment) {
        this.source = source;
        this.segments = segments;
        this.perSegment = perSegment;
    }

    /** Maps {@code file}, which holds {@code source.size()} examples, in segments of at most {@code segmentBytes}. */
    static MappedExamples map(Examples source, Path file, long segmentBytes) throws IOException {
        int values = source.shape().values();
        int perSegment = (int) Math.max(1, Math.min(Integer.MAX_VALUE / values, segmentBytes / values));
        int n = source.size();
        MappedByteBuffer[] segments = new MappedByteBuffer[(n + perSegment - 1) / perSegment];
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            for (int s = 0; s < segments.length; s++) {
                long from = (long) s * perSegment * values;
                long length = (long) Math.min(perSegment, n - s * perSegment) * values;
                segments[s] = channel.map(FileChannel.MapMode.READ_ONLY, from, length);
            }
        }
        return new MappedExamples(source, segments, perSegment);
    }

    int segmentCount() {
        return segments.length;
    }

    @Override
    public ImageShape shape() {
        return source.shape();
    }

    @Override
    public int size() {
        return source.size();
    }

    @Override
    public int label(int index) {
        return source.label(index);
    }

    @Override
    public List<String> classNames() {
        return source.classNames();
    }

    @Override
    public void read(int index, byte[] out, int offset) {
        int values = shape().values();
        segments[index / perSegment].get((index % perSegment) * values, out, offset, values);
    }

    @Override
    public String describe(int index) {
        return source.describe(index);
    }
}
