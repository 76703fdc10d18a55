package dev.specc.runtime.data;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Examples of a fixed size stored one after another in a file, mapped read-only in segments of
 * whole examples (a mapping is limited to 2 GiB). The file is closed once it is mapped; reads are
 * absolute, so any number of threads may read at once, and an interrupted reader cannot close a
 * channel the others share.
 */
final class MappedSegments {
    private final MappedByteBuffer[] segments;
    private final int perSegment;
    private final int values;

    private MappedSegments(MappedByteBuffer[] segments, int perSegment, int values) {
        this.segments = segments;
        this.perSegment = perSegment;
        this.values = values;
    }

    /**
     * Maps the {@code count} examples of {@code values} bytes that start {@code offset} bytes into
     * {@code file}, in segments of at most {@code segmentBytes} (at least one example each); {@code what}
     * names them in the message when the file is too short.
     */
    static MappedSegments map(Path file, long offset, int count, int values, long segmentBytes, String what)
            throws IOException {
        int perSegment = (int) Math.max(1, Math.min(Integer.MAX_VALUE / values, segmentBytes / values));
        MappedByteBuffer[] segments = new MappedByteBuffer[(count + perSegment - 1) / perSegment];
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long end = offset + (long) count * values;
            if (channel.size() < end) {
                throw new IOException("the file ends inside " + what + " (" + channel.size() + " bytes, the end of "
                        + what + " is at " + end + ")");
            }
            for (int s = 0; s < segments.length; s++) {
                long from = offset + (long) s * perSegment * values;
                long length = (long) Math.min(perSegment, count - s * perSegment) * values;
                segments[s] = channel.map(FileChannel.MapMode.READ_ONLY, from, length);
            }
        }
        return new MappedSegments(segments, perSegment, values);
    }

    int segmentCount() {
        return segments.length;
    }

    /** Examples {@code first} to {@code first + count - 1}, one after another into {@code out} at {@code offset}. */
    void read(int first, int count, byte[] out, int offset) {
        for (int i = first, at = offset; i < first + count; i++, at += values) {
            segments[i / perSegment].get((i % perSegment) * values, out, at, values);
        }
    }
}
