package dev.specc.runtime.train;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Running loss, accuracy and top-k accuracy over the batches of one epoch or one evaluation; for
 * per-pixel labels ({@link #segmentation}), pixel accuracy and mean IoU from a confusion matrix of
 * the pixels whose label is a class (ignore_index pixels count nowhere).
 */
public final class EpochMetrics {
    private final List<Integer> topK;
    private final boolean binary;
    /** Pixels by [label][prediction]; null for one label per example. */
    private final long[][] confusion;
    private double lossSum;
    private long examples;
    private long correct;
    private final long[] topCorrect;

    /** The running sums, saved with a mid-epoch checkpoint so that a resumed epoch reports the whole epoch. */
    public record Snapshot(double lossSum, long examples, long correct, long[] topCorrect, long[] confusion) {
    }

    public EpochMetrics(List<Integer> topK, boolean binary) {
        this(topK, binary, 0);
    }

    private EpochMetrics(List<Integer> topK, boolean binary, int pixelClasses) {
        this.topK = topK;
        this.binary = binary;
        this.topCorrect = new long[topK.size()];
        this.confusion = pixelClasses == 0 ? null : new long[pixelClasses][pixelClasses];
    }

    /** Metrics of per-pixel labels over {@code classes} classes. */
    public static EpochMetrics segmentation(int classes) {
        return new EpochMetrics(List.of(), false, classes);
    }

    public Snapshot snapshot() {
        return new Snapshot(lossSum, examples, correct, topCorrect.clone(), confusion == null ? null : flatten(confusion));
    }

    private static long[] flatten(long[][] matrix) {
        long[] flat = new long[matrix.length * matrix.length];
        for (int r = 0; r < matrix.length; r++) System.arraycopy(matrix[r], 0, flat, r * matrix.length, matrix.length);
        return flat;
    }

    public void restore(Snapshot saved) {
        if (saved.topCorrect().length != topCorrect.length) {
            throw new IllegalArgumentException("the checkpoint's running metrics have " + saved.topCorrect().length
                    + " top-k counts, this run " + topCorrect.length);
        }
        lossSum = saved.lossSum();
        examples = saved.examples();
        correct = saved.correct();
        System.arraycopy(saved.topCorrect(), 0, topCorrect, 0, topCorrect.length);
        if (confusion != null && saved.confusion() != null) {
            for (int r = 0; r < confusion.length; r++) System.arraycopy(saved.confusion(), r * confusion.length, confusion[r], 0, confusion.length);
        }
    }

    /** Adds a batch: its mean loss, its output rows ([n, classes], or [n, 1] for a sigmoid) and labels. */
    public void add(double meanLoss, float[] outputs, int[] labels, int n) {
        lossSum += meanLoss * n;
        examples += n;
        if (confusion != null) {
            addPixels(outputs, labels);
            return;
        }
        int classes = outputs.length / n;
        for (int i = 0; i < n; i++) {
            int predicted = predict(outputs, i, classes, binary);
            if (predicted == labels[i]) correct++;
            for (int k = 0; k < topK.size(); k++) {
                if (rank(outputs, i, classes, labels[i]) < topK.get(k)) topCorrect[k]++;
            }
        }
    }

    /** Each pixel's highest-scoring class against its label; labels outside the classes (ignore_index) are skipped. */
    private void addPixels(float[] outputs, int[] labels) {
        int classes = confusion.length;
        for (int p = 0; p < labels.length; p++) {
            int label = labels[p];
            if (label < 0 || label >= classes) continue;
            int predicted = predict(outputs, p, classes, false);
            confusion[label][predicted]++;
            if (predicted == label) correct++;
        }
    }

    /** The pixel confusion matrix (rows: label, columns: prediction); null for one label per example. */
    public long[][] confusion() {
        return confusion == null ? null : Arrays.stream(confusion).map(long[]::clone).toArray(long[][]::new);
    }

    /** Pixels with a class label (ignore_index pixels excluded). */
    public long labelledPixels() {
        long n = 0;
        for (long[] row : confusion) for (long v : row) n += v;
        return n;
    }

    /**
     * Intersection over union of each class, TP / (TP + FP + FN), from a confusion matrix; NaN for
     * a class that is neither labelled nor predicted.
     */
    public static double[] iou(long[][] confusion) {
        double[] iou = new double[confusion.length];
        for (int c = 0; c < confusion.length; c++) {
            long truePositive = confusion[c][c];
            long union = -truePositive;
            for (int k = 0; k < confusion.length; k++) union += confusion[c][k] + confusion[k][c];
            iou[c] = union == 0 ? Double.NaN : (double) truePositive / union;
        }
        return iou;
    }

    /** The mean of the classes' IoU, leaving out classes that are neither labelled nor predicted (NaN if none is). */
    public static double meanIou(long[][] confusion) {
        return Arrays.stream(iou(confusion)).filter(v -> !Double.isNaN(v)).average().orElse(Double.NaN);
    }

    static int predict(float[] outputs, int row, int classes, boolean binary) {
        if (binary) return outputs[row] > 0.5f ? 1 : 0;
        int best = 0;
        for (int c = 1; c < classes; c++) {
            if (outputs[row * classes + c] > outputs[row * classes + best]) best = c;
        }
        return best;
    }

    /** How many classes score strictly higher than the label. */
    private static int rank(float[] outputs, int row, int classes, int label) {
        float score = outputs[row * classes + label];
        int higher = 0;
        for (int c = 0; c < classes; c++) {
            if (outputs[row * classes + c] > score) higher++;
        }
        return higher;
    }

    public long examples() {
        return examples;
    }

    public double loss() {
        return examples == 0 ? Double.NaN : lossSum / examples;
    }

    public double accuracy() {
        if (confusion != null) {
            long pixels = labelledPixels();
            return pixels == 0 ? Double.NaN : (double) correct / pixels;
        }
        return examples == 0 ? Double.NaN : (double) correct / examples;
    }

    /**
     * A class map's IoU per class, "iou_C" by class index C, each prefixed (e.g. "val_"); classes
     * neither labelled nor predicted are left out. Empty for a network with one label per image.
     */
    public Map<String, Double> classIou(String prefix) {
        Map<String, Double> m = new LinkedHashMap<>();
        if (confusion == null) return m;
        double[] iou = iou(confusion);
        for (int c = 0; c < iou.length; c++) {
            if (!Double.isNaN(iou[c])) m.put(prefix + CLASS_IOU + c, iou[c]);
        }
        return m;
    }

    /** The prefix of {@link #classIou}'s keys. */
    public static final String CLASS_IOU = "iou_";

    /** "loss", "accuracy" and "top_k" values, each prefixed (e.g. "val_"). */
    public Map<String, Double> values(String prefix) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(prefix + "loss", loss());
        m.put(prefix + "accuracy", accuracy());
        if (confusion != null) m.put(prefix + "mean_iou", meanIou(confusion));
        for (int k = 0; k < topK.size(); k++) {
            m.put(prefix + "top_" + topK.get(k), examples == 0 ? Double.NaN : (double) topCorrect[k] / examples);
        }
        return m;
    }
}
