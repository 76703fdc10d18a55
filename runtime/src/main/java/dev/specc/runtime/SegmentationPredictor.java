package dev.specc.runtime;

import dev.specc.lower.Mode;
import dev.specc.runtime.data.DataException;
import dev.specc.runtime.data.ImageShape;
import dev.specc.runtime.data.MaskWriter;
import dev.specc.runtime.train.Tensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Result;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * Class maps for image files from a segmentation network: each image resized to the model input
 * and normalised as evaluation batches are, the highest-scoring class per pixel, brought back to
 * the image's own size (nearest) and written as a palette PNG, with an optional overlay.
 */
public final class SegmentationPredictor {
    /** One image's result: where its mask (and overlay, or null) went and the share of its pixels per class. */
    public record Written(Path image, Path mask, Path overlay, double[] classShares) {
    }

    private SegmentationPredictor() {
    }

    public static List<Written> predict(TrainedModel model, List<Path> files, Path outDir, boolean overlay)
            throws DataException, IOException {
        ImageShape input = model.prepared().inputShape();
        var scaling = dev.specc.lower.LoweringOptions.Preprocessing.of(model.prepared().data(), input.channels());
        int classes = model.classNames().size();
        MaskWriter writer = new MaskWriter(model.prepared().data().segmentation(), classes);
        List<Written> written = new ArrayList<>();
        for (Path file : files) {
            int[] size = new int[2];
            float[] rgb = MaskWriter.readRgb(file, size)[0];
            float[] x = MaskWriter.toInput(rgb, size[0], size[1], input);
            for (int i = 0; i < x.length; i++) {
                int k = i % input.channels();
                x[i] = (x[i] * scaling.rescale() - scaling.mean()[k]) / scaling.std()[k];
            }
            float[] scores;
            try (TFloat32 tensor = TFloat32.tensorOf(Shape.of(1, input.height(), input.width(), input.channels()),
                    DataBuffers.of(x, true, false));
                 Result result = model.session().runner().feed(model.model().input(), tensor)
                         .fetch(model.model().output(Mode.INFERENCE)).run()) {
                scores = Tensors.floats((TFloat32) result.get(0));
            }
            int outputs = scores.length / input.pixels();
            int[] map = new int[input.pixels()];
            for (int p = 0; p < map.length; p++) {
                int best = 0;
                for (int c = 1; c < outputs; c++) if (scores[p * outputs + c] > scores[p * outputs + best]) best = c;
                map[p] = best;
            }
            int[] full = MaskWriter.toImageSize(map, input, size[0], size[1]);
            String stem = stem(file);
            Path mask = outDir.resolve(stem + ".png");
            writer.writeMask(mask, full, size[0], size[1]);
            Path blended = null;
            if (overlay) {
                blended = outDir.resolve(stem + "_overlay.png");
                writer.writeOverlay(blended, rgb, full, size[0], size[1]);
            }
            double[] shares = new double[outputs];
            for (int c : full) shares[c] += 1.0 / full.length;
            written.add(new Written(file, mask, blended, shares));
        }
        return written;
    }

    private static String stem(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
