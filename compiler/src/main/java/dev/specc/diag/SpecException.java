package dev.specc.diag;

import java.util.List;

/** A spec that cannot go further down the pipeline; carries every problem found so far. */
public final class SpecException extends Exception {
    private final List<Diagnostic> diagnostics;

    public SpecException(List<Diagnostic> diagnostics) {
        super(diagnostics.isEmpty() ? "invalid spec" : diagnostics.get(0).toString()
                + (diagnostics.size() > 1 ? " (and " + (diagnostics.size() - 1) + " more)" : ""));
        this.diagnostics = List.copyOf(diagnostics);
    }

    public SpecException(Diagnostics diagnostics) {
        this(diagnostics.sorted());
    }

    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }
}
