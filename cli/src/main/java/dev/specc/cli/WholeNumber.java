package dev.specc.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Whole numbers typed on the command line: a bad one is an argument error that says what was expected. */
final class WholeNumber {
    private WholeNumber() {
    }

    /** The value of {@code text}, or a conversion error; {@code where} follows the text in it (e.g. " in '64x64x3'"). */
    static int parse(String text, String where) {
        String t = text.strip();
        String given = "'" + text + "'" + where;
        if (!t.matches("[+-]?[0-9]+")) throw new TypeConversionException(given + " is not a whole number");
        try {
            return Integer.parseInt(t);
        } catch (NumberFormatException e) {
            throw new TypeConversionException(given + " is too large (at most " + Integer.MAX_VALUE + ")");
        }
    }

    /** --threads: 0 for one per core, else a count. */
    static final class Threads implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return atLeast(value, 0, "is negative; expected 0 (one thread per core) or a number of threads");
        }
    }

    /** A count of at least 1, such as predict --top. */
    static final class Positive implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return atLeast(value, 1, "is below 1; expected 1 or more");
        }
    }

    private static int atLeast(String value, int min, String below) {
        int n = parse(value, "");
        if (n < min) throw new TypeConversionException(n + " " + below);
        return n;
    }
}
