package dev.specc.cli;

import dev.specc.Pipeline;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** Options shared by the commands that compile one spec. */
final class SpecOptions {
    @Option(names = "--input-shape", paramLabel = "HxWxC", converter = ShapeConverter.class,
            description = "Replace the spec's input shape (for shape-agnostic networks), e.g. 64x64x3.")
    int[] inputShape;

    Pipeline.Options pipelineOptions() {
        return new Pipeline.Options(inputShape);
    }

    static final class ShapeConverter implements ITypeConverter<int[]> {
        @Override
        public int[] convert(String value) {
            String[] parts = value.split("[x,]");
            if (parts.length != 3 && parts.length != 1) {
                throw new TypeConversionException("expected HxWxC (e.g. 64x64x3) or N, got '" + value + "'");
            }
            int[] dims = new int[parts.length];
            for (int i = 0; i < parts.length; i++) {
                try {
                    dims[i] = Integer.parseInt(parts[i].trim());
                } catch (NumberFormatException e) {
                    throw new TypeConversionException("'" + parts[i] + "' in '" + value + "' is not a whole number");
                }
                if (dims[i] < 1) throw new TypeConversionException("dimensions must be positive, got '" + value + "'");
            }
            return dims;
        }
    }
}
