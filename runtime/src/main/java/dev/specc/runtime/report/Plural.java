package dev.specc.runtime.report;

/** "1 epoch", "3 epochs": counts with the noun in the right number. */
public final class Plural {
    private Plural() {
    }

    public static String of(long count, String noun) {
        return count + " " + (count == 1 ? noun : noun + (noun.endsWith("s") ? "es" : "s"));
    }
}
