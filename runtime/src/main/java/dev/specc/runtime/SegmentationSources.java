package dev.specc.runtime;

import dev.specc.runtime.data.Batch;
import dev.specc.runtime.data.BatchStream;
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
        return new BatchSource() {
            @Override
            public long batchesPerEpoch() {
                return BatchStream.batchCount(set.size(), batchSize);
            }

            @Override
            public int examples() {
                return set.size();
            }

            @Override
            public Pass open(int epoch, long start) {
                SegmentationBatches batches = new SegmentationBatches(set, prepared.inputShape(), batchSize, prepared.data(),
                        epoch, (int) start, training);
                return new Pass() {
                    @Override
                    public boolean hasNext() {
                        return batches.hasNext();
                    }

                    @Override
                    public Batch next() {
                        try {
                            return batches.next();
                        } catch (DataException e) {
                            throw new UncheckedDataException(e);
                        }
                    }

                    @Override
                    public void close() {
                        batches.close();
                    }
                };
            }
        };
    }
}
