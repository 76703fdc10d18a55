package dev.specc;

import dev.specc.config.DataConfig;
import dev.specc.config.DataLocation;
import dev.specc.config.DataOption;
import dev.specc.config.Hdf5Data;
import dev.specc.config.RunChecks;
import dev.specc.config.TrainConfig;
import dev.specc.diag.Diagnostic;
import dev.specc.diag.Diagnostics;
import dev.specc.diag.SourcePos;
import dev.specc.diag.SpecException;
import dev.specc.ir.Model;
import dev.specc.ir.TensorShape;
import dev.specc.load.Overrides;
import dev.specc.load.SList;
import dev.specc.load.SMap;
import dev.specc.load.SNode;
import dev.specc.load.SScalar;
import dev.specc.load.SchemaValidator;
import dev.specc.load.SpecReader;
import dev.specc.resolve.Resolver;
import dev.specc.shapes.Analysis;
import dev.specc.shapes.ShapeInference;
import dev.specc.weights.WeightFormat;
import dev.specc.weights.WeightMappings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The compiler front end, stage by stage: load -> validate -> resolve -> infer shapes. Each stage
 * reports every problem it finds and the pipeline stops before the next stage when there were
 * any. {@link #check} is the one pass that {@code validate} and {@code run} share: it checks the
 * network, train: and data: together and reports every error of every section at once. Nothing
 * here loads TensorFlow; lowering ({@code dev.specc.lower.GraphLowerer}) takes the {@link Analysis}.
 */
public final class Pipeline {
    /** Where a spec names the weight mapping of its initial weights; messages about it start with this. */
    public static final String INIT_MAPPING = "train.init_from.mapping";

    private Pipeline() {
    }

    /** How far {@link #check} looks on this machine for the data (and for train.init_from's weights). */
    public enum DataCheck {
        /** run and train from the start: data that cannot be found, or train.init_from's weights, is an error. */
        REQUIRED,
        /** eval, and a resumed run (its checkpoint holds the weights): the data must be found; init_from is not read. */
        DATA_ONLY,
        /** validate: a path the spec or --data names is an error; a source's missing default place a warning. */
        REPORTED,
        /** commands that read no data (predict, export): neither data nor train.init_from is looked for. */
        SKIPPED;

        boolean required() {
            return this == REQUIRED || this == DATA_ONLY;
        }

        boolean looksForInitFrom() {
            return this == REQUIRED || this == REPORTED;
        }
    }

    /** Per-run choices that are not in the spec file: --input-shape, --set, --data. */
    public record Options(int[] inputShape, List<String> overrides, String data, DataCheck dataCheck) {
        public static final Options DEFAULT = new Options(null, List.of(), null, DataCheck.REPORTED);

        public Options(int[] inputShape) {
            this(inputShape, List.of());
        }

        public Options(int[] inputShape, List<String> overrides) {
            this(inputShape, overrides, null, DataCheck.REPORTED);
        }
    }

    /** Reads the file and its bases, applies --set overrides, and checks the result against the JSON Schema. */
    public static SMap validate(Path file, Options options) throws SpecException {
        Diagnostics diagnostics = new Diagnostics();
        SMap tree = new SpecReader(diagnostics).read(file);
        stopOnErrors(diagnostics);
        tree = Overrides.apply(tree, options.overrides(), diagnostics);
        stopOnErrors(diagnostics);
        SchemaValidator.shared().validate(tree, diagnostics);
        stopOnErrors(diagnostics);
        return tree;
    }

    public static Model resolve(Path file, Options options) throws SpecException {
        return resolve(file, validate(file, options), options);
    }

    /** Resolves an already validated tree (as {@link #validate} returns it). */
    public static Model resolve(Path file, SMap tree, Options options) throws SpecException {
        Diagnostics diagnostics = new Diagnostics();
        Model model = new Resolver(diagnostics).resolve(tree, file.toString(), options.inputShape());
        stopOnErrors(diagnostics);
        return model;
    }

    public static Analysis analyze(Path file, Options options) throws SpecException {
        return analyze(resolve(file, options));
    }

    public static Analysis analyze(Model model) throws SpecException {
        Diagnostics diagnostics = new Diagnostics();
        Analysis analysis = ShapeInference.analyze(model, diagnostics);
        stopOnErrors(diagnostics);
        return analysis;
    }

    /**
     * Everything the front end knows about a spec: its final tree, hyperparameters, the analysis
     * (with the input sized to data.image_size when given), the typed train: and data: sections,
     * and the warnings to print.
     */
    public record Checked(SMap tree, Map<String, Object> params, Analysis analysis, TrainConfig train, DataConfig data,
                          List<Diagnostic> warnings) {
    }

    /**
     * The one pass of validate and run: every error of the network, train: and data:, the data's
     * place on this machine and the settings that only fit together, reported at once, before
     * anything is created or read. Throws with all of them (and the warnings) when there is an error.
     */
    public static Checked check(Path file, Options options) throws SpecException {
        return check(file, file, options);
    }

    /**
     * {@link #check} of a file whose relative paths (data.path, train.init_from) are from another file's
     * folder, and whose default name is that file's: a run's saved spec, checked as the spec it was made from.
     */
    public static Checked check(Path file, Path pathsFrom, Options options) throws SpecException {
        Diagnostics diagnostics = new Diagnostics();
        SMap base = new SpecReader(diagnostics).read(file);
        stopOnErrors(diagnostics);
        Overrides.Applied applied = Overrides.applyAll(base, options.overrides(), diagnostics);
        SMap tree = applied.tree();
        boolean dataOptionFailed = false;
        if (options.data() != null) {
            SMap withData = DataOption.apply(tree, options.data(), diagnostics);
            dataOptionFailed = withData == null;
            if (withData != null) tree = withData;
        }
        Set<String> invalid = SchemaValidator.shared().validate(tree, diagnostics);
        boolean networkValid = invalid.stream().allMatch(key -> key.equals("train") || key.equals("data"));

        Diagnostics network = new Diagnostics();
        Resolver resolver = new Resolver(networkValid ? network : new Diagnostics());
        Model model = networkValid ? resolver.resolve(tree, pathsFrom.toString(), options.inputShape()) : null;
        Map<String, Object> params = Map.copyOf(model != null ? resolver.globals() : resolver.evaluateParams(tree));

        // Read even where the schema found a problem, so that the section's other values are checked too;
        // what the schema already reported is not reported twice, and what is read there is not used further.
        Diagnostics sections = new Diagnostics();
        DataConfig data = DataConfig.read(section(tree, "data"), params, sections);
        TrainConfig train = TrainConfig.read(section(tree, "train"), params, sections);
        Set<SourcePos> reported = diagnostics.sorted().stream().map(Diagnostic::pos).collect(Collectors.toSet());
        sections.sorted().stream().filter(d -> !reported.contains(d.pos())).forEach(diagnostics::add);
        sections.warnings().forEach(diagnostics::add);
        if (invalid.contains("data")) data = null;
        if (invalid.contains("train")) train = null;
        boolean dataRead = data != null && readWithoutErrors(section(tree, "data"), sections, "source", "path", "class_names");
        if (model != null && data != null && options.inputShape() == null) {
            int[] sized = sizedInput(model.inputShape(), data.imageSize());
            if (sized != null) {
                network = new Diagnostics();
                model = new Resolver(network).resolve(tree, pathsFrom.toString(), sized);
            }
        }
        Analysis analysis = model == null ? null : ShapeInference.analyze(model, network);
        diagnostics.addAll(network);

        RunChecks checks = new RunChecks(tree, diagnostics);
        if (train != null) checks.schedule(train);
        if (analysis != null) {
            if (train != null) checks.layerWeightDecay(analysis, train);
            if (data != null) data = checks.dataAgainstModel(analysis.model().inputShape(), data);
            if (data != null && dataRead) checks.labelsFitOutput(analysis, data);
            imageInput(analysis.model().inputShape(), tree, options.dataCheck(), diagnostics);
        }
        RunChecks.DataClasses classes = dataRead ? RunChecks.declaredClasses(data) : null;
        if (dataRead && !dataOptionFailed && options.dataCheck() != DataCheck.SKIPPED) {
            Path dir = locateData(data, pathsFrom, tree, options.dataCheck(), diagnostics);
            List<Hdf5Data.Contents> hdf5 = dir != null && data.source() == DataConfig.Source.HDF5
                    ? hdf5Contents(data, pathsFrom) : null;
            if (hdf5 != null) {
                RunChecks.DataClasses counted = checks.hdf5(data, hdf5, analysis == null ? null : analysis.model().inputShape());
                if (classes == null) classes = counted;
            } else if (classes == null && dir != null) {
                classes = RunChecks.countedClasses(data, dir);
            }
        }
        if (model != null && train != null) checks.lossAndClasses(model, analysis, train, classes);
        if (train != null && options.dataCheck().looksForInitFrom()) locateInitFrom(train, pathsFrom, tree, diagnostics);
        if (train != null && train.initMapping() instanceof SMap rules) WeightMappings.read(rules, INIT_MAPPING, pathsFrom, diagnostics);
        for (Overrides.Replaced replaced : applied.replaced()) checkReplaced(replaced, tree, params, diagnostics);

        stopOnErrors(diagnostics);
        return new Checked(tree, params, analysis, train, data, diagnostics.warnings());
    }

    /** Whether none of the keys' values was reported: the section's reading of them can be trusted. */
    private static boolean readWithoutErrors(SMap section, Diagnostics diagnostics, String... keys) {
        if (section == null) return true;
        for (String key : keys) {
            if (section.get(key) == null) continue;
            Span span = Span.of(section.get(key));
            if (diagnostics.sorted().stream().anyMatch(d -> span.contains(d.pos()))) return false;
        }
        return true;
    }

    /** The input resized to data.image_size, or null when it has none or it is the spec's own. */
    private static int[] sizedInput(TensorShape input, DataConfig.ImageSize size) {
        if (size == null || !input.isImage() || (size.height() == input.height() && size.width() == input.width())) {
            return null;
        }
        return new int[] {size.height(), size.width(), input.channels()};
    }

    private static void imageInput(TensorShape input, SMap tree, DataCheck dataCheck, Diagnostics diagnostics) {
        boolean trainable = input.isImage() && (input.channels() == 1 || input.channels() == 3);
        if (trainable || dataCheck == DataCheck.SKIPPED) return;
        SourcePos at = tree.get("input") instanceof SMap in && in.get("shape") != null ? in.get("shape").pos() : tree.pos();
        String message = "input: specc trains image networks ([height, width, channels] with 1 or 3 channels); this "
                + "input is " + input;
        if (dataCheck.required()) diagnostics.error(at, message);
        else diagnostics.warning(at, message + ": validate, summary and graph work, run does not");
    }

    /** The data's folder, or null (reported) when it is not found. */
    private static Path locateData(DataConfig data, Path file, SMap tree, DataCheck dataCheck, Diagnostics diagnostics) {
        try {
            return DataLocation.find(data, file);
        } catch (DataLocation.NotFound e) {
            SMap section = section(tree, "data");
            SNode at = section == null ? null : section.has("path") ? section.get("path") : section.get("source");
            SNode keyNode = e.key() == null ? null : node(section, e.key());
            if (keyNode != null) at = keyNode;
            String key = keyNode != null ? e.key() : data.path() != null ? "path" : "source " + data.source().spelling();
            String problem = e.getMessage().replace(Hdf5Data.DEFAULT_MARK,
                    keyNode == null && e.key() != null ? " (the default of data." + e.key() + ")" : "");
            SourcePos pos = at != null ? at.pos() : section != null ? section.pos() : tree.pos();
            String message = "data." + key + ": " + problem + " (checked on this machine)";
            if (e.written() || dataCheck.required()) diagnostics.error(pos, message);
            else diagnostics.warning(pos, message + "; run needs it");
            return null;
        }
    }

    /** The checked contents of an hdf5 source's files, which {@link #locateData} found; null if they changed since. */
    private static List<Hdf5Data.Contents> hdf5Contents(DataConfig data, Path file) {
        try {
            return DataLocation.hdf5(data, file);
        } catch (DataLocation.NotFound changedMeanwhile) {
            return null;
        }
    }

    /** The node at a dotted key path below {@code section} ("datasets.train_x"), or null. */
    private static SNode node(SMap section, String dottedKey) {
        SNode node = section;
        for (String key : dottedKey.split("\\.")) {
            node = node instanceof SMap map ? map.get(key) : null;
        }
        return node;
    }

    /**
     * The weights train.init_from names must be a file of a format specc reads, found where run looks
     * for it, and its mapping must read (a mapping file is looked for too).
     */
    private static void locateInitFrom(TrainConfig train, Path specFile, SMap tree, Diagnostics diagnostics) {
        SMap section = section(tree, "train");
        if (train.initFrom() == null || section == null || section.get("init_from") == null) return;
        SNode at = section.get("init_from") instanceof SMap init && init.get("path") != null ? init.get("path")
                : section.get("init_from");
        String problem;
        try {
            Path file = train.initFromFile(specFile);
            problem = Files.isRegularFile(file) ? formatProblem(file)
                    : (Files.isDirectory(file) ? "a folder, not a file of weights: " : "no such file: ") + file;
        } catch (InvalidPathException e) {
            problem = "not a valid path: " + e.getMessage();
        }
        if (problem != null) {
            diagnostics.error(at.pos(), "train.init_from: " + problem + " (checked on this machine)");
        }
        if (train.initMapping() instanceof SScalar) WeightMappings.read(train.initMapping(), INIT_MAPPING, specFile, diagnostics);
    }

    /** Null when the file's first bytes are those of a weight format specc reads, else why not. */
    private static String formatProblem(Path file) {
        try {
            WeightFormat.of(file);
            return null;
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    /**
     * A --set hides the spec's own value from the rest of the pass, but the file stays wrong:
     * the value it replaced is checked as if the override were not there, and its problems reported.
     */
    private static void checkReplaced(Overrides.Replaced replaced, SMap tree, Map<String, Object> params,
                                      Diagnostics diagnostics) {
        String section = replaced.path()[0];
        if (!section.equals("train") && !section.equals("data")) return;
        SMap undone = Overrides.put(tree, replaced.path(), replaced.original(), replaced.original().pos(), new Diagnostics());
        if (undone == null) return;
        Diagnostics found = new Diagnostics();
        Set<String> invalid = SchemaValidator.shared().validate(undone, found);
        if (!invalid.contains(section)) {
            if (section.equals("train")) TrainConfig.read(section(undone, "train"), params, found);
            else DataConfig.read(section(undone, "data"), params, found);
        }
        Span span = Span.of(replaced.original());
        for (Diagnostic d : found.sorted()) {
            if (span.contains(d.pos())) {
                diagnostics.error(d.pos(), d.message() + " (hidden by " + replaced.assignment() + ", but the spec stays wrong)");
            }
        }
    }

    /** Where a YAML value is written in its file: from its first character to the end of its last line (or scalar). */
    private record Span(String file, int firstLine, int firstColumn, int lastLine, int lastColumn) {
        static Span of(SNode node) {
            SourcePos start = node.pos();
            if (node instanceof SScalar scalar) {
                int length = String.valueOf(scalar.value()).length() + (scalar.plain() ? 0 : 2);
                return new Span(start.file(), start.line(), start.column(), start.line(), start.column() + length);
            }
            int[] last = {start.line()};
            visit(node, last);
            return new Span(start.file(), start.line(), start.column(), last[0], Integer.MAX_VALUE);
        }

        private static void visit(SNode node, int[] last) {
            last[0] = Math.max(last[0], node.pos().line());
            if (node instanceof SMap map) map.entries().forEach(e -> visit(e.value(), last));
            if (node instanceof SList list) list.items().forEach(item -> visit(item, last));
        }

        boolean contains(SourcePos pos) {
            return pos.file().equals(file) && pos.line() >= firstLine && pos.line() <= lastLine
                    && (pos.line() > firstLine || pos.column() >= firstColumn)
                    && (pos.line() < lastLine || pos.column() <= lastColumn);
        }
    }

    private static SMap section(SMap tree, String key) {
        return tree.get(key) instanceof SMap m ? m : null;
    }

    private static void stopOnErrors(Diagnostics diagnostics) throws SpecException {
        if (diagnostics.hasErrors()) throw new SpecException(diagnostics);
    }
}
