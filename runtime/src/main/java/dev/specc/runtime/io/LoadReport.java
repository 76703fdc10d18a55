package dev.specc.runtime.io;

import dev.specc.lower.WeightVariable;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * How a weight file matches a model, by name and shape: the weights that load, the model's weights
 * the file lacks, the file's weights the model lacks, and the weights whose shape (or type) differs.
 * {@link #toString()} is the text to show a user.
 */
public record LoadReport(List<WeightVariable> loaded, List<NamedShape> missing, List<NamedShape> unexpected,
                         List<Mismatch> mismatched, boolean partial) {
    /** Lists in the report show this many weights each, then a count of the rest. */
    static final int LISTED = 20;

    public LoadReport {
        loaded = List.copyOf(loaded);
        missing = List.copyOf(missing);
        unexpected = List.copyOf(unexpected);
        mismatched = List.copyOf(mismatched);
    }

    /** A weight name and its shape, printed "conv1/kernel [3, 3, 3, 8]". */
    public record NamedShape(String name, long[] shape) {
        @Override
        public String toString() {
            return name + " " + Arrays.toString(shape);
        }
    }

    /** A weight whose file value has another shape or element type than the model's variable. */
    public record Mismatch(String name, long[] modelShape, DType fileDtype, long[] fileShape) {
        @Override
        public String toString() {
            String file = fileDtype == DType.F32 ? Arrays.toString(fileShape) : fileDtype + " " + Arrays.toString(fileShape);
            return name + " " + Arrays.toString(modelShape) + " (file has " + file + ")";
        }
    }

    /** The same report with the file's names shown through {@code describe} (where a mapping found them). */
    public LoadReport describedBy(Function<String, String> describe) {
        return new LoadReport(loaded, missing,
                unexpected.stream().map(u -> new NamedShape(describe.apply(u.name()), u.shape())).toList(),
                mismatched.stream().map(m -> new Mismatch(describe.apply(m.name()), m.modelShape(), m.fileDtype(), m.fileShape()))
                        .toList(), partial);
    }

    /** Whether every weight of the model loads and the file has nothing else. */
    public boolean complete() {
        return missing.isEmpty() && unexpected.isEmpty() && mismatched.isEmpty();
    }

    public int modelWeights() {
        return loaded.size() + missing.size() + mismatched.size();
    }

    @Override
    public String toString() {
        if (complete()) return "loaded all " + modelWeights() + " weights";
        return partial ? partialText() : strictText();
    }

    private String strictText() {
        return refusal("to fine-tune, load partially: missing and mismatched weights then keep their initial values");
    }

    /** What does not match, then {@code remedy}: what to do about it where the weights come from. */
    public String refusal(String remedy) {
        StringBuilder text = new StringBuilder("the weights do not match the model (")
                .append(String.join(", ", counts())).append("); nothing was loaded");
        section(text, "missing from the file:", missing, NamedShape::toString, "    ");
        section(text, "in the file but not in the model:", unexpected, NamedShape::toString, "    ");
        section(text, "with another shape in the file:", mismatched, Mismatch::toString, "    ");
        return text.append('\n').append(remedy).toString();
    }

    private List<String> counts() {
        return Stream.of(
                        missing.isEmpty() ? null : missing.size() + " missing",
                        unexpected.isEmpty() ? null : unexpected.size() + " unexpected",
                        mismatched.isEmpty() ? null : mismatched.size() + " with another shape")
                .filter(Objects::nonNull).toList();
    }

    private String partialText() {
        int kept = missing.size() + mismatched.size();
        StringBuilder text = new StringBuilder("fine-tuning: loaded ").append(loaded.size()).append(" of ")
                .append(modelWeights()).append(" weights");
        if (kept > 0) {
            text.append("; ").append(kept).append(kept == 1 ? " keeps its" : " keep their").append(" initial value")
                    .append(kept == 1 ? ":" : "s:");
            List<String> keptLines = Stream.concat(mismatched.stream().map(Mismatch::toString),
                    missing.stream().map(m -> m + " (not in the file)")).toList();
            list(text, keptLines, Function.identity(), "  ");
        }
        if (!unexpected.isEmpty()) {
            text.append("\nignored ").append(unexpected.size()).append(unexpected.size() == 1 ? " weight" : " weights")
                    .append(" of the file that the model does not have:");
            list(text, unexpected, NamedShape::toString, "  ");
        }
        return text.toString();
    }

    private static <T> void section(StringBuilder text, String title, List<T> items, Function<T, String> line,
                                    String indent) {
        if (items.isEmpty()) return;
        text.append("\n  ").append(title);
        list(text, items, line, indent);
    }

    private static <T> void list(StringBuilder text, List<T> items, Function<T, String> line, String indent) {
        items.stream().limit(LISTED).forEach(item -> text.append('\n').append(indent).append(line.apply(item)));
        if (items.size() > LISTED) text.append('\n').append(indent).append("... and ").append(items.size() - LISTED).append(" more");
    }
}
