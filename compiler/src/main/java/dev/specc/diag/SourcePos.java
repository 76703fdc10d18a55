package dev.specc.diag;

/** A place in a spec file: 1-based line and column. */
public record SourcePos(String file, int line, int column) {

    public static SourcePos ofFile(String file) {
        return new SourcePos(file, 1, 1);
    }

    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
