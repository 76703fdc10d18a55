package dev.specc.runtime.train;

import dev.specc.lower.Mode;
import dev.specc.runtime.data.Batch;
import dev.specc.runtime.report.EvaluationReport;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** Runs the inference path over a split: loss, accuracy, top-k and the confusion matrix. */
public final class Evaluator {
    private final TrainingGraph graph;
    private final Session session;
    private final List<Integer> topK;

    public Evaluator(TrainingGraph graph, Session session, List<Integer> topK) {
        this.graph = graph;
        this.session = session;
        this.topK = topK;
    }

    public EpochMetrics metrics(BatchSource source) {
        return run(source, null, () -> false);
    }

    /** The metrics of a pass over {@code source}, or null when {@code stop} became true before it ended. */
    public EpochMetrics metrics(BatchSource source, BooleanSupplier stop) {
        return run(source, null, stop);
    }

    public EvaluationReport report(String split, BatchSource source, List<String> classNames) {
        if (graph.segmentation()) {
            EpochMetrics m = run(source, null, () -> false);
            return EvaluationReport.segmentation(split, m.examples(), m.loss(), m.accuracy(), classNames, m.confusion());
        }
        boolean binary = graph.loss() == TrainingGraph.Loss.BINARY_CROSSENTROPY;
        int classes = classNames.size();
        // One extra column counts predictions outside the data's classes (a 1000-way head on 10 classes).
        boolean extra = !binary && graph.classes() > classes;
        long[][] confusion = new long[classes][classes + (extra ? 1 : 0)];
        List<Integer> k = topK.contains(5) || graph.classes() <= 5 || binary ? topK : append(topK, 5);
        EpochMetrics m = new Evaluator(graph, session, k).run(source, (predicted, label) -> {
            if (label < classes) confusion[label][predicted < classes ? predicted : classes]++;
        }, () -> false);
        Double top5 = graph.classes() > 5 && !binary ? m.values("").get("top_5") : null;
        return new EvaluationReport(split, m.examples(), m.loss(), m.accuracy(), top5, classNames, confusion);
    }

    private static List<Integer> append(List<Integer> list, int k) {
        List<Integer> copy = new java.util.ArrayList<>(list);
        copy.add(k);
        return copy;
    }

    interface PredictionSink {
        void accept(int predicted, int label);
    }

    private EpochMetrics run(BatchSource source, PredictionSink sink, BooleanSupplier stop) {
        boolean binary = graph.loss() == TrainingGraph.Loss.BINARY_CROSSENTROPY;
        EpochMetrics metrics = graph.newMetrics(topK);
        long[] inputShape = graph.model().input().shape().asArray();
        try (BatchSource.Pass pass = source.open(0, 0)) {
            while (pass.hasNext()) {
                if (stop.getAsBoolean()) return null;
                Batch batch = pass.next();
                long[] dims = inputShape.clone();
                dims[0] = batch.size();
                try (TFloat32 x = TFloat32.tensorOf(Shape.of(dims), DataBuffers.of(batch.images(), true, false));
                     TInt32 y = TInt32.tensorOf(Shape.of(graph.labelShape(batch.size())), DataBuffers.of(batch.labels(), true, false));
                     Result result = session.runner().feed(graph.model().input(), x).feed(graph.labels(), y)
                             .fetch(graph.evalLoss()).fetch(graph.model().output(Mode.INFERENCE)).run()) {
                    float loss = ((TFloat32) result.get(0)).getFloat();
                    float[] outputs = Tensors.floats((TFloat32) result.get(1));
                    metrics.add(loss, outputs, batch.labels(), batch.size());
                    if (sink != null && !graph.segmentation()) {
                        int classes = outputs.length / batch.size();
                        for (int i = 0; i < batch.size(); i++) {
                            sink.accept(EpochMetrics.predict(outputs, i, classes, binary), batch.labels()[i]);
                        }
                    }
                }
            }
        }
        return metrics;
    }
}
