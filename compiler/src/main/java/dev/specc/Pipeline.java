package dev.specc;

import dev.specc.diag.Diagnostics;
import dev.specc.diag.SpecException;
import dev.specc.ir.Model;
import dev.specc.load.SMap;
import dev.specc.load.SchemaValidator;
import dev.specc.load.SpecReader;
import dev.specc.resolve.Resolver;
import dev.specc.shapes.Analysis;
import dev.specc.shapes.ShapeInference;
import java.nio.file.Path;

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
    public record Options(int[] inputShape) {
        public static final Options DEFAULT = new Options(null);
    }

    /** Reads the file and its bases and checks the result against the JSON Schema. */
    public static SMap validate(Path file) throws SpecException {
        Diagnostics diagnostics = new Diagnostics();
        SMap tree = new SpecReader(diagnostics).read(file);
        stopOnErrors(diagnostics);
        SchemaValidator.shared().validate(tree, diagnostics);
        stopOnErrors(diagnostics);
        return tree;
    }

    public static Model resolve(Path file, Options options) throws SpecException {
        SMap tree = validate(file);
        Diagnostics diagnostics = new Diagnostics();
        Model model = new Resolver(diagnostics).resolve(tree, file.toString(), options.inputShape());
        stopOnErrors(diagnostics);
        return model;
    }

    public static Analysis analyze(Path file, Options options) throws SpecException {
        Model model = resolve(file, options);
        Diagnostics diagnostics = new Diagnostics();
        Analysis analysis = ShapeInference.analyze(model, diagnostics);
        stopOnErrors(diagnostics);
        return analysis;
    }

    private static void stopOnErrors(Diagnostics diagnostics) throws SpecException {
        if (diagnostics.hasErrors()) throw new SpecException(diagnostics);
    }
}
