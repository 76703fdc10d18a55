package dev.specc.runtime;

import dev.specc.lower.Mode;
import dev.specc.runtime.data.Batch;
import dev.specc.runtime.data.BatchStream;
import dev.specc.runtime.data.DataException;
import dev.specc.runtime.data.ImageFolder;
import dev.specc.runtime.data.Listing;
import dev.specc.runtime.data.ImageShape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Result;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/** Class probabilities for image files, preprocessed exactly as evaluation batches are. */
public final class Predictor {
    /** One image's answer: every class's probability (a sigmoid output gives [1 - p, p]). */
    public record Prediction(Path file, float[] probabilities) {
    }

    private Predictor() {
    }

    public static List<Prediction> predict(TrainedModel model, List<Path> files, List<String> warnings) throws DataException {
        ImageShape input = model.prepared().inputShape();
        Listing images = ImageFolder.decodeFiles(files, input, model.prepared().data().workers(), model.threads());
        warnings.addAll(images.warnings());
        List<Prediction> predictions = new ArrayList<>();
        try (BatchStream stream = BatchStream.evaluation(images.examples(), input, 16, model.prepared().data())) {
            while (stream.hasNext()) {
                Batch batch = stream.next();
                try (TFloat32 x = TFloat32.tensorOf(Shape.of(batch.size(), input.height(), input.width(), input.channels()),
                        DataBuffers.of(batch.images(), true, false));
                     Result result = model.session().runner().feed(model.model().input(), x)
                             .fetch(model.model().output(Mode.INFERENCE)).run()) {
                    TFloat32 out = (TFloat32) result.get(0);
                    int classes = (int) (out.size() / batch.size());
                    float[] all = new float[(int) out.size()];
                    out.copyTo(DataBuffers.of(all, false, false));
                    for (int i = 0; i < batch.size(); i++) {
                        float[] p = new float[classes];
                        System.arraycopy(all, i * classes, p, 0, classes);
                        if (classes == 1) p = new float[] {1 - p[0], p[0]};
                        predictions.add(new Prediction(files.get(batch.labels()[i]), p));
                    }
                }
            }
        }
        return predictions;
    }
}
