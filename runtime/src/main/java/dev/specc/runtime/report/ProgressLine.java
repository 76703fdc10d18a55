package dev.specc.runtime.report;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * Keras' per-epoch progress line: "47/94 [=====>....] - ETA: 12s - 265ms/step - loss: 0.4123 -
 * accuracy: 0.8512", redrawn in place on a terminal; on a pipe or file, plain lines at each tenth
 * of the epoch instead of carriage returns.
 */
public final class ProgressLine {
    private static final int BAR = 30;
    private final PrintStream out;
    private final boolean terminal;
    private final long total;
    private final long startNanos;
    private final long startStep;
    private long lastPrintedTenth = -1;

    public ProgressLine(PrintStream out, boolean terminal, long total, long startStep) {
        this.out = out;
        this.terminal = terminal;
        this.total = total;
        this.startStep = startStep;
        this.startNanos = System.nanoTime();
    }

    public static boolean isTerminal() {
        return System.console() != null && !"dumb".equals(System.getenv("TERM"));
    }

    public void update(long done, Map<String, Double> metrics) {
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        long stepsRun = Math.max(1, done - startStep);
        double perStep = elapsed / stepsRun;
        String head = pad(done) + "/" + total;
        String stats = metricsText(metrics);
        if (terminal) {
            int filled = (int) (BAR * done / Math.max(1, total));
            String bar = "[" + "=".repeat(Math.max(0, filled - 1)) + (done < total ? ">" : "=") + ".".repeat(BAR - Math.max(1, filled)) + "]";
            out.print("\r" + head + " " + bar + " - ETA: " + seconds(perStep * (total - done)) + " - " + perStep(perStep) + stats + "\u001b[K");
            out.flush();
        } else {
            long tenth = done * 10 / Math.max(1, total);
            if (tenth != lastPrintedTenth && done < total) {
                lastPrintedTenth = tenth;
                out.println(head + " - ETA: " + seconds(perStep * (total - done)) + " - " + perStep(perStep) + stats);
            }
        }
    }

    /** The epoch's closing line, with validation metrics added. */
    public void finish(long done, Map<String, Double> metrics) {
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        String line = pad(done) + "/" + total + (terminal ? " [" + "=".repeat(BAR) + "]" : "") + " - " + seconds(elapsed) + " "
                + perStep(elapsed / Math.max(1, done - startStep)) + metricsText(metrics);
        out.println((terminal ? "\r" : "") + line + (terminal ? "\u001b[K" : ""));
        out.flush();
    }

    private String pad(long done) {
        String t = Long.toString(total);
        String d = Long.toString(done);
        return " ".repeat(Math.max(0, t.length() - d.length())) + d;
    }

    private static String metricsText(Map<String, Double> metrics) {
        StringBuilder sb = new StringBuilder();
        metrics.forEach((k, v) -> sb.append(" - ").append(k).append(": ").append(String.format(Locale.ROOT, "%.4f", v)));
        return sb.toString();
    }

    private static String perStep(double seconds) {
        return seconds >= 1 ? String.format(Locale.ROOT, "%.2fs/step", seconds)
                : String.format(Locale.ROOT, "%dms/step", Math.round(seconds * 1000));
    }

    static String seconds(double s) {
        long total = Math.round(s);
        if (total >= 3600) return String.format(Locale.ROOT, "%d:%02d:%02d", total / 3600, total / 60 % 60, total % 60);
        if (total >= 60) return String.format(Locale.ROOT, "%d:%02d", total / 60, total % 60);
        return total + "s";
    }
}
