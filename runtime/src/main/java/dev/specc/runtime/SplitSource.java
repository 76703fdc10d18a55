package dev.specc.runtime;

import dev.specc.runtime.data.Batch;
import dev.specc.runtime.data.BatchStream;
import dev.specc.runtime.train.BatchSource;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** A split of {@code examples} examples in batches of {@code batchSize}; {@code passes} opens each pass. */
record SplitSource(int examples, int batchSize, Passes passes) implements BatchSource {

    @FunctionalInterface
    interface Passes {
        Pass open(int epoch, int startBatch);
    }

    @Override
    public long batchesPerEpoch() {
        return BatchStream.batchCount(examples, batchSize);
    }

    @Override
    public Pass open(int epoch, long start) {
        return passes.open(epoch, (int) start);
    }

    /** A pass made of its three operations. */
    static Pass pass(BooleanSupplier hasNext, Supplier<Batch> next, Runnable close) {
        return new Pass() {
            @Override
            public boolean hasNext() {
                return hasNext.getAsBoolean();
            }

            @Override
            public Batch next() {
                return next.get();
            }

            @Override
            public void close() {
                close.run();
            }
        };
    }
}
