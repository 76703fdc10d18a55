package dev.specc.resolve;

import dev.specc.diag.Diagnostics;
import dev.specc.diag.Suggest;
import dev.specc.ir.Padding;
import dev.specc.load.SList;
import dev.specc.load.SMap;
import dev.specc.load.SNode;
import dev.specc.load.SScalar;
import dev.specc.expr.ExprEvaluator;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The arguments of one layer item, read with types, defaults and range checks. Every problem is
 * reported at its value; {@link #ok()} tells whether a layer can be built from what was read.
 */
public final class LayerArgs {
    /** Keys every layer item may carry besides its kind's own arguments. */
    public static final Set<String> ITEM_KEYS = Set.of("kind", "name", "id", "from", "if", "else", "doc", "trainable");

    private final SMap item;
    private final String kind;
    private final Values values;
    private final Map<String, Object> names;
    private final Diagnostics diagnostics;
    private final Set<String> read = new HashSet<>(ITEM_KEYS);
    private final Map<String, Argument> arguments = new LinkedHashMap<>();
    private boolean failed;

    LayerArgs(SMap item, String kind, Values values, Map<String, Object> names, Diagnostics diagnostics) {
        this.item = item;
        this.kind = kind;
        this.values = values;
        this.names = names;
        this.diagnostics = diagnostics;
    }

    public boolean ok() {
        return !failed;
    }

    private String what(String key) {
        return kind + " '" + key + "'";
    }

    /** Every argument read so far, in reading order. */
    Map<String, Argument> arguments() {
        return Collections.unmodifiableMap(arguments);
    }

    private void declare(String key, Argument.Type type, boolean required, List<String> choices) {
        read.add(key);
        arguments.putIfAbsent(key, new Argument(key, type, required, choices));
    }

    private void declare(String key, Argument.Type type, boolean required) {
        declare(key, type, required, List.of());
    }

    private Object value(String key, ValueType type) {
        SNode node = item.get(key);
        if (node == null) return null;
        Object v = values.read(node, type, names, what(key));
        if (v == null) failed = true;
        return v;
    }

    private void missing(String key) {
        failed = true;
        diagnostics.error(item.pos(), kind + ": missing required argument '" + key + "'");
    }

    private void fail(String key, String message) {
        failed = true;
        diagnostics.error(item.get(key) == null ? item.pos() : item.get(key).pos(), what(key) + ": " + message);
    }

    /** A mistake that involves two arguments, reported at the second one. */
    public void conflict(String key, String message) {
        fail(key, message);
    }

    public boolean has(String key) {
        return item.has(key);
    }

    public int positiveInt(String key, Integer defaultValue) {
        return intAtLeast(key, defaultValue, 1);
    }

    public int intAtLeast(String key, Integer defaultValue, int min) {
        declare(key, Argument.Type.INT, defaultValue == null);
        Object v = value(key, ValueType.INT);
        if (!item.has(key)) {
            if (defaultValue == null) missing(key);
            return defaultValue == null ? 0 : defaultValue;
        }
        if (v == null) return 0;
        long n = (Long) v;
        if (n < min || n > Integer.MAX_VALUE) {
            fail(key, "expected an integer >= " + min + ", got " + n);
            return 0;
        }
        return (int) n;
    }

    /** A number in [min, max] or [min, max); a null default makes the argument required. */
    public double number(String key, Double defaultValue, double min, double max, boolean maxInclusive) {
        declare(key, Argument.Type.NUMBER, defaultValue == null);
        Object v = value(key, ValueType.FLOAT);
        if (!item.has(key) && defaultValue == null) missing(key);
        if (!item.has(key) || v == null) return defaultValue == null ? min : defaultValue;
        double x = (Double) v;
        if (Double.isNaN(x) || x < min || (maxInclusive ? x > max : x >= max)) {
            fail(key, "expected a number in [" + min + ", " + max + (maxInclusive ? "]" : ")") + ", got " + x);
        }
        return x;
    }

    public boolean bool(String key, boolean defaultValue) {
        declare(key, Argument.Type.BOOL, false);
        Object v = value(key, ValueType.BOOL);
        return v == null ? defaultValue : (Boolean) v;
    }

    public String choice(String key, String defaultValue, List<String> allowed) {
        declare(key, Argument.Type.CHOICE, defaultValue == null, allowed);
        Object v = value(key, ValueType.STRING);
        if (!item.has(key)) {
            if (defaultValue == null) missing(key);
            return defaultValue;
        }
        if (v == null) return defaultValue;
        String s = (String) v;
        if (!allowed.contains(s)) {
            fail(key, "unknown value '" + s + "'" + Suggest.didYouMean(s, allowed) + "; expected one of " + String.join(", ", allowed));
            return defaultValue;
        }
        return s;
    }

    /** An int or a [height, width] pair. */
    public int[] pair(String key, int[] defaultValue, int min) {
        declare(key, Argument.Type.PAIR, defaultValue == null);
        SNode node = item.get(key);
        if (node == null) {
            if (defaultValue == null) missing(key);
            return defaultValue == null ? new int[] {1, 1} : defaultValue;
        }
        if (node instanceof SList list) {
            if (list.size() != 2) {
                fail(key, "expected one integer or a [height, width] pair, got a list of " + list.size());
                return new int[] {1, 1};
            }
            return new int[] {element(list.get(0), key, min), element(list.get(1), key, min)};
        }
        int n = element(node, key, min);
        return new int[] {n, n};
    }

    private int element(SNode node, String key, int min) {
        Object v = values.read(node, ValueType.INT, names, what(key));
        if (v == null) {
            failed = true;
            return min;
        }
        long n = (Long) v;
        if (n < min || n > Integer.MAX_VALUE) {
            failed = true;
            diagnostics.error(node.pos(), what(key) + ": expected an integer >= " + min + ", got " + n);
            return min;
        }
        return (int) n;
    }

    /**
     * Padding: "same", "valid", one int p (all sides), [ph, pw] (symmetric), or
     * [[top, bottom], [left, right]].
     */
    public Padding padding(String key, Padding defaultValue, boolean allowSameValid) {
        declare(key, Argument.Type.PADDING, false);
        SNode node = item.get(key);
        if (node == null) return defaultValue;
        if (node instanceof SScalar s && s.value() instanceof String text) {
            // "same"/"valid" are keywords; ${...} may give a keyword or a number; any other string is an amount.
            Object v = values.read(node, text.strip().startsWith("${") ? ValueType.ANY : ValueType.STRING, names, what(key));
            if (v == null) {
                failed = true;
                return defaultValue;
            }
            if (allowSameValid && v.equals("same")) return Padding.SAME;
            if (allowSameValid && v.equals("valid")) return Padding.VALID;
            if (v instanceof String word && !word.isBlank() && Character.isLetter(word.charAt(0)) && !text.strip().startsWith("${")) {
                Object amount = values.readQuiet(node, ValueType.INT, names);
                if (amount instanceof Long p) return padOf(key, node, p, defaultValue);
            }
            if (v instanceof Long p) return padOf(key, node, p, defaultValue);
            fail(key, "unknown padding " + ExprEvaluator.describe(v) + Suggest.didYouMean(String.valueOf(v), List.of("same", "valid"))
                    + "; expected " + (allowSameValid ? "same, valid, " : "") + "an integer, [h, w] or [[top, bottom], [left, right]]");
            return defaultValue;
        }
        int[] p = explicit(node, key);
        return p == null ? defaultValue : Padding.explicit(p[0], p[1], p[2], p[3]);
    }

    private Padding padOf(String key, SNode node, long p, Padding defaultValue) {
        if (p < 0 || p > Integer.MAX_VALUE) {
            fail(key, "expected an integer >= 0, got " + p);
            return defaultValue;
        }
        return Padding.explicit((int) p, (int) p, (int) p, (int) p);
    }

    /** Padding amounts {top, bottom, left, right} (an int, [h, w] or [[top, bottom], [left, right]]). */
    public int[] amounts(String key, int[] defaultValue) {
        declare(key, Argument.Type.PADDING, false);
        SNode node = item.get(key);
        if (node == null) return defaultValue;
        int[] p = explicit(node, key);
        return p == null ? defaultValue : p;
    }

    /** Explicit padding amounts {top, bottom, left, right}, or null after reporting. */
    private int[] explicit(SNode node, String key) {
        if (node instanceof SList list && list.size() == 2 && list.get(0) instanceof SList top && list.get(1) instanceof SList left) {
            if (top.size() != 2 || left.size() != 2) {
                fail(key, "expected [[top, bottom], [left, right]]");
                return null;
            }
            return new int[] {element(top.get(0), key, 0), element(top.get(1), key, 0),
                    element(left.get(0), key, 0), element(left.get(1), key, 0)};
        }
        if (node instanceof SList list) {
            if (list.size() != 2) {
                fail(key, "expected an integer, [h, w] or [[top, bottom], [left, right]]");
                return null;
            }
            int h = element(list.get(0), key, 0);
            int w = element(list.get(1), key, 0);
            return new int[] {h, h, w, w};
        }
        int p = element(node, key, 0);
        return new int[] {p, p, p, p};
    }

    /** Reports keys the kind does not take; call after reading every argument. */
    void finish() {
        List<String> accepted = new ArrayList<>(read);
        for (SMap.Entry e : item.entries()) {
            if (!read.contains(e.key())) {
                failed = true;
                diagnostics.error(e.keyPos(), kind + " has no argument '" + e.key() + "'"
                        + Suggest.didYouMean(e.key(), accepted) + "; it takes: "
                        + String.join(", ", accepted.stream().filter(k -> !ITEM_KEYS.contains(k)).sorted().toList()));
            }
        }
    }
}
