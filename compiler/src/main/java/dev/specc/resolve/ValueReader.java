package dev.specc.resolve;

import dev.specc.diag.Diagnostics;
import dev.specc.load.SNode;
import java.util.Map;

/**
 * Reads typed values of spec sections outside the network (train:, data:) with the same rules
 * as layer arguments: numbers and booleans may be expressions over {@code names}; failures are
 * reported at the value, saying what was expected there, and read as null.
 */
public final class ValueReader {
    private final Values values;

    public ValueReader(Diagnostics diagnostics) {
        this.values = new Values(diagnostics, true);
    }

    public Object read(SNode node, ValueType type, Map<String, Object> names, String what) {
        return values.read(node, type, names, what);
    }
}
