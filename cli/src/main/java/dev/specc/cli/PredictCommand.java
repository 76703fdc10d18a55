package dev.specc.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.specc.diag.UsageException;
import dev.specc.runtime.Predictor;
import dev.specc.runtime.SegmentationPredictor;
import dev.specc.runtime.TrainedModel;
import dev.specc.runtime.io.Npy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "predict", description = "Classify images or .npy tensors with a checkpoint: the top classes with their "
        + "probabilities (or logits); or write the network's output, its logits or one layer's output to a .npy file. "
        + "A segmentation network writes a mask PNG per image (--masks DIR).")
final class PredictCommand implements Callable<Integer> {
    enum OutputFormat { text, json }

    enum Output { probabilities, logits }

    @Parameters(arity = "1..*", paramLabel = "[SPEC] INPUT",
            description = "The spec file (leave it out with --run), then JPEG or PNG files, or .npy files: float32 is the "
                    + "model's input as it is ([N, H, W, C] or one [H, W, C]); uint8 holds pixels at the input size, "
                    + "preprocessed as images are.")
    List<Path> arguments;

    @Mixin
    CheckpointOption checkpoint;

    @Option(names = "--top", defaultValue = "5", converter = WholeNumber.Positive.class,
            description = "How many classes to show, 1 or more (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--format", defaultValue = "text", description = "text, or json with every class's value.")
    OutputFormat format;

    @Option(names = "--output", paramLabel = "WHAT",
            description = "probabilities (default: the network's output) or logits (the input of its final softmax or sigmoid).")
    Output output;

    @Option(names = "--layer", paramLabel = "NAME",
            description = "Fetch this layer's output (a name that specc summary lists) instead; needs --out.")
    String layer;

    @Option(names = "--out", paramLabel = "FILE.npy",
            description = "Write the fetched values to this .npy file (float32, the batch axis first) instead of printing them.")
    Path out;

    @Option(names = "--masks", paramLabel = "DIR",
            description = "Segmentation networks: the folder to write one palette PNG mask per image into (IMAGE's stem .png).")
    Path masks;

    @Option(names = "--overlay", description = "With --masks: also write IMAGE-stem_overlay.png, the image blended with its mask's colours.")
    boolean overlay;

    @Mixin
    RunOptions run;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Path file = checkpoint.runDir == null ? arguments.get(0) : null;
        List<Path> files = arguments.subList(file == null ? 0 : 1, arguments.size());
        checkpoint.check(file);
        checkOptions();
        checkInputs(files);
        Predictor.Inputs inputs = Predictor.Inputs.read(files);
        Predictor.Fetch fetch = layer != null ? Predictor.Fetch.layer(layer)
                : output == Output.logits ? Predictor.Fetch.LOGITS : Predictor.Fetch.PROBABILITIES;
        List<String> warnings = new ArrayList<>();
        try (TrainedModel model = checkpoint.load(file, run, false)) {
            if (masks != null || out == null && isSegmentation(model)) return segment(model, files);
            Predictor.Outputs answers = Predictor.predict(model, inputs, fetch, warnings);
            if (out != null) {
                Npy.Array array = answers.toNpy();
                Npy.write(out, array);
                System.out.println(out + ": " + array.type().numpyName() + " " + Arrays.toString(array.shape()) + ", "
                        + (layer != null ? "the output of layer " + layer : fetch.logits() ? "logits" : "the network's output")
                        + " for " + String.join(", ", answers.names()));
            } else {
                print(answers, model.classNames(), fetch.logits(), model.model().outputActivation().equals("sigmoid"));
            }
        }
        System.out.flush();
        warnings.forEach(w -> spec.commandLine().getErr().println("specc: " + w));
        return warnings.isEmpty() ? Specc.OK : Specc.FAILED;
    }

    private static boolean isSegmentation(TrainedModel model) {
        return model.model().output(dev.specc.lower.Mode.INFERENCE).shape().numDimensions() == 4;
    }

    private int segment(TrainedModel model, List<Path> images) throws Exception {
        if (!isSegmentation(model)) throw new UsageException("--masks: this network classifies whole images; it writes no masks");
        if (images.stream().anyMatch(Predictor.Inputs::isNpy)) {
            throw new UsageException("--masks: give images (JPEG or PNG) to segment; a .npy input goes with --out");
        }
        if (masks == null) {
            throw new UsageException("this network segments images: give --masks DIR, the folder to write one mask PNG per image "
                    + "into (or --out FILE.npy for its output)");
        }
        List<String> names = model.classNames();
        for (SegmentationPredictor.Written w : SegmentationPredictor.predict(model, images, masks, overlay)) {
            StringBuilder line = new StringBuilder(w.image() + " -> " + w.mask() + (w.overlay() == null ? "" : ", " + w.overlay()));
            for (int c = 0; c < w.classShares().length; c++) {
                if (w.classShares()[c] > 0) line.append(String.format(Locale.ROOT, "%n  %-20s %.4f", name(names, c), w.classShares()[c]));
            }
            System.out.println(line);
        }
        System.out.flush();
        return Specc.OK;
    }

    private void checkOptions() {
        if (masks != null && out != null) throw new UsageException("give --masks or --out, not both");
        if (overlay && masks == null) throw new UsageException("--overlay needs --masks DIR, the folder the masks go to");
        if (masks != null && !java.nio.file.Files.isDirectory(masks)) {
            throw new UsageException("--masks " + masks + ": no such folder (create it first)");
        }
        if (layer != null && output != null) {
            throw new UsageException("give --layer or --output, not both: --layer " + layer + " fetches that layer's output");
        }
        if (layer != null && out == null) {
            throw new UsageException("--layer " + layer + " writes the layer's output to a .npy file: give --out FILE.npy");
        }
        if (out != null) {
            if (!Predictor.Inputs.isNpy(out)) throw new UsageException("--out " + out + ": expected a file name ending in .npy");
            ArgumentChecks.newFile("--out", out);
        }
    }

    private void checkInputs(List<Path> inputs) {
        if (inputs.isEmpty()) {
            throw new UsageException("missing INPUT: give one or more JPEG or PNG files, or .npy files, to classify");
        }
        long arrays = inputs.stream().filter(Predictor.Inputs::isNpy).count();
        if (arrays > 0 && arrays < inputs.size()) {
            throw new UsageException("give images or .npy files, not both in one command");
        }
        for (Path input : inputs) {
            String name = input.getFileName() == null ? "" : input.getFileName().toString();
            if (checkpoint.runDir != null && (name.endsWith(".yaml") || name.endsWith(".yml"))) {
                throw new UsageException(input + " is a spec, not an image: with --run, leave SPEC out (the run's spec is used)");
            }
            ArgumentChecks.existingFile("INPUT", input, "a JPEG or PNG file, or a .npy file");
        }
    }

    /** Per example, its classes by value: probabilities (a sigmoid's p as [1 - p, p]) or logits (a sigmoid's one). */
    private void print(Predictor.Outputs answers, List<String> names, boolean logits, boolean sigmoid) throws Exception {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ArrayNode array = mapper.createArrayNode();
        for (int e = 0; e < answers.names().size(); e++) {
            float[] values = answers.row(e);
            List<String> labels = new ArrayList<>();
            if (sigmoid && !logits) values = new float[] {1 - values[0], values[0]};
            for (int i = 0; i < values.length; i++) labels.add(name(names, sigmoid && logits ? 1 : i));
            if (format == OutputFormat.json) {
                ObjectNode node = array.addObject();
                node.put("file", answers.names().get(e));
                ObjectNode byClass = node.putObject(logits ? "logits" : "probabilities");
                for (int i = 0; i < values.length; i++) byClass.put(labels.get(i), values[i]);
                continue;
            }
            System.out.println(answers.names().get(e) + (logits ? " (logits)" : ""));
            float[] v = values;
            int[] order = IntStream.range(0, v.length).boxed().sorted(Comparator.comparingDouble(i -> -v[i]))
                    .mapToInt(i -> i).toArray();
            for (int k = 0; k < Math.min(top, order.length); k++) {
                System.out.printf(Locale.ROOT, "  %-20s %.4f%n", labels.get(order[k]), v[order[k]]);
            }
        }
        if (format == OutputFormat.json) System.out.println(mapper.writeValueAsString(array));
    }

    private static String name(List<String> names, int index) {
        return index < names.size() ? names.get(index) : "class " + index;
    }
}
