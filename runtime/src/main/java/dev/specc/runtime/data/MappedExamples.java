package dev.specc.runtime.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A disk cache's pixel file, mapped read-only ({@link MappedSegments}), so files of any size are
 * read without holding them on the heap.
 */
final class MappedExamples implements Examples {
    private final Examples source;
    private final MappedSegments segments;

    private MappedExamples(Examples source, MappedSegments segments) {
        this.source = source;
        this.segments = segments;
    }

    /** Maps {@code file}, which holds {@code source.size()} examples, in segments of at most {@code segmentBytes}. */
    static MappedExamples map(Examples source, Path file, long segmentBytes) throws IOException {
        return new MappedExamples(source, MappedSegments.map(file, 0, source.size(), source.shape().values(), segmentBytes,
                "the cached examples"));
    }

    int segmentCount() {
        return segments.segmentCount();
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
        segments.read(index, 1, out, offset);
    }

    @Override
    public String describe(int index) {
        return source.describe(index);
    }
}
