package dev.specc.runtime.train;

import dev.specc.runtime.data.Batch;
import java.util.Iterator;

/** The batches of one split: a pass over epoch {@code epoch} starting at batch {@code start}. */
public interface BatchSource {
    long batchesPerEpoch();

    int examples();

    Pass open(int epoch, long start);

    /** One pass; closing it stops any background decoding. */
    interface Pass extends Iterator<Batch>, AutoCloseable {
        @Override
        void close();
    }
}
