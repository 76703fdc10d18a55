package dev.specc.runtime;

import dev.specc.runtime.data.BatchStream;
import dev.specc.runtime.data.Examples;
import dev.specc.runtime.data.Shard;
import dev.specc.runtime.data.Splits;
import dev.specc.runtime.train.BatchSource;

/**
 * The three splits as {@link BatchSource}s over the data module's parallel batch streams; training
 * batches read only {@code shard}'s rows (a worker of a cluster), evaluation batches every row.
 */
final class Sources {
    private final Splits splits;
    private final Prepared prepared;
    private final Shard shard;

    Sources(Splits splits, Prepared prepared, Shard shard) {
        this.splits = splits;
        this.prepared = prepared;
        this.shard = shard;
    }

    BatchSource train() {
        return source(splits.train(), true);
    }

    BatchSource validation() {
        return source(splits.validation(), false);
    }

    BatchSource test() {
        return source(splits.test(), false);
    }

    private BatchSource source(Examples set, boolean training) {
        int batchSize = prepared.train().batchSize();
        return new SplitSource(set.size(), batchSize, (epoch, start) -> {
            BatchStream stream = training
                    ? BatchStream.training(set, prepared.inputShape(), batchSize, prepared.data(), epoch, start,
                            splits.lateSkips(), shard)
                    : BatchStream.evaluation(set, prepared.inputShape(), batchSize, prepared.data(), splits.lateSkips());
            return SplitSource.pass(stream::hasNext, stream::next, stream::close);
        });
    }
}
