package dev.specc.cli;

import dev.specc.Pipeline;
import dev.specc.diag.SpecException;
import dev.specc.shapes.Analysis;
import java.nio.file.Path;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** Options shared by the commands that compile one spec. */
final class SpecOptions {
    @Option(names = "--input-shape", paramLabel = "HxWxC", converter = ShapeConverter.class,
            description = "Replace the spec's input shape (for shape-agnostic networks), e.g. 64x64x3.")
    InputShape inputShape;

    /** A shape typed on the command line (a record, so picocli treats it as one value). */
    record InputShape(int[] dims) {
    }

    Pipeline.Options pipelineOptions() {
        return new Pipeline.Options(inputShape == null ? null : inputShape.dims());
    }

    Analysis analyze(Path file) throws SpecException {
        return Pipeline.analyze(file, pipelineOptions());
    }

    static final class ShapeConverter implements ITypeConverter<InputShape> {
        @Override
        public InputShape convert(String value) {
            String[] parts = value.split("[x,]");
            if (parts.length != 3 && parts.length != 1) {
                throw new TypeConversionException("expected HxWxC (e.g. 64x64x3) or N, got '" + value + "'");
            }
            int[] dims = new int[parts.length];
            for (int i = 0; i < parts.length; i++) {
                dims[i] = WholeNumber.parse(parts[i], " in '" + value + "'");
                if (dims[i] < 1) throw new TypeConversionException("dimensions must be positive, got '" + value + "'");
            }
            return new InputShape(dims);
        }
    }
}
