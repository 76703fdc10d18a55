package dev.specc.runtime.io;

/** Weights that cannot be loaded into a model; the message is the whole {@link LoadReport}. */
public final class WeightLoadException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient LoadReport report;

    WeightLoadException(LoadReport report) {
        this(report.toString(), report);
    }

    WeightLoadException(String message, LoadReport report) {
        super(message);
        this.report = report;
    }

    public LoadReport report() {
        return report;
    }
}
