package dev.specc;

import dev.specc.diag.Diagnostics;
import dev.specc.diag.SpecException;
import dev.specc.ir.Model;
import dev.specc.load.Overrides;
import dev.specc.load.SMap;
import dev.specc.load.SchemaValidator;
import dev.specc.load.SpecReader;
import dev.specc.resolve.Resolver;
import dev.specc.shapes.Analysis;
import dev.specc.shapes.ShapeInference;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The compiler front end, stage by stage: load -> validate -> resolve -> infer shapes. Each stage
 * reports every problem it finds and the pipeline stops before the next stage when there were
 * any. Nothing here loads TensorFlow; lowering ({@code dev.specc.lower.GraphLowerer}) takes the
 * {@link Analysis}.
 */
public final class Pipeline {
    private Pipeline() {
    }

    /** Per-run choices that are not in the spec file. */
    public record Options(int[] inputShape, List<String> overrides) {
        public static final Options DEFAULT = new Options(null, List.of());

        public Options(int[] inputShape) {
            this(inputShape, List.of());
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

    /** Everything the front end knows about a spec: its final tree, hyperparameters and analysis. */
    public record Checked(SMap tree, Map<String, Object> params, Analysis analysis) {
    }

    /** The whole front end, keeping what the runtime reads besides the network (train:, data:). */
    public static Checked check(Path file, Options options) throws SpecException {
        SMap tree = validate(file, options);
        Diagnostics diagnostics = new Diagnostics();
        Resolver resolver = new Resolver(diagnostics);
        Model model = resolver.resolve(tree, file.toString(), options.inputShape());
        stopOnErrors(diagnostics);
        return new Checked(tree, Map.copyOf(resolver.globals()), analyze(model));
    }

    private static void stopOnErrors(Diagnostics diagnostics) throws SpecException {
        if (diagnostics.hasErrors()) throw new SpecException(diagnostics);
    }
}
