package dev.specc.runtime.data;

/**
 * Worker {@code index} of {@code count}'s rows of every global batch: rows [B*i/N, B*(i+1)/N) of a
 * batch of B, so that the workers' rows together are the batch, each row once. {@link #WHOLE} is a
 * process training alone.
 */
public record Shard(int index, int count) {
    public static final Shard WHOLE = new Shard(0, 1);

    public Shard {
        if (count < 1 || index < 0 || index >= count) throw new IllegalArgumentException("shard " + index + " of " + count);
    }

    /** The first row of worker {@code index} of {@code count} in a batch of {@code rows}. */
    public static int start(int rows, int count, int index) {
        return (int) ((long) rows * index / count);
    }

    public int start(int rows) {
        return start(rows, count, index);
    }

    public int end(int rows) {
        return start(rows, count, index + 1);
    }

    public boolean whole() {
        return count == 1;
    }
}
