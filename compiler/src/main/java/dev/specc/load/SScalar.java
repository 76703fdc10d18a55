package dev.specc.load;

import dev.specc.diag.SourcePos;

/** A scalar: String, Long, Double, Boolean, or null. {@code plain} is false for quoted strings. */
public record SScalar(Object value, boolean plain, SourcePos pos) implements SNode {

    public boolean isString() {
        return value instanceof String;
    }

    @Override
    public String describe() {
        if (value == null) return "null";
        if (value instanceof String s) return "the string '" + s + "'";
        if (value instanceof Boolean b) return "the boolean " + b;
        return "the number " + value;
    }
}
