package dev.specc.runtime.train;

import dev.specc.runtime.data.Batch;

/**
 * The share of an epoch's training loop spent waiting for the next batch: the time inside the
 * pass's {@code hasNext}/{@code next} over the time from the first wait to the last step's end.
 * Near 0 the input keeps up; near 1 the steps wait for data.
 */
final class InputWait {
    static final String METRIC = "input_wait";
    private long started;
    private long waiting;
    private long lastEnd;

    boolean hasNext(BatchSource.Pass pass) {
        long t = System.nanoTime();
        if (started == 0) started = t;
        lastEnd = t;
        boolean more = pass.hasNext();
        waiting += System.nanoTime() - t;
        return more;
    }

    Batch next(BatchSource.Pass pass) {
        long t = System.nanoTime();
        Batch batch = pass.next();
        waiting += System.nanoTime() - t;
        return batch;
    }

    boolean measured() {
        return lastEnd > started;
    }

    double share() {
        return Math.min(1.0, (double) waiting / (lastEnd - started));
    }
}
