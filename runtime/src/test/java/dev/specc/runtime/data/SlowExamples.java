package dev.specc.runtime.data;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * 20 examples of 2x2x1 pixels (example i is all i) that take 50 ms each to read: a cache built from
 * them takes a second, long enough for another process or thread to open the same cache meanwhile.
 * Run as a program, it opens the disk cache in the folder given and prints the note.
 */
final class SlowExamples implements Examples {
    static final String KEY = "slow";
    static final String FINGERPRINT = "slow-v1";

    @Override
    public ImageShape shape() {
        return new ImageShape(2, 2, 1);
    }

    @Override
    public int size() {
        return 20;
    }

    @Override
    public int label(int index) {
        return 0;
    }

    @Override
    public List<String> classNames() {
        return List.of("only");
    }

    @Override
    public void read(int index, byte[] out, int offset) {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Arrays.fill(out, offset, offset + 4, (byte) index);
    }

    @Override
    public String describe(int index) {
        return "example " + index;
    }

    static DiskCache.Opened open(Path folder) throws DataException {
        return new DiskCache(folder, DiskCache.DEFAULT_SEGMENT_BYTES).open(new SlowExamples(), KEY, FINGERPRINT, 1);
    }

    public static void main(String[] args) throws Exception {
        DiskCache.Opened opened = open(Path.of(args[0]));
        byte[] last = new byte[4];
        opened.listing().examples().read(19, last, 0);
        System.out.println(opened.note() + "; example 19 holds " + last[0]);
    }
}
