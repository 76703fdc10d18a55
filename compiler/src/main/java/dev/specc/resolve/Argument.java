package dev.specc.resolve;

import java.util.List;

/**
 * One argument of a layer kind as its parser reads it ({@link LayerKinds#arguments}): the JSON
 * Schema's definition of the kind must declare the same keys, types and required keys.
 */
public record Argument(String key, Type type, boolean required, List<String> choices) {

    /** How a value is written; each type has one definition in the schema's {@code $defs}. */
    public enum Type {
        INT, NUMBER, BOOL, PAIR, PADDING,
        /** One of {@link #choices}, or an expression. */
        CHOICE
    }

    public Argument {
        choices = List.copyOf(choices);
    }
}
