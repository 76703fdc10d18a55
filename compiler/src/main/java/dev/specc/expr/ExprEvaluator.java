package dev.specc.expr;

import dev.specc.diag.Suggest;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates an {@link Expr} over named values (Long, Double, Boolean, String) with Python's
 * arithmetic: int op int stays int except '/', which gives a float; '//' floors.
 */
public final class ExprEvaluator {
    public static final Set<String> FUNCTIONS = Set.of("min", "max", "abs", "int", "float", "round", "floor", "ceil");

    private final Map<String, Object> names;

    public ExprEvaluator(Map<String, Object> names) {
        this.names = names;
    }

    public Object evaluate(Expr expr) {
        if (expr instanceof Expr.Literal l) return l.value();
        if (expr instanceof Expr.Name n) {
            if (!names.containsKey(n.name())) {
                throw new ExprException("unknown name '" + n.name() + "'" + Suggest.didYouMean(n.name(), names.keySet()), n.at());
            }
            return names.get(n.name());
        }
        if (expr instanceof Expr.Unary u) return unary(u);
        if (expr instanceof Expr.Binary b) return binary(b);
        if (expr instanceof Expr.Conditional c) {
            return truth(evaluate(c.condition()), c.condition().at()) ? evaluate(c.then()) : evaluate(c.otherwise());
        }
        return call((Expr.Call) expr);
    }

    private Object unary(Expr.Unary u) {
        Object v = evaluate(u.operand());
        return switch (u.op()) {
            case "not" -> !truth(v, u.operand().at());
            case "-" -> v instanceof Long l ? (Object) Math.negateExact(l) : (Object) (-number(v, u.at(), "-"));
            default -> {
                number(v, u.at(), "+");
                yield v;
            }
        };
    }

    private Object binary(Expr.Binary b) {
        if (b.op().equals("and")) {
            return truth(evaluate(b.left()), b.left().at()) && truth(evaluate(b.right()), b.right().at());
        }
        if (b.op().equals("or")) {
            return truth(evaluate(b.left()), b.left().at()) || truth(evaluate(b.right()), b.right().at());
        }
        Object l = evaluate(b.left());
        Object r = evaluate(b.right());
        switch (b.op()) {
            case "==":
                return equal(l, r);
            case "!=":
                return !equal(l, r);
            case "+":
                if (l instanceof String ls && r instanceof String rs) return ls + rs;
                break;
            default:
                break;
        }
        if (Set.of("<", "<=", ">", ">=").contains(b.op())) {
            int c = (l instanceof String ls && r instanceof String rs) ? ls.compareTo(rs)
                    : Double.compare(number(l, b.at(), b.op()), number(r, b.at(), b.op()));
            return switch (b.op()) {
                case "<" -> c < 0;
                case "<=" -> c <= 0;
                case ">" -> c > 0;
                default -> c >= 0;
            };
        }
        double x = number(l, b.at(), b.op());
        double y = number(r, b.at(), b.op());
        boolean ints = l instanceof Long && r instanceof Long;
        try {
            return switch (b.op()) {
                case "+" -> ints ? (Object) Math.addExact((Long) l, (Long) r) : (Object) (x + y);
                case "-" -> ints ? (Object) Math.subtractExact((Long) l, (Long) r) : (Object) (x - y);
                case "*" -> ints ? (Object) Math.multiplyExact((Long) l, (Long) r) : (Object) (x * y);
                case "/" -> {
                    if (y == 0) throw new ExprException("division by zero", b.at());
                    yield x / y;
                }
                case "//" -> {
                    if (y == 0) throw new ExprException("division by zero", b.at());
                    yield ints ? (Object) Math.floorDiv((Long) l, (Long) r) : (Object) Math.floor(x / y);
                }
                case "%" -> {
                    if (y == 0) throw new ExprException("modulo by zero", b.at());
                    yield ints ? (Object) Math.floorMod((Long) l, (Long) r) : (Object) (x - Math.floor(x / y) * y);
                }
                case "**" -> ints && (Long) r >= 0 ? (Object) power((Long) l, (Long) r, b.at()) : (Object) Math.pow(x, y);
                default -> throw new ExprException("unknown operator " + b.op(), b.at());
            };
        } catch (ArithmeticException e) {
            throw new ExprException("integer overflow in '" + b.op() + "'", b.at());
        }
    }

    private static long power(long base, long exponent, int at) {
        long result = 1;
        for (long i = 0; i < exponent; i++) result = Math.multiplyExact(result, base);
        return result;
    }

    private Object call(Expr.Call c) {
        if (!FUNCTIONS.contains(c.function())) {
            throw new ExprException("unknown function '" + c.function() + "'" + Suggest.didYouMean(c.function(), FUNCTIONS)
                    + "; functions: " + String.join(", ", FUNCTIONS.stream().sorted().toList()), c.at());
        }
        List<Object> args = c.args().stream().map(this::evaluate).toList();
        boolean variadic = c.function().equals("min") || c.function().equals("max");
        if (variadic ? args.isEmpty() : args.size() != 1) {
            throw new ExprException(c.function() + "() takes " + (variadic ? "at least one argument" : "one argument")
                    + ", got " + args.size(), c.at());
        }
        Object a = args.get(0);
        double x = number(a, c.at(), c.function() + "()");
        return switch (c.function()) {
            case "min", "max" -> {
                Object best = a;
                for (Object o : args) {
                    double v = number(o, c.at(), c.function() + "()");
                    double current = number(best, c.at(), c.function() + "()");
                    if (c.function().equals("min") ? v < current : v > current) best = o;
                }
                yield best;
            }
            case "abs" -> a instanceof Long l ? (Object) Math.abs(l) : (Object) Math.abs(x);
            case "int" -> a instanceof Long ? a : (Object) (long) x;
            case "float" -> x;
            case "round" -> Math.round(x);
            case "floor" -> (long) Math.floor(x);
            default -> (long) Math.ceil(x);
        };
    }

    private static boolean equal(Object l, Object r) {
        if (l instanceof Number a && r instanceof Number b) return a.doubleValue() == b.doubleValue();
        return l == null ? r == null : l.equals(r);
    }

    private static boolean truth(Object v, int at) {
        if (v instanceof Boolean b) return b;
        throw new ExprException("expected true or false, got " + describe(v), at);
    }

    private static double number(Object v, int at, String op) {
        if (v instanceof Long l) return l;
        if (v instanceof Double d) return d;
        throw new ExprException("'" + op + "' needs numbers, got " + describe(v), at);
    }

    public static String describe(Object v) {
        if (v instanceof String s) return "the string '" + s + "'";
        if (v instanceof Boolean b) return b.toString();
        return v == null ? "null" : v.toString();
    }
}
