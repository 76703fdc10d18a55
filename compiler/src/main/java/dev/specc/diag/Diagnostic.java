package dev.specc.diag;

/** One problem found in a spec, at the node at fault. */
public record Diagnostic(SourcePos pos, String message) implements Comparable<Diagnostic> {

    @Override
    public int compareTo(Diagnostic o) {
        int c = pos.file().compareTo(o.pos.file());
        if (c == 0) c = Integer.compare(pos.line(), o.pos.line());
        if (c == 0) c = Integer.compare(pos.column(), o.pos.column());
        return c == 0 ? message.compareTo(o.message) : c;
    }

    @Override
    public String toString() {
        return pos + ": error: " + message;
    }
}
