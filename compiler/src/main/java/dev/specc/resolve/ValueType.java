package dev.specc.resolve;

import java.util.Locale;

/** The type a spec value must have where it is used; block parameters declare one. */
public enum ValueType {
    INT, FLOAT, BOOL, STRING, ANY;

    public String spelling() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ValueType parse(String text) {
        return switch (text) {
            case "int" -> INT;
            case "float", "number" -> FLOAT;
            case "bool" -> BOOL;
            case "string", "str" -> STRING;
            case "any" -> ANY;
            default -> null;
        };
    }

    public String article() {
        return switch (this) {
            case INT -> "an integer";
            case FLOAT -> "a number";
            case BOOL -> "true or false";
            case STRING -> "a string";
            case ANY -> "a value";
        };
    }
}
