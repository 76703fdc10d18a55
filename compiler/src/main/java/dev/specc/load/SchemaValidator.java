package dev.specc.load;

import dev.specc.diag.Diagnostics;

/** Placeholder until the schema lands in this commit series. */
public final class SchemaValidator {
    private static final SchemaValidator SHARED = new SchemaValidator();

    public static SchemaValidator shared() {
        return SHARED;
    }

    public void validate(SMap tree, Diagnostics diagnostics) {
    }
}
