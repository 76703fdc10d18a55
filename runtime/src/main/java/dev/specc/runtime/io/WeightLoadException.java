package dev.specc.runtime.io;

import dev.specc.diag.UsageException;

/** Weights that cannot be loaded into a model (a usage error); the message is the whole {@link LoadReport}. */
public final class WeightLoadException extends UsageException {
    private static final long serialVersionUID = 1L;
    private final transient LoadReport report;

    WeightLoadException(LoadReport report) {
        this(report.toString(), report);
    }

    public WeightLoadException(String message, LoadReport report) {
        super(message);
        this.report = report;
    }

    public LoadReport report() {
        return report;
    }
}
