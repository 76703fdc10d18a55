package dev.specc.expr;

/** An expression that does not parse or evaluate; {@code offset} is where in its text. */
public final class ExprException extends RuntimeException {
    private final int offset;

    public ExprException(String message, int offset) {
        super(message);
        this.offset = offset;
    }

    public int offset() {
        return offset;
    }
}
