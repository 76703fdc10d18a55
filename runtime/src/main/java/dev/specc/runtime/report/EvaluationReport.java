package dev.specc.runtime.report;

import java.util.List;
import java.util.Locale;

/**
 * The final report of a test split: loss, accuracy, top-5 (more than 5 classes), the confusion
 * matrix (rows: true class, columns: predicted) and per-class accuracy. For segmentation the
 * matrix counts pixels, accuracy is pixel accuracy, and {@code iou} holds each class's IoU.
 */
public record EvaluationReport(String split, long examples, double loss, double accuracy, Double top5,
                               List<String> classNames, long[][] confusion, double[] iou) {

    public EvaluationReport(String split, long examples, double loss, double accuracy, Double top5,
                            List<String> classNames, long[][] confusion) {
        this(split, examples, loss, accuracy, top5, classNames, confusion, null);
    }

    /** A segmentation report: pixel accuracy and IoU from the pixel confusion matrix. */
    public static EvaluationReport segmentation(String split, long images, double loss, double pixelAccuracy,
                                                List<String> classNames, long[][] confusion) {
        return new EvaluationReport(split, images, loss, pixelAccuracy, null, classNames, confusion,
                dev.specc.runtime.train.EpochMetrics.iou(confusion));
    }

    /** The mean IoU over the classes that are labelled or predicted; null for classification. */
    public Double meanIou() {
        if (iou == null) return null;
        return java.util.Arrays.stream(iou).filter(v -> !Double.isNaN(v)).average().orElse(Double.NaN);
    }

    public double classAccuracy(int c) {
        long row = 0;
        for (long v : confusion[c]) row += v;
        return row == 0 ? Double.NaN : (double) confusion[c][c] / row;
    }

    public String text() {
        return iou == null ? classificationText() : segmentationText();
    }

    private String segmentationText() {
        StringBuilder sb = new StringBuilder();
        long pixels = 0;
        for (long[] row : confusion) for (long v : row) pixels += v;
        sb.append(String.format(Locale.ROOT, "%s: %d images (%d labelled pixels), loss %.4f, pixel accuracy %.4f, mean IoU %.4f%n",
                split, examples, pixels, loss, accuracy, meanIou()));
        int width = Math.max(5, classNames.stream().mapToInt(String::length).max().orElse(5));
        sb.append(String.format(Locale.ROOT, "%n%-" + width + "s  %8s  %8s  %s%n", "class", "IoU", "accuracy", "pixels"));
        for (int c = 0; c < classNames.size(); c++) {
            long row = 0;
            for (long v : confusion[c]) row += v;
            sb.append(String.format(Locale.ROOT, "%-" + width + "s  %8.4f  %8.4f  %d%n", classNames.get(c), iou[c],
                    classAccuracy(c), row));
        }
        sb.append(String.format(Locale.ROOT, "%npixel confusion matrix (rows: true class, columns: predicted)%n"));
        appendMatrix(sb);
        return sb.toString();
    }

    private String classificationText() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s: %d examples, loss %.4f, accuracy %.4f%s%n", split, examples, loss, accuracy,
                top5 == null ? "" : String.format(Locale.ROOT, ", top-5 accuracy %.4f", top5)));
        int width = Math.max(5, classNames.stream().mapToInt(String::length).max().orElse(5));
        sb.append(String.format(Locale.ROOT, "%n%-" + width + "s  %8s  %s%n", "class", "accuracy", "examples"));
        for (int c = 0; c < classNames.size(); c++) {
            long row = 0;
            for (long v : confusion[c]) row += v;
            sb.append(String.format(Locale.ROOT, "%-" + width + "s  %8.4f  %d%n", classNames.get(c), classAccuracy(c), row));
        }
        sb.append(String.format(Locale.ROOT, "%nconfusion matrix (rows: true class, columns: predicted)%n"));
        appendMatrix(sb);
        return sb.toString();
    }

    private void appendMatrix(StringBuilder sb) {
        int cell = 6;
        for (long[] row : confusion) {
            for (long v : row) cell = Math.max(cell, Long.toString(v).length() + 1);
        }
        List<String> rowLabels = new java.util.ArrayList<>();
        for (int r = 0; r < confusion.length; r++) rowLabels.add(r + " " + classNames.get(r));
        int labelWidth = rowLabels.stream().mapToInt(String::length).max().orElse(0);
        sb.append(" ".repeat(labelWidth));
        for (int c = 0; c < confusion[0].length; c++) sb.append(String.format(Locale.ROOT, "%" + cell + "s", c < classNames.size() ? Integer.toString(c) : "other"));
        sb.append('\n');
        for (int r = 0; r < confusion.length; r++) {
            sb.append(String.format(Locale.ROOT, "%-" + labelWidth + "s", rowLabels.get(r)));
            for (long v : confusion[r]) sb.append(String.format(Locale.ROOT, "%" + cell + "d", v));
            sb.append('\n');
        }
    }
}
