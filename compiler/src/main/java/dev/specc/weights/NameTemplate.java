package dev.specc.weights;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A specc name written from the parts a {@link NamePattern} captured: literal text and
 * {@code {name}}, {@code {name+N}} or {@code {name-N}} ({@code conv{S+1}_block{B+1}_{K}_conv}).
 * Arithmetic needs the captured part to be a whole number.
 */
public final class NameTemplate {
    private static final Pattern PART = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)(?:([+-])(\\d{1,6}))?");

    private record Part(String literal, String capture, int offset) {
    }

    private final String text;
    private final List<Part> parts;

    private NameTemplate(String text, List<Part> parts) {
        this.text = text;
        this.parts = List.copyOf(parts);
    }

    /**
     * @param captures the parts the pattern it goes with captures
     * @throws IllegalArgumentException saying what is wrong, with the closest capture for a misspelt one
     */
    public static NameTemplate parse(String text, Collection<String> captures) {
        if (text.isEmpty()) throw new IllegalArgumentException("an empty name");
        List<Part> parts = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            int open = text.indexOf('{', i);
            int strayClose = text.indexOf('}', i);
            if (strayClose >= 0 && (open < 0 || strayClose < open)) {
                throw new IllegalArgumentException("'}' at " + (strayClose + 1) + " closes no '{'");
            }
            if (open < 0) {
                parts.add(new Part(text.substring(i), null, 0));
                break;
            }
            if (open > i) parts.add(new Part(text.substring(i, open), null, 0));
            int end = text.indexOf('}', open);
            if (end < 0) throw new IllegalArgumentException("'{' at " + (open + 1) + " is not closed by '}'");
            String inside = text.substring(open + 1, end).replace(" ", "");
            Matcher m = PART.matcher(inside);
            if (!m.matches()) {
                throw new IllegalArgumentException("'{" + inside + "}': expected a captured part, optionally plus or "
                        + "minus a whole number ({B+1})");
            }
            String capture = m.group(1);
            if (!captures.contains(capture)) {
                throw new IllegalArgumentException("{" + capture + "} is not captured by the pattern"
                        + dev.specc.diag.Suggest.didYouMean(capture, captures)
                        + (captures.isEmpty() ? " (it captures nothing)" : "; it captures " + String.join(", ", captures)));
            }
            int offset = m.group(2) == null ? 0 : Integer.parseInt(m.group(3)) * (m.group(2).equals("-") ? -1 : 1);
            parts.add(new Part(null, capture, offset));
            i = end + 1;
        }
        return new NameTemplate(text, parts);
    }

    /** The name, or null when arithmetic is asked of a part that is not a whole number. */
    public String render(Map<String, String> captured) {
        StringBuilder name = new StringBuilder();
        for (Part p : parts) {
            if (p.literal() != null) {
                name.append(p.literal());
                continue;
            }
            String value = captured.get(p.capture());
            if (p.offset() == 0) {
                name.append(value);
                continue;
            }
            if (!value.matches("\\d{1,9}")) return null;
            name.append(Integer.parseInt(value) + p.offset());
        }
        return name.toString();
    }

    @Override
    public String toString() {
        return text;
    }
}
