package dev.specc.resolve;

import dev.specc.diag.Diagnostics;
import dev.specc.diag.SourcePos;
import dev.specc.expr.ExprEvaluator;
import dev.specc.expr.ExprException;
import dev.specc.expr.ExprParser;
import dev.specc.load.SNode;
import dev.specc.load.SScalar;
import java.util.Map;

/**
 * Reads one spec value as a given type. Where a number or boolean is expected, a string is an
 * expression ({@code filters * 4}); where a string is expected, a string is itself unless written
 * as {@code ${expression}}. Failures are reported at the value (at the character for expressions)
 * and read as null.
 */
final class Values {
    private final Diagnostics diagnostics;
    private final boolean sayExpected;

    Values(Diagnostics diagnostics) {
        this(diagnostics, false);
    }

    /** {@code sayExpected}: a failed expression's message also says which type was expected there. */
    Values(Diagnostics diagnostics, boolean sayExpected) {
        this.diagnostics = diagnostics;
        this.sayExpected = sayExpected;
    }

    Object read(SNode node, ValueType type, Map<String, Object> names, String what) {
        if (!(node instanceof SScalar scalar)) {
            diagnostics.error(node.pos(), what + ": expected " + type.article() + ", got " + node.describe());
            return null;
        }
        Object value = scalar.value();
        if (value instanceof String text) {
            String trimmed = text.strip();
            boolean wrapped = trimmed.startsWith("${") && trimmed.endsWith("}");
            boolean isExpression = wrapped || type == ValueType.INT || type == ValueType.FLOAT || type == ValueType.BOOL;
            if (isExpression) {
                String source = wrapped ? trimmed.substring(2, trimmed.length() - 1) : text;
                int shift = (scalar.plain() ? 0 : 1) + (wrapped ? text.indexOf("${") + 2 : 0);
                try {
                    value = new ExprEvaluator(names).evaluate(ExprParser.parse(source));
                } catch (ExprException e) {
                    SourcePos pos = scalar.pos();
                    String message = sayExpected
                            ? what + ": expected " + type.article() + " (or an expression over params), got '"
                                    + source.strip() + "': " + e.getMessage()
                            : what + ": " + e.getMessage() + " in '" + source.strip() + "'";
                    diagnostics.error(new SourcePos(pos.file(), pos.line(), pos.column() + shift + e.offset()), message);
                    return null;
                }
            }
        }
        return convert(value, type, scalar.pos(), what);
    }

    /** Like {@link #read} but reports nothing: for trying one reading of a value that has several. */
    Object readQuiet(SNode node, ValueType type, Map<String, Object> names) {
        Diagnostics scratch = new Diagnostics();
        return new Values(scratch).read(node, type, names, "");
    }

    private Object convert(Object value, ValueType type, SourcePos pos, String what) {
        switch (type) {
            case INT:
                if (value instanceof Long) return value;
                break;
            case FLOAT:
                if (value instanceof Long l) return l.doubleValue();
                if (value instanceof Double) return value;
                break;
            case BOOL:
                if (value instanceof Boolean) return value;
                break;
            case STRING:
                if (value instanceof String) return value;
                break;
            case ANY:
                if (value != null) return value;
                break;
            default:
                break;
        }
        String hint = type == ValueType.INT && value instanceof Double ? " (use int(...) or round(...) to convert)" : "";
        diagnostics.error(pos, what + ": expected " + type.article() + ", got " + ExprEvaluator.describe(value) + hint);
        return null;
    }
}
