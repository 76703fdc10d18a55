package dev.specc.weights;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pattern over the names in a weight file: literal text, {@code {name}} for one dot-free part of
 * the name (captured, for a {@link NameTemplate} to use), and {@code *} for any text. It matches
 * the whole name: {@code layer{S}.{B}.conv{K}} matches {@code layer3.1.conv2} with S=3, B=1, K=2.
 */
public final class NamePattern {
    private static final Pattern CAPTURE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final String text;
    private final Pattern regex;
    private final List<String> captures;

    private NamePattern(String text, Pattern regex, List<String> captures) {
        this.text = text;
        this.regex = regex;
        this.captures = List.copyOf(captures);
    }

    /**
     * @throws IllegalArgumentException saying what is wrong with the pattern
     */
    public static NamePattern parse(String text) {
        if (text.isEmpty()) throw new IllegalArgumentException("an empty pattern matches no name");
        StringBuilder regex = new StringBuilder();
        List<String> captures = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '{') {
                int end = text.indexOf('}', i);
                if (end < 0) throw new IllegalArgumentException("'{' at " + (i + 1) + " is not closed by '}'");
                String name = text.substring(i + 1, end);
                if (!CAPTURE_NAME.matcher(name).matches()) {
                    throw new IllegalArgumentException("'{" + name + "}': a part to capture is named by a letter "
                            + "and letters, digits or '_' (e.g. {L})");
                }
                if (captures.contains(name)) throw new IllegalArgumentException("{" + name + "} is captured twice");
                captures.add(name);
                regex.append("([^.]+?)");
                i = end + 1;
            } else if (c == '}') {
                throw new IllegalArgumentException("'}' at " + (i + 1) + " closes no '{'");
            } else if (c == '*') {
                regex.append(".*?");
                i++;
            } else {
                int next = i;
                while (next < text.length() && "{}*".indexOf(text.charAt(next)) < 0) next++;
                regex.append(Pattern.quote(text.substring(i, next)));
                i = next;
            }
        }
        return new NamePattern(text, Pattern.compile(regex.toString()), captures);
    }

    /** The captured parts by name when the whole name matches. */
    public Optional<Map<String, String>> match(String name) {
        Matcher m = regex.matcher(name);
        if (!m.matches()) return Optional.empty();
        Map<String, String> parts = new LinkedHashMap<>();
        for (int i = 0; i < captures.size(); i++) parts.put(captures.get(i), m.group(i + 1));
        return Optional.of(parts);
    }

    public List<String> captures() {
        return captures;
    }

    @Override
    public String toString() {
        return text;
    }
}
