package dev.specc.runtime;

import dev.specc.diag.Suggest;
import dev.specc.diag.UsageException;
import dev.specc.lower.LoweringOptions;
import dev.specc.lower.Mode;
import dev.specc.runtime.data.Batch;
import dev.specc.runtime.data.BatchStream;
import dev.specc.runtime.data.DataException;
import dev.specc.runtime.data.ImageFolder;
import dev.specc.runtime.data.Listing;
import dev.specc.runtime.data.ImageShape;
import dev.specc.runtime.io.Npy;
import dev.specc.runtime.io.Shapes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * What a trained network computes for image files and .npy tensors: its output (class
 * probabilities), its logits (the input of a final softmax or sigmoid), or one layer's output.
 * Images are preprocessed exactly as evaluation batches are. A float32 .npy is the model's input
 * as it is (already preprocessed, as a framework's tensor is); a uint8 .npy holds pixels at the
 * model's input size, which are rescaled and normalised as images are (not resized).
 */
public final class Predictor {
    private static final int BATCH = 16;

    /** Which tensor to fetch: the network's output, its logits, or the output of the named layer. */
    public record Fetch(boolean logits, String layer) {
        public static final Fetch PROBABILITIES = new Fetch(false, null);
        public static final Fetch LOGITS = new Fetch(true, null);

        public static Fetch layer(String name) {
            return new Fetch(false, name);
        }
    }

    /** One name per example, the shape of one example's answer, and the answers batch first. */
    public record Outputs(List<String> names, long[] exampleShape, float[] values) {
        public int perExample() {
            return Shapes.intElements(exampleShape);
        }

        public float[] row(int example) {
            int n = perExample();
            return Arrays.copyOfRange(values, example * n, (example + 1) * n);
        }

        /** The whole answer as an array with the batch axis first. */
        public Npy.Array toNpy() {
            long[] shape = new long[exampleShape.length + 1];
            shape[0] = names.size();
            System.arraycopy(exampleShape, 0, shape, 1, exampleShape.length);
            return Npy.Array.ofFloats(shape, values);
        }
    }

    /** The inputs of one prediction: image files, and .npy tensors already read (so their mistakes come first). */
    public record Inputs(List<Path> images, List<Path> npyFiles, List<Npy.Array> arrays) {
        public static boolean isNpy(Path file) {
            return file.getFileName() != null && file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".npy");
        }

        /** Reads the .npy files among {@code files}; a file NumPy could not have written, or of another type, is refused. */
        public static Inputs read(List<Path> files) throws IOException {
            List<Path> images = new ArrayList<>();
            List<Path> npyFiles = new ArrayList<>();
            List<Npy.Array> arrays = new ArrayList<>();
            for (Path f : files) {
                if (!isNpy(f)) {
                    images.add(f);
                    continue;
                }
                Npy.Array a;
                try {
                    a = Npy.read(f);
                } catch (Npy.FormatException e) {
                    throw new UsageException(e.getMessage());
                }
                if (a.type() == Npy.Type.I8) {
                    throw new UsageException(f + ": int64 is not an input; give float32 (the model's input as it is) or "
                            + "uint8 (pixels, preprocessed as images are)");
                }
                npyFiles.add(f);
                arrays.add(a);
            }
            return new Inputs(images, npyFiles, arrays);
        }
    }

    private Predictor() {
    }

    public static Outputs predict(TrainedModel model, Inputs inputs, Fetch fetch, List<String> warnings)
            throws DataException {
        Operand<TFloat32> target = target(model, fetch);
        long[] dims = model.model().input().shape().asArray();
        long[] exampleDims = Arrays.copyOfRange(dims, 1, dims.length);
        List<String> names = new ArrayList<>();
        List<float[]> batches = new ArrayList<>();
        for (int i = 0; i < inputs.arrays().size(); i++) {
            npyExamples(model, inputs.npyFiles().get(i), inputs.arrays().get(i), exampleDims, names, batches);
        }
        if (!inputs.images().isEmpty()) imageExamples(model, inputs.images(), names, batches, warnings);

        long[] outShape = target.shape().asArray();
        long[] exampleShape = Arrays.copyOfRange(outShape, 1, outShape.length);
        int perExample = Shapes.intElements(exampleShape);
        float[] values = new float[Math.multiplyExact(names.size(), perExample)];
        int done = 0;
        int exampleSize = Shapes.intElements(exampleDims);
        for (float[] batch : batches) {
            int n = batch.length / exampleSize;
            long[] shape = new long[dims.length];
            shape[0] = n;
            System.arraycopy(exampleDims, 0, shape, 1, exampleDims.length);
            try (TFloat32 x = TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(batch, true, false));
                 Result result = model.session().runner().feed(model.model().input(), x).fetch(target).run()) {
                TFloat32 out = (TFloat32) result.get(0);
                float[] part = new float[(int) out.size()];
                out.copyTo(DataBuffers.of(part, false, false));
                System.arraycopy(part, 0, values, done * perExample, part.length);
                done += n;
            }
        }
        return new Outputs(names, exampleShape, values);
    }

    private static Operand<TFloat32> target(TrainedModel model, Fetch fetch) {
        if (fetch.layer() != null) {
            Operand<TFloat32> layer = model.model().layerOutputs().get(fetch.layer());
            if (layer == null) {
                List<String> layers = List.copyOf(model.model().layerOutputs().keySet());
                throw new UsageException("--layer " + fetch.layer() + ": no such layer in " + model.prepared().name()
                        + Suggest.didYouMean(fetch.layer(), layers) + "; its layers are listed by specc summary");
            }
            return layer;
        }
        if (!fetch.logits()) return model.model().output(Mode.INFERENCE);
        Operand<TFloat32> logits = model.model().logits(Mode.INFERENCE);
        if (logits == null) {
            throw new UsageException("--output logits: " + model.prepared().name() + " does not end in a softmax or sigmoid, "
                    + "so its output is not probabilities and there are no logits apart from it; leave --output out");
        }
        return logits;
    }

    private static void npyExamples(TrainedModel model, Path file, Npy.Array array, long[] exampleDims,
                                    List<String> names, List<float[]> batches) {
        long[] shape = array.shape();
        boolean single = Arrays.equals(shape, exampleDims);
        boolean batch = shape.length == exampleDims.length + 1 && Arrays.equals(Arrays.copyOfRange(shape, 1, shape.length), exampleDims);
        if (!single && !batch) {
            throw new UsageException(file + ": shape " + Arrays.toString(shape) + " does not fit the model's input "
                    + Arrays.toString(exampleDims) + "; expected " + Arrays.toString(exampleDims) + " (one example) or [N, "
                    + Arrays.toString(exampleDims).substring(1) + " (N examples, the batch axis first)");
        }
        int count = single ? 1 : (int) shape[0];
        float[] values = array.toFloats();
        if (array.type() == Npy.Type.U1) values = preprocess(model, values, exampleDims);
        int exampleSize = values.length / Math.max(1, count);
        for (int start = 0; start < count; start += BATCH) {
            int n = Math.min(BATCH, count - start);
            batches.add(Arrays.copyOfRange(values, start * exampleSize, (start + n) * exampleSize));
            for (int i = start; i < start + n; i++) names.add(single ? file.toString() : file + "[" + i + "]");
        }
    }

    /** uint8 pixels into model input with the data section's scaling; the channels are the last axis. */
    private static float[] preprocess(TrainedModel model, float[] pixels, long[] exampleDims) {
        int channels = (int) exampleDims[exampleDims.length - 1];
        LoweringOptions.Preprocessing scaling = LoweringOptions.Preprocessing.of(model.prepared().data(), channels);
        float[] out = new float[pixels.length];
        scaling.apply(pixels, channels, out, 0);
        return out;
    }

    private static void imageExamples(TrainedModel model, List<Path> files, List<String> names, List<float[]> batches,
                                      List<String> warnings) throws DataException {
        ImageShape input = model.prepared().inputShape();
        Listing images = ImageFolder.decodeFiles(files, input, model.prepared().data().workers(), model.threads());
        warnings.addAll(images.warnings());
        try (BatchStream stream = BatchStream.evaluation(images.examples(), input, BATCH, model.prepared().data())) {
            while (stream.hasNext()) {
                Batch batch = stream.next();
                batches.add(Arrays.copyOf(batch.images(), batch.size() * input.values()));
                for (int i = 0; i < batch.size(); i++) names.add(files.get(batch.labels()[i]).toString());
            }
        }
    }
}
