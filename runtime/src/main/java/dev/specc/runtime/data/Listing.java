package dev.specc.runtime.data;

import java.util.List;

/**
 * What listing (or decoding) a source found: its readable examples, and the files left out, each
 * already described by one line in {@code warnings} ("PATH: skipped, cannot decode: why").
 */
public record Listing(Examples examples, List<String> warnings) {
    public Listing {
        warnings = List.copyOf(warnings);
    }

    public int skipped() {
        return warnings.size();
    }

    static String skippedLine(String what, String reason) {
        return what + ": skipped, cannot decode: " + reason;
    }
}
