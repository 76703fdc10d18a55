package dev.specc.lower;

/** Which forward path: both share the variables, and each lives under its own name scope. */
public enum Mode {
    /** Batch statistics in batch norm, dropout active. */
    TRAINING("train"),
    /** Moving statistics in batch norm, dropout off. */
    INFERENCE("infer");

    private final String scope;

    Mode(String scope) {
        this.scope = scope;
    }

    /** The name scope of this path's ops ("train", "infer"). */
    public String scope() {
        return scope;
    }
}
