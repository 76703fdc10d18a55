package dev.specc.runtime;

import dev.specc.runtime.data.DataException;
import dev.specc.runtime.data.DataSources;
import dev.specc.runtime.data.SegmentationData;
import dev.specc.runtime.data.Shard;
import dev.specc.runtime.data.Splits;
import dev.specc.runtime.report.Plural;
import dev.specc.runtime.train.BatchSource;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The splits a run or an evaluation reads, as batch sources, whatever the source: images with one
 * label each ({@link Splits}) or image/mask pairs ({@link SegmentationData}). Both are listed up
 * front and streamed: examples are decoded (and augmented) on worker threads batch by batch.
 * {@code summary} holds the lines a training run prints about the data.
 */
record RunData(BatchSource train, BatchSource validation, BatchSource test, int testSize, List<String> classNames,
               boolean hasOwnTest, String noTestNote, List<String> summary) {

    /**
     * Loads the data section's splits, printing any warning and file skipped now or later, while batches
     * are made (on a line of its own when {@code training}, since the progress line is then open). A worker
     * of a cluster reads only its {@code shard} of each training batch (image/mask pairs: the whole batch).
     */
    static RunData load(Prepared prepared, int threads, Shard shard, PrintStream out, boolean training)
            throws DataException {
        if (prepared.data().isSegmentation()) {
            SegmentationData data = SegmentationData.load(prepared.data(), prepared.specFile());
            String line = String.format("data: %d training, %d validation, %s, %s (%s)", data.train().size(),
                    data.validation().size(), data.hasOwnTest() ? data.test().size() + " test image/mask pairs"
                            : data.testDescription(),
                    Plural.of(data.classNames().size(), "class"), data.trainDescription());
            SegmentationSources sources = new SegmentationSources(data, prepared);
            return new RunData(sources.train(), sources.validation(), sources.test(), data.test().size(), data.classNames(),
                    data.hasOwnTest(), data.testDescription(),
                    List.of("data cache: none (image/mask pairs are decoded and augmented batch by batch)", line));
        }
        List<String> warnings = new ArrayList<>();
        Splits splits = DataSources.load(prepared.data(), prepared.specFile(), warnings, threads);
        warnings.forEach(w -> out.println("warning: " + w));
        if (splits.skipped() > 0) out.println("skipped " + Plural.of(splits.skipped(), "unreadable file"));
        splits.lateSkips().reportTo(line -> out.println((training ? "\n" : "") + "warning: " + line));
        String line = String.format("data: %d training, %d validation, %s, %s (%s)", splits.train().size(),
                splits.validation().size(), splits.hasOwnTest() ? splits.test().size() + " test examples" : splits.noTestNote(),
                Plural.of(splits.train().classCount(), "class"), splits.trainDescription());
        Sources sources = new Sources(splits, prepared, shard);
        return new RunData(sources.train(), sources.validation(), sources.test(), splits.test().size(),
                splits.test().classNames(), splits.hasOwnTest(), splits.noTestNote(),
                List.of("data cache: " + splits.cache(), line));
    }

    /** The name of the split a test evaluation evaluates: "test" or "validation". */
    String evaluatedSplit() {
        return hasOwnTest ? "test" : "validation";
    }
}
