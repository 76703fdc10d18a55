package dev.specc.runtime.data;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Files that passed the listing's {@link ImageCheck} but could not be decoded when a batch needed
 * them (damage inside the compressed data). Each is reported to the sink once, however many epochs
 * meet it, and counted once.
 */
public final class SkipLog {
    private final Set<String> skipped = ConcurrentHashMap.newKeySet();
    private volatile Consumer<String> sink = line -> { };

    /** Where each newly skipped file's line goes ("PATH: skipped, cannot decode: why (N so far)"). */
    public void reportTo(Consumer<String> lines) {
        sink = lines;
    }

    void skip(String what, String reason) {
        if (skipped.add(what)) {
            sink.accept(Listing.skippedLine(what, reason) + " (" + skipped.size() + " skipped while reading batches)");
        }
    }

    public int count() {
        return skipped.size();
    }
}
