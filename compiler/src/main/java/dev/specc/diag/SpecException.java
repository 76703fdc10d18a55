package dev.specc.diag;

import java.util.List;

/** A spec that cannot go further down the pipeline; carries every problem found so far, warnings included. */
public final class SpecException extends Exception {
    private final List<Diagnostic> diagnostics;

    public SpecException(List<Diagnostic> diagnostics) {
        super(summary(diagnostics));
        this.diagnostics = List.copyOf(diagnostics);
    }

    public SpecException(Diagnostics diagnostics) {
        this(diagnostics.all());
    }

    private static String summary(List<Diagnostic> diagnostics) {
        List<Diagnostic> errors = diagnostics.stream().filter(Diagnostic::isError).toList();
        if (errors.isEmpty()) return "invalid spec";
        return errors.get(0) + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : "");
    }

    /** The errors alone, in file order. */
    public List<Diagnostic> errors() {
        return diagnostics.stream().filter(Diagnostic::isError).toList();
    }

    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }
}
