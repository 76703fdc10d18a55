package dev.specc.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.specc.diag.UsageException;
import dev.specc.runtime.Predictor;
import dev.specc.runtime.SegmentationPredictor;
import dev.specc.runtime.TrainedModel;
import java.nio.file.Path;
import java.util.ArrayList;
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

@Command(name = "predict", description = "Classify images with a checkpoint: the top classes with their probabilities; "
        + "a segmentation network writes a mask PNG per image (--masks DIR).")
final class PredictCommand implements Callable<Integer> {
    enum OutputFormat { text, json }

    @Parameters(arity = "1..*", paramLabel = "[SPEC] IMAGE",
            description = "The spec file (leave it out with --run), then the JPEG or PNG files to classify.")
    List<Path> arguments;

    @Mixin
    CheckpointOption checkpoint;

    @Option(names = "--top", defaultValue = "5", converter = WholeNumber.Positive.class,
            description = "How many classes to show, 1 or more (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--format", defaultValue = "text", description = "text, or json with every class's probability.")
    OutputFormat format;

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
        List<Path> images = arguments.subList(file == null ? 0 : 1, arguments.size());
        checkpoint.check(file);
        checkImages(images);
        List<String> warnings = new ArrayList<>();
        if (overlay && masks == null) throw new UsageException("--overlay needs --masks DIR, the folder the masks go to");
        if (masks != null && !java.nio.file.Files.isDirectory(masks)) {
            throw new UsageException("--masks " + masks + ": no such folder (create it first)");
        }
        try (TrainedModel model = checkpoint.load(file, run, false)) {
            if (model.model().output(dev.specc.lower.Mode.INFERENCE).shape().numDimensions() == 4) {
                return segment(model, images);
            }
            if (masks != null) throw new UsageException("--masks: this network classifies whole images; it writes no masks");
            List<Predictor.Prediction> predictions = Predictor.predict(model, images, warnings);
            List<String> names = model.classNames();
            if (format == OutputFormat.json) {
                printJson(predictions, names);
            } else {
                for (Predictor.Prediction p : predictions) {
                    System.out.println(p.file());
                    int[] order = IntStream.range(0, p.probabilities().length).boxed()
                            .sorted(Comparator.comparingDouble(i -> -p.probabilities()[i])).mapToInt(i -> i).toArray();
                    for (int k = 0; k < Math.min(top, order.length); k++) {
                        System.out.printf(Locale.ROOT, "  %-20s %.4f%n", name(names, order[k]), p.probabilities()[order[k]]);
                    }
                }
            }
        }
        System.out.flush();
        warnings.forEach(w -> spec.commandLine().getErr().println("specc: " + w));
        return warnings.isEmpty() ? Specc.OK : Specc.FAILED;
    }

    private int segment(TrainedModel model, List<Path> images) throws Exception {
        if (masks == null) {
            throw new UsageException("this network segments images: give --masks DIR, the folder to write one mask PNG per image into");
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

    private void checkImages(List<Path> images) {
        if (images.isEmpty()) throw new UsageException("missing IMAGE: give one or more JPEG or PNG files to classify");
        for (Path image : images) {
            String name = image.getFileName() == null ? "" : image.getFileName().toString();
            if (checkpoint.runDir != null && (name.endsWith(".yaml") || name.endsWith(".yml"))) {
                throw new UsageException(image + " is a spec, not an image: with --run, leave SPEC out (the run's spec is used)");
            }
            ArgumentChecks.existingFile("IMAGE", image, "a JPEG or PNG file");
        }
    }

    private static String name(List<String> names, int index) {
        return index < names.size() ? names.get(index) : "class " + index;
    }

    private static void printJson(List<Predictor.Prediction> predictions, List<String> names) throws Exception {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ArrayNode array = mapper.createArrayNode();
        for (Predictor.Prediction p : predictions) {
            ObjectNode node = array.addObject();
            node.put("file", p.file().toString());
            ObjectNode probabilities = node.putObject("probabilities");
            for (int i = 0; i < p.probabilities().length; i++) probabilities.put(name(names, i), p.probabilities()[i]);
        }
        System.out.println(mapper.writeValueAsString(array));
    }
}
