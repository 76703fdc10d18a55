package dev.specc.diag;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;

/** Collects every problem of a run so that one run reports them all; passed along the pipeline. */
public final class Diagnostics {
    private final LinkedHashSet<Diagnostic> errors = new LinkedHashSet<>();
    private final LinkedHashSet<Diagnostic> warnings = new LinkedHashSet<>();

    public void error(SourcePos pos, String message) {
        errors.add(new Diagnostic(pos, message));
    }

    /** A setting that is accepted but probably not what was meant; it does not stop the spec. */
    public void warning(SourcePos pos, String message) {
        warnings.add(new Diagnostic(pos, message, Diagnostic.Severity.WARNING));
    }

    public void add(Diagnostic diagnostic) {
        (diagnostic.isError() ? errors : warnings).add(diagnostic);
    }

    public void addAll(Diagnostics other) {
        errors.addAll(other.errors);
        warnings.addAll(other.warnings);
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }

    public int count() {
        return errors.size();
    }

    /** The errors in file order. */
    public List<Diagnostic> sorted() {
        return inOrder(errors);
    }

    /** The warnings in file order. */
    public List<Diagnostic> warnings() {
        return inOrder(warnings);
    }

    /** Errors and warnings together, in file order. */
    public List<Diagnostic> all() {
        List<Diagnostic> list = new ArrayList<>(errors);
        list.addAll(warnings);
        Collections.sort(list);
        return list;
    }

    private static List<Diagnostic> inOrder(LinkedHashSet<Diagnostic> set) {
        List<Diagnostic> list = new ArrayList<>(set);
        Collections.sort(list);
        return list;
    }
}
