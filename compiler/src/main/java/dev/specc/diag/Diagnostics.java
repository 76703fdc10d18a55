package dev.specc.diag;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;

/** Collects every problem of a run so that one run reports them all; passed along the pipeline. */
public final class Diagnostics {
    private final LinkedHashSet<Diagnostic> errors = new LinkedHashSet<>();

    public void error(SourcePos pos, String message) {
        errors.add(new Diagnostic(pos, message));
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }

    public int count() {
        return errors.size();
    }

    /** The problems in file order. */
    public List<Diagnostic> sorted() {
        List<Diagnostic> list = new ArrayList<>(errors);
        Collections.sort(list);
        return list;
    }
}
