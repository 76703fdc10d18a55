package dev.specc.runtime.data;

import dev.specc.config.DataConfig;
import dev.specc.config.DataLocation;
import dev.specc.config.SegmentationLayout;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The train, validation and test pairs of a segmentation source. As for classification,
 * validation pairs are the last {@code validation_split} of a seeded shuffle of the training
 * pairs and the test split is the layout's own (else the validation split stands in). Every mask
 * is read once here, on {@code workers} threads, so that one holding a class index beyond the
 * classes is named before training starts.
 */
public record SegmentationData(SegmentationSet train, SegmentationSet validation, SegmentationSet test,
                               String trainDescription, String testDescription, boolean hasOwnTest) {

    public static SegmentationData load(DataConfig config, Path specFile) throws DataException {
        Path dir;
        SegmentationLayout.Listing listing;
        try {
            dir = DataLocation.find(config, specFile);
            listing = SegmentationLayout.list(dir);
        } catch (DataLocation.NotFound | IOException e) {
            throw new DataException("data.path: " + e.getMessage());
        }
        List<String> names = config.classNames();
        SegmentationSet all = new SegmentationSet(listing.train(), names, config.segmentation());
        List<SegmentationLayout.Pair> everything = new ArrayList<>(listing.train());
        everything.addAll(listing.test());
        checkMasks(everything, names.size(), config.segmentation().ignoreIndex(), config.workers());
        int[] order = Seeds.permutation(all.size(), Seeds.derive(Seeds.SPLIT, config.seed(), 0, 0));
        int validationCount = (int) Math.floor(config.validationSplit() * all.size());
        int trainCount = all.size() - validationCount;
        SegmentationSet train = all.select(sorted(Arrays.copyOfRange(order, 0, trainCount)));
        SegmentationSet validation = all.select(sorted(Arrays.copyOfRange(order, trainCount, all.size())));
        boolean ownTest = !listing.test().isEmpty();
        SegmentationSet test = ownTest ? new SegmentationSet(listing.test(), names, config.segmentation()) : validation;
        String trainWhat = trainCount + " of " + all.size() + " image/mask pairs of " + dir + " (" + listing.layout() + ")";
        String testWhat = ownTest ? test.size() + " pairs of " + listing.testFrom()
                : "no test split: the validation set stands in (" + dir + " has none)";
        return new SegmentationData(train, validation, test, trainWhat, testWhat, ownTest);
    }

    public String evaluatedSplit() {
        return hasOwnTest ? "test" : "validation";
    }

    public List<String> classNames() {
        return train.classNames();
    }

    /** Refuses a mask value that is neither a class (0 .. classes - 1) nor {@code ignore}, naming the file and pixel. */
    static void checkIndices(Path file, int[] indices, int width, int classes, int ignore) throws DataException {
        for (int i = 0; i < indices.length; i++) {
            int v = indices[i];
            if (v >= classes && v != ignore || v < 0) {
                throw new DataException(file + ": class index " + v + " at row " + i / width + ", column " + i % width
                        + ", but data.class_names lists " + classes + " classes (0 to " + (classes - 1)
                        + ") and data.segmentation.ignore_index is " + ignore);
            }
        }
    }

    private static void checkMasks(List<SegmentationLayout.Pair> pairs, int classes, int ignore, int workers)
            throws DataException {
        ExecutorService pool = Executors.newFixedThreadPool(workers, DaemonThreads.named("specc-masks"));
        try {
            List<Future<?>> checks = new ArrayList<>();
            for (SegmentationLayout.Pair pair : pairs) {
                checks.add(pool.submit(() -> {
                    PairDecoder.Mask mask = PairDecoder.mask(pair.mask());
                    checkIndices(pair.mask(), mask.indices(), mask.width(), classes, ignore);
                    return null;
                }));
            }
            for (Future<?> check : checks) {
                try {
                    check.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof DataException d) throw d;
                    throw new DataException("reading masks failed: " + e.getCause(), e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new DataException("interrupted while reading masks", e);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static int[] sorted(int[] indices) {
        Arrays.sort(indices);
        return indices;
    }
}
