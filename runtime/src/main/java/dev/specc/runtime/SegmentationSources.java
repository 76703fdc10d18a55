package dev.specc.runtime;

import dev.specc.runtime.data.DataException;
import dev.specc.runtime.data.SegmentationBatches;
import dev.specc.runtime.data.SegmentationData;
import dev.specc.runtime.data.SegmentationSet;
import dev.specc.runtime.data.UncheckedDataException;
import dev.specc.runtime.train.BatchSource;

/** The three splits of a segmentation source as {@link BatchSource}s: batches of images and their masks. */
final class SegmentationSources {
    private final SegmentationData data;
    private final Prepared prepared;

    SegmentationSources(SegmentationData data, Prepared prepared) {
        this.data = data;
        this.prepared = prepared;
    }

    BatchSource train() {
        return source(data.train(), true);
    }

    BatchSource validation() {
        return source(data.validation(), false);
    }

    BatchSource test() {
        return source(data.test(), false);
    }

    private BatchSource source(SegmentationSet set, boolean training) {
        int batchSize = prepared.train().batchSize();
        return new SplitSource(set.size(), batchSize, (epoch, start) -> {
            SegmentationBatches batches = new SegmentationBatches(set, prepared.inputShape(), batchSize, prepared.data(),
                    epoch, start, training);
            return SplitSource.pass(batches::hasNext, () -> {
                try {
                    return batches.next();
                } catch (DataException e) {
                    throw new UncheckedDataException(e);
                }
            }, batches::close);
        });
    }
}
