package dev.specc.expr;

import java.util.List;

/** The syntax tree of a spec expression; {@code at} is the character offset in the source text. */
public sealed interface Expr {
    int at();

    record Literal(Object value, int at) implements Expr {
    }

    record Name(String name, int at) implements Expr {
    }

    record Unary(String op, Expr operand, int at) implements Expr {
    }

    record Binary(String op, Expr left, Expr right, int at) implements Expr {
    }

    record Conditional(Expr then, Expr condition, Expr otherwise, int at) implements Expr {
    }

    record Call(String function, List<Expr> args, int at) implements Expr {
    }
}
