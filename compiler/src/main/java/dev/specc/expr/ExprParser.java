package dev.specc.expr;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Parses the small expression language of spec values, Python-like and side-effect free:
 * numbers, 'strings', true/false, names, + - * / // % **, comparisons, and/or/not,
 * {@code a if cond else b}, and calls of the functions in {@link ExprEvaluator#FUNCTIONS}.
 * There is no assignment, attribute access, indexing or any way to reach Java.
 */
public final class ExprParser {
    private static final Set<String> KEYWORDS = Set.of("and", "or", "not", "if", "else", "true", "false", "True", "False");

    private final String text;
    private int pos;
    private String token;
    private int tokenStart;
    private Object tokenValue;
    private Kind kind;

    private enum Kind { NUMBER, STRING, NAME, OP, END }

    private ExprParser(String text) {
        this.text = text;
        advance();
    }

    public static Expr parse(String text) {
        ExprParser p = new ExprParser(text);
        if (p.kind == Kind.END) throw new ExprException("empty expression", 0);
        Expr e = p.conditional();
        if (p.kind != Kind.END) throw new ExprException("unexpected '" + p.token + "'", p.tokenStart);
        return e;
    }

    private Expr conditional() {
        Expr then = or();
        if (isWord("if")) {
            int at = tokenStart;
            advance();
            Expr condition = or();
            expectWord("else");
            Expr otherwise = conditional();
            return new Expr.Conditional(then, condition, otherwise, at);
        }
        return then;
    }

    private Expr or() {
        Expr left = and();
        while (isWord("or")) {
            int at = tokenStart;
            advance();
            left = new Expr.Binary("or", left, and(), at);
        }
        return left;
    }

    private Expr and() {
        Expr left = not();
        while (isWord("and")) {
            int at = tokenStart;
            advance();
            left = new Expr.Binary("and", left, not(), at);
        }
        return left;
    }

    private Expr not() {
        if (isWord("not")) {
            int at = tokenStart;
            advance();
            return new Expr.Unary("not", not(), at);
        }
        return comparison();
    }

    private Expr comparison() {
        Expr left = additive();
        if (kind == Kind.OP && Set.of("==", "!=", "<", "<=", ">", ">=").contains(token)) {
            String op = token;
            int at = tokenStart;
            advance();
            Expr right = additive();
            if (kind == Kind.OP && Set.of("==", "!=", "<", "<=", ">", ">=").contains(token)) {
                throw new ExprException("chained comparisons are not supported; use 'and'", tokenStart);
            }
            return new Expr.Binary(op, left, right, at);
        }
        return left;
    }

    private Expr additive() {
        Expr left = term();
        while (kind == Kind.OP && (token.equals("+") || token.equals("-"))) {
            String op = token;
            int at = tokenStart;
            advance();
            left = new Expr.Binary(op, left, term(), at);
        }
        return left;
    }

    private Expr term() {
        Expr left = unary();
        while (kind == Kind.OP && Set.of("*", "/", "//", "%").contains(token)) {
            String op = token;
            int at = tokenStart;
            advance();
            left = new Expr.Binary(op, left, unary(), at);
        }
        return left;
    }

    private Expr unary() {
        if (kind == Kind.OP && (token.equals("-") || token.equals("+"))) {
            String op = token;
            int at = tokenStart;
            advance();
            return new Expr.Unary(op, unary(), at);
        }
        return power();
    }

    private Expr power() {
        Expr base = primary();
        if (kind == Kind.OP && token.equals("**")) {
            int at = tokenStart;
            advance();
            return new Expr.Binary("**", base, unary(), at);
        }
        return base;
    }

    private Expr primary() {
        int at = tokenStart;
        switch (kind) {
            case NUMBER, STRING -> {
                Object value = tokenValue;
                advance();
                return new Expr.Literal(value, at);
            }
            case NAME -> {
                String name = token;
                if (name.equals("true") || name.equals("True")) {
                    advance();
                    return new Expr.Literal(Boolean.TRUE, at);
                }
                if (name.equals("false") || name.equals("False")) {
                    advance();
                    return new Expr.Literal(Boolean.FALSE, at);
                }
                if (KEYWORDS.contains(name)) throw new ExprException("unexpected '" + name + "'", at);
                advance();
                if (kind == Kind.OP && token.equals("(")) {
                    advance();
                    List<Expr> args = new ArrayList<>();
                    if (!(kind == Kind.OP && token.equals(")"))) {
                        args.add(conditional());
                        while (kind == Kind.OP && token.equals(",")) {
                            advance();
                            args.add(conditional());
                        }
                    }
                    expectOp(")");
                    return new Expr.Call(name, args, at);
                }
                return new Expr.Name(name, at);
            }
            case OP -> {
                if (token.equals("(")) {
                    advance();
                    Expr inner = conditional();
                    expectOp(")");
                    return inner;
                }
                throw new ExprException("unexpected '" + token + "'", at);
            }
            default -> throw new ExprException("unexpected end of expression", at);
        }
    }

    private boolean isWord(String word) {
        return kind == Kind.NAME && token.equals(word);
    }

    private void expectWord(String word) {
        if (!isWord(word)) throw new ExprException("expected '" + word + "'", tokenStart);
        advance();
    }

    private void expectOp(String op) {
        if (!(kind == Kind.OP && token.equals(op))) {
            throw new ExprException("expected '" + op + "'" + (kind == Kind.END ? " before the end" : ", found '" + token + "'"), tokenStart);
        }
        advance();
    }

    private void advance() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) pos++;
        tokenStart = pos;
        if (pos >= text.length()) {
            kind = Kind.END;
            token = "";
            return;
        }
        char c = text.charAt(pos);
        if (Character.isDigit(c) || (c == '.' && pos + 1 < text.length() && Character.isDigit(text.charAt(pos + 1)))) {
            number();
        } else if (Character.isLetter(c) || c == '_') {
            int start = pos;
            while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) pos++;
            kind = Kind.NAME;
            token = text.substring(start, pos);
        } else if (c == '\'' || c == '"') {
            string(c);
        } else {
            for (String op : List.of("**", "//", "==", "!=", "<=", ">=", "+", "-", "*", "/", "%", "<", ">", "(", ")", ",")) {
                if (text.startsWith(op, pos)) {
                    pos += op.length();
                    kind = Kind.OP;
                    token = op;
                    return;
                }
            }
            throw new ExprException("unexpected character '" + c + "'", pos);
        }
    }

    private void number() {
        int start = pos;
        boolean isFloat = false;
        while (pos < text.length() && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '_')) pos++;
        if (pos < text.length() && text.charAt(pos) == '.') {
            isFloat = true;
            pos++;
            while (pos < text.length() && Character.isDigit(text.charAt(pos))) pos++;
        }
        if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
            int mark = pos;
            pos++;
            if (pos < text.length() && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) pos++;
            if (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                isFloat = true;
                while (pos < text.length() && Character.isDigit(text.charAt(pos))) pos++;
            } else {
                pos = mark;
            }
        }
        token = text.substring(start, pos);
        String digits = token.replace("_", "");
        kind = Kind.NUMBER;
        try {
            tokenValue = isFloat ? (Object) Double.parseDouble(digits) : (Object) Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new ExprException("bad number '" + token + "'", start);
        }
    }

    private void string(char quote) {
        int start = pos;
        pos++;
        StringBuilder sb = new StringBuilder();
        while (pos < text.length() && text.charAt(pos) != quote) {
            sb.append(text.charAt(pos));
            pos++;
        }
        if (pos >= text.length()) throw new ExprException("unterminated string", start);
        pos++;
        kind = Kind.STRING;
        token = text.substring(start, pos);
        tokenValue = sb.toString();
    }
}
