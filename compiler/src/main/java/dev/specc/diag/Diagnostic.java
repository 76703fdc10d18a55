package dev.specc.diag;

import java.util.Locale;

/** One problem found in a spec, at the node at fault: an error stops the spec, a warning is only printed. */
public record Diagnostic(SourcePos pos, String message, Severity severity) implements Comparable<Diagnostic> {

    public enum Severity {
        ERROR, WARNING;

        public String spelling() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Diagnostic(SourcePos pos, String message) {
        this(pos, message, Severity.ERROR);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    @Override
    public int compareTo(Diagnostic o) {
        int c = pos.file().compareTo(o.pos.file());
        if (c == 0) c = Integer.compare(pos.line(), o.pos.line());
        if (c == 0) c = Integer.compare(pos.column(), o.pos.column());
        if (c == 0) c = severity.compareTo(o.severity);
        return c == 0 ? message.compareTo(o.message) : c;
    }

    @Override
    public String toString() {
        return pos + ": " + severity.spelling() + ": " + message;
    }
}
