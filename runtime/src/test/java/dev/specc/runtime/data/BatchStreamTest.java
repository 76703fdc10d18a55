package dev.specc.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.specc.config.AugmentConfig;
import dev.specc.config.DataConfig;
import dev.specc.config.FillMode;
import dev.specc.config.Normalization;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatchStreamTest {
    private static final ImageShape STORED = new ImageShape(6, 6, 1);

    /** 23 images; image i holds i + pixel index, label i % 3. */
    private static ImageSet images() {
        byte[] pixels = new byte[23 * STORED.values()];
        int[] labels = new int[23];
        for (int i = 0; i < 23; i++) {
            labels[i] = i % 3;
            for (int p = 0; p < STORED.values(); p++) pixels[i * STORED.values() + p] = (byte) (i + p);
        }
        return new ImageSet(STORED, pixels, labels, List.of("a", "b", "c"), 0);
    }

    private static DataConfig config(int workers, AugmentConfig augment, double rescale, Normalization normalize) {
        DataConfig d = DataConfig.defaults();
        return new DataConfig(d.source(), null, null, null, 0.1, 42, rescale, normalize, augment, workers, 3, null, null, null, null);
    }

    private static final AugmentConfig EVERYTHING = new AugmentConfig(true, true, 20, 0.1, 0.1, 0.1, 5, 2, FillMode.REFLECT);

    private static List<Batch> all(BatchStream stream) {
        List<Batch> batches = new ArrayList<>();
        try (stream) {
            while (stream.hasNext()) batches.add(stream.next());
        }
        return batches;
    }

    @Test
    void batchesAreAFunctionOfSeedEpochAndIndexWhateverTheWorkers() {
        ImageSet set = images();
        List<Batch> one = all(BatchStream.training(set, STORED, 5, config(1, EVERYTHING, 1, null), 3, 0));
        List<Batch> four = all(BatchStream.training(set, STORED, 5, config(4, EVERYTHING, 1, null), 3, 0));
        List<Batch> resumed = all(BatchStream.training(set, STORED, 5, config(4, EVERYTHING, 1, null), 3, 2));
        assertEquals(5, one.size());
        assertEquals(3, one.get(4).size());
        assertEquals(3, resumed.size());
        for (int b = 0; b < one.size(); b++) {
            assertArrayEquals(one.get(b).images(), four.get(b).images(), "batch " + b);
            assertArrayEquals(one.get(b).labels(), four.get(b).labels(), "batch " + b);
            if (b >= 2) assertArrayEquals(one.get(b).images(), resumed.get(b - 2).images(), "resumed batch " + b);
        }
    }

    @Test
    void eachEpochHasItsOwnOrderAndEvaluationKeepsTheStoredOrder() {
        ImageSet set = images();
        DataConfig config = config(2, AugmentConfig.NONE, 1, null);
        int[] epoch0 = labelsOf(all(BatchStream.training(set, STORED, 4, config, 0, 0)));
        int[] epoch1 = labelsOf(all(BatchStream.training(set, STORED, 4, config, 1, 0)));
        assertFalse(Arrays.equals(epoch0, epoch1));
        List<Batch> evaluation = all(BatchStream.evaluation(set, STORED, 4, config));
        assertArrayEquals(set.labels(), labelsOf(evaluation));
        float[] first = evaluation.get(0).images();
        assertEquals(0f, first[0]);
        assertEquals(1f, first[STORED.values()], "image 1 starts at 1: no augmentation, no shuffle");
    }

    /** Within an epoch every example comes exactly once, in any number of workers, on resume too. */
    @Test
    void everyEpochVisitsEachExampleExactlyOnce() {
        ImageSet set = images();
        int[] everyExample = IntStream.range(0, set.size()).toArray();
        for (int workers : new int[] {1, 3}) {
            DataConfig config = config(workers, AugmentConfig.NONE, 1, null);
            for (int epoch = 0; epoch < 5; epoch++) {
                int[] visited = examplesOf(all(BatchStream.training(set, STORED, 4, config, epoch, 0)));
                assertEquals(set.size(), visited.length, "epoch " + epoch + ": examples visited");
                assertArrayEquals(everyExample, IntStream.of(visited).sorted().toArray(), "epoch " + epoch + ": " + Arrays.toString(visited));
                int[] resumed = examplesOf(all(BatchStream.training(set, STORED, 4, config, epoch, 2)));
                assertArrayEquals(Arrays.copyOfRange(visited, 8, visited.length), resumed, "epoch " + epoch + " resumed at batch 2");
            }
        }
    }

    /** Which example each image of the batches is: image i of {@link #images()} starts with the value i. */
    private static int[] examplesOf(List<Batch> batches) {
        return batches.stream().flatMapToInt(b -> IntStream.range(0, b.size()).map(k -> (int) b.images()[k * STORED.values()]))
                .toArray();
    }

    private static int[] labelsOf(List<Batch> batches) {
        return batches.stream().flatMapToInt(b -> Arrays.stream(b.labels())).toArray();
    }

    @Test
    void rescaleThenNormalizePerChannel() {
        ImageSet set = images();
        ImageShape rgb = new ImageShape(6, 6, 3);
        Normalization normalize = new Normalization(List.of(0.1, 0.2, 0.3), List.of(0.5, 1.0, 2.0), null);
        List<Batch> batches = all(BatchStream.evaluation(set, rgb, 23, config(2, AugmentConfig.NONE, 1.0 / 255, normalize)));
        float[] images = batches.get(0).images();
        int image = 7;
        int pixel = 4;
        float value = (image + pixel) / 255f;
        int at = image * rgb.values() + pixel * 3;
        assertEquals((value - 0.1f) / 0.5f, images[at], 1e-6);
        assertEquals((value - 0.2f) / 1.0f, images[at + 1], 1e-6);
        assertEquals((value - 0.3f) / 2.0f, images[at + 2], 1e-6);
    }

    @Test
    void storedImagesAreResizedToTheModelInput() {
        ImageSet set = images();
        ImageShape small = new ImageShape(3, 3, 1);
        Batch batch = all(BatchStream.evaluation(set, small, 23, config(1, AugmentConfig.NONE, 1, null))).get(0);
        assertEquals(23 * 9, batch.images().length);
        // Halving: output (0, 0) averages input rows/cols 0..1 of image 0: values 0, 1, 6, 7.
        assertEquals(3.5f, batch.images()[0], 1e-5);
    }

    @Test
    void trainingAugmentsOnlyWhenAsked() {
        ImageSet set = images();
        float[] plain = all(BatchStream.training(set, STORED, 23, config(2, AugmentConfig.NONE, 1, null), 0, 0)).get(0).images();
        float[] augmented = all(BatchStream.training(set, STORED, 23, config(2, EVERYTHING, 1, null), 0, 0)).get(0).images();
        assertNotEquals(Arrays.hashCode(plain), Arrays.hashCode(augmented));
    }

    @Test
    void closingStopsEveryThread() throws InterruptedException {
        ImageSet set = images();
        BatchStream stream = BatchStream.training(set, STORED, 2, config(4, EVERYTHING, 1, null), 0, 0);
        stream.next();
        stream.close();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith("specc-data")) thread.join(5000);
        }
        assertEquals(List.of(), Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("specc-data") && t.isAlive()).toList());
    }

    @Test
    void whatTheSpecsCheckRefusesIsABugHereNotAUserMistake() {
        ImageSet set = images();
        IllegalArgumentException batch = assertThrows(IllegalArgumentException.class,
                () -> BatchStream.evaluation(set, STORED, 0, config(1, AugmentConfig.NONE, 1, null)));
        assertEquals("batch size must be at least 1, got 0", batch.getMessage());
        Normalization rgb = new Normalization(List.of(0.1, 0.2, 0.3), List.of(0.5, 1.0, 2.0), null);
        IllegalArgumentException normalize = assertThrows(IllegalArgumentException.class,
                () -> BatchStream.evaluation(set, STORED, 4, config(1, AugmentConfig.NONE, 1, rgb)));
        assertEquals("data.normalize does not fit a model input of 6x6x1", normalize.getMessage());
    }

    /** The images of {@link #images()}, each read taking 100 ms, failing as a channel does when its reader is interrupted. */
    private record SlowExamples(ImageSet set) implements Examples {
        @Override
        public ImageShape shape() {
            return set.shape();
        }

        @Override
        public int size() {
            return set.size();
        }

        @Override
        public int label(int index) {
            return set.label(index);
        }

        @Override
        public List<String> classNames() {
            return set.classNames();
        }

        @Override
        public void read(int index, byte[] out, int offset) throws java.io.IOException {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.nio.channels.ClosedByInterruptException();
            }
            set.read(index, out, offset);
        }

        @Override
        public String describe(int index) {
            return "slow example " + index;
        }
    }

    @Test
    void examplesInterruptedByClosingTheStreamAreNotReportedAsSkipped() {
        SkipLog skips = new SkipLog();
        BatchStream stream = BatchStream.training(new SlowExamples(images()), STORED, 4, config(2, AugmentConfig.NONE, 1, null),
                0, 0, skips);
        assertEquals(4, stream.next().size());
        stream.close();
        assertEquals(0, skips.count(), "the batches in flight were dropped, their examples are not damaged");
    }

    /** The images of {@link #images()}, counting reads; example {@code failing} cannot be read. */
    private static final class CountingExamples implements Examples {
        private final ImageSet set = images();
        private final int failing;
        final java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();

        CountingExamples(int failing) {
            this.failing = failing;
        }

        @Override
        public ImageShape shape() {
            return set.shape();
        }

        @Override
        public int size() {
            return set.size();
        }

        @Override
        public int label(int index) {
            return set.label(index);
        }

        @Override
        public List<String> classNames() {
            return set.classNames();
        }

        @Override
        public void read(int index, byte[] out, int offset) throws java.io.IOException {
            reads.incrementAndGet();
            if (index == failing) throw new java.io.IOException("damaged inside");
            set.read(index, out, offset);
        }

        @Override
        public String describe(int index) {
            return "example " + index;
        }
    }

    @Test
    void aWorkerReadsOnlyItsShardOfEachBatchAndGetsTheWholeBatchsRowsAndLabels() {
        DataConfig config = config(2, EVERYTHING, 1, null);
        for (int workers : new int[] {2, 3, 4}) {
            for (int start : new int[] {0, 1}) {
                List<Batch> whole = all(BatchStream.training(images(), STORED, 10, config, 1, start));
                int readByAll = 0;
                for (int worker = 0; worker < workers; worker++) {
                    CountingExamples counted = new CountingExamples(-1);
                    List<Batch> shards = all(BatchStream.training(counted, STORED, 10, config, 1, start, new SkipLog(),
                            new Shard(worker, workers)));
                    assertEquals(whole.size(), shards.size());
                    int rowsRead = 0;
                    for (int b = 0; b < whole.size(); b++) {
                        Batch all = whole.get(b);
                        Batch mine = shards.get(b);
                        int first = Shard.start(all.size(), workers, worker);
                        int rows = Shard.start(all.size(), workers, worker + 1) - first;
                        String what = worker + " of " + workers + ", batch " + b;
                        assertEquals(all.size(), mine.size(), what);
                        assertArrayEquals(all.labels(), mine.labels(), what);
                        // A last batch of 3 leaves worker 0 of 4 no rows: it reads the first row, to train on with share 0.
                        assertEquals(rows == 0 ? 0 : first, mine.first(), what);
                        assertEquals(Math.max(rows, 1), mine.rows(), what);
                        int values = STORED.values();
                        assertArrayEquals(Arrays.copyOfRange(all.images(), mine.first() * values,
                                (mine.first() + mine.rows()) * values), mine.images(), what);
                        rowsRead += mine.rows();
                        readByAll += rows;
                    }
                    assertEquals(rowsRead, counted.reads.get(), "only the shard's rows are read: " + worker + " of " + workers);
                }
                assertEquals(23 - start * 10, readByAll, "together the workers read every example of the pass once");
            }
        }
    }

    @Test
    void anUnreadableExampleOfAShardIsReplacedByItsNeighbourSoTheGlobalBatchKeepsItsSize() {
        DataConfig config = config(1, AugmentConfig.NONE, 1, null);
        List<Batch> whole = all(BatchStream.training(images(), STORED, 10, config, 0, 0));
        int row = 6;
        int failing = (int) whole.get(0).images()[row * STORED.values()]; // image i's first pixel is i
        SkipLog skips = new SkipLog();
        List<Batch> shards = all(BatchStream.training(new CountingExamples(failing), STORED, 10, config, 0, 0, skips,
                new Shard(1, 2)));
        Batch mine = shards.get(0);
        assertEquals(10, mine.size());
        assertEquals(5, mine.first());
        int values = STORED.values();
        int k = row - 5;
        assertArrayEquals(Arrays.copyOfRange(mine.images(), (k - 1) * values, k * values),
                Arrays.copyOfRange(mine.images(), k * values, (k + 1) * values), "the row before takes its place");
        assertEquals(whole.get(0).labels()[row - 1], mine.labels()[row], "with its label");
        assertEquals(1, skips.count());
    }
}
