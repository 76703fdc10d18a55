package dev.specc.runtime.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Running loss, accuracy and top-k accuracy over the batches of one epoch or one evaluation. */
public final class EpochMetrics {
    private final List<Integer> topK;
    private final boolean binary;
    private double lossSum;
    private long examples;
    private long correct;
    private final long[] topCorrect;

    /** The running sums, saved with a mid-epoch checkpoint so that a resumed epoch reports the whole epoch. */
    public record Snapshot(double lossSum, long examples, long correct, long[] topCorrect) {
    }

    public EpochMetrics(List<Integer> topK, boolean binary) {
        this.topK = topK;
        this.binary = binary;
        this.topCorrect = new long[topK.size()];
    }

    public Snapshot snapshot() {
        return new Snapshot(lossSum, examples, correct, topCorrect.clone());
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
    }

    /** Adds a batch: its mean loss, its output rows ([n, classes], or [n, 1] for a sigmoid) and labels. */
    public void add(double meanLoss, float[] outputs, int[] labels, int n) {
        lossSum += meanLoss * n;
        examples += n;
        int classes = outputs.length / n;
        for (int i = 0; i < n; i++) {
            int predicted = predict(outputs, i, classes, binary);
            if (predicted == labels[i]) correct++;
            for (int k = 0; k < topK.size(); k++) {
                if (rank(outputs, i, classes, labels[i]) < topK.get(k)) topCorrect[k]++;
            }
        }
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
        return examples == 0 ? Double.NaN : (double) correct / examples;
    }

    /** "loss", "accuracy" and "top_k" values, each prefixed (e.g. "val_"). */
    public Map<String, Double> values(String prefix) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(prefix + "loss", loss());
        m.put(prefix + "accuracy", accuracy());
        for (int k = 0; k < topK.size(); k++) {
            m.put(prefix + "top_" + topK.get(k), examples == 0 ? Double.NaN : (double) topCorrect[k] / examples);
        }
        return m;
    }
}
