package dev.specc.weights;

import dev.specc.diag.Diagnostics;
import dev.specc.diag.SourcePos;
import dev.specc.diag.Suggest;
import dev.specc.load.SList;
import dev.specc.load.SMap;
import dev.specc.load.SNode;
import dev.specc.load.SScalar;
import dev.specc.load.YamlLoader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Reads weight mappings: the built-in ones (YAML resources under {@code specc/mappings/}, in the
 * same language as a user's), a user's YAML file, or rules written in place in a spec's
 * {@code train.init_from.mapping}. Every mistake is reported at its node.
 */
public final class WeightMappings {
    /** Built-in mappings by name; each is also an example of the language. */
    public static final List<String> BUILT_IN = List.of("torchvision-resnet", "fyu-drn");
    private static final Set<String> KEYS = Set.of("layout", "extends", "drop", "tensors", "layers", "doc");
    private static final Set<String> RULE_KEYS = Set.of("from", "to");

    private WeightMappings() {
    }

    /** A built-in mapping by name, or null when there is none of that name. */
    public static WeightMapping builtIn(String name) {
        if (!BUILT_IN.contains(name)) return null;
        String resource = "specc/mappings/" + name + ".yaml";
        try (InputStream in = WeightMappings.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("missing resource " + resource);
            Diagnostics diagnostics = new Diagnostics();
            SNode root = new YamlLoader(diagnostics).parse(resource, in.readAllBytes());
            WeightMapping mapping = root instanceof SMap map ? readMap(map, name, null, "", diagnostics) : null;
            if (diagnostics.hasErrors() || mapping == null) {
                throw new IllegalStateException("built-in mapping " + name + " is invalid: " + diagnostics.sorted());
            }
            return mapping;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<WeightMapping> builtIns() {
        return BUILT_IN.stream().map(WeightMappings::builtIn).toList();
    }

    /**
     * The mapping a spec's node names: a built-in's name, the path of a YAML file (from the folder of
     * {@code relativeTo}), or a mapping written in place. {@code key} is the node's key path in the spec
     * ({@code train.init_from.mapping}), which messages about it and about rules written in place start
     * with. Null after reporting to {@code diagnostics}.
     */
    public static WeightMapping read(SNode node, String key, Path relativeTo, Diagnostics diagnostics) {
        if (node instanceof SMap map) return readMap(map, "the mapping at " + map.pos(), relativeTo, key + ".", diagnostics);
        if (node instanceof SScalar s && s.value() instanceof String text) {
            return named(text, key, s.pos(), relativeTo, diagnostics);
        }
        diagnostics.error(node.pos(), key + ": expected a built-in mapping's name (" + String.join(", ", BUILT_IN)
                + "), the path of a YAML mapping file, or rules (layers:, tensors:, drop:), got " + node.describe());
        return null;
    }

    /**
     * The mapping named on the command line or in a spec: a built-in's name or a YAML file's path.
     * {@code key}: what messages call the name ({@code --mapping}, {@code train.init_from.mapping}).
     */
    public static WeightMapping named(String text, String key, SourcePos at, Path relativeTo, Diagnostics diagnostics) {
        WeightMapping builtIn = builtIn(text);
        if (builtIn != null) return builtIn;
        if (!text.endsWith(".yaml") && !text.endsWith(".yml")) {
            diagnostics.error(at, key + ": no built-in mapping '" + text + "'" + Suggest.didYouMean(text, BUILT_IN)
                    + "; the built-in ones are " + String.join(", ", BUILT_IN) + ", and a mapping file ends in .yaml");
            return null;
        }
        Path file;
        try {
            file = relativeTo == null ? Path.of(text) : relativeTo.toAbsolutePath().getParent().resolve(text).normalize();
        } catch (InvalidPathException e) {
            diagnostics.error(at, key + ": not a valid path: " + e.getMessage());
            return null;
        }
        if (!file.toFile().isFile()) {
            diagnostics.error(at, key + ": no such file: " + file + " (checked on this machine)");
            return null;
        }
        return readFile(file, diagnostics);
    }

    /** A mapping file: a YAML mapping of layout, extends, drop, tensors and layers. */
    public static WeightMapping readFile(Path file, Diagnostics diagnostics) {
        SNode root = new YamlLoader(diagnostics).load(file);
        if (root == null) return null;
        if (!(root instanceof SMap map)) {
            diagnostics.error(root.pos(), "a weight mapping is a YAML mapping (layout:, extends:, drop:, tensors:, layers:), got "
                    + root.describe());
            return null;
        }
        return readMap(map, file.toString(), file, "", diagnostics);
    }

    /** {@code prefix}: the mapping's key path with a dot when it is written in a spec, else empty. */
    private static WeightMapping readMap(SMap map, String name, Path relativeTo, String prefix, Diagnostics diagnostics) {
        int errors = diagnostics.count();
        for (SMap.Entry e : map.entries()) {
            if (!KEYS.contains(e.key())) {
                diagnostics.error(e.keyPos(), "unknown key '" + e.key() + "' in "
                        + (prefix.isEmpty() ? "a weight mapping" : prefix.substring(0, prefix.length() - 1))
                        + Suggest.didYouMean(e.key(), KEYS) + "; allowed: " + String.join(", ", sorted(KEYS)));
            }
        }
        WeightMapping.Layout layout = layout(map.get("layout"), prefix + "layout", diagnostics);
        WeightMapping base = null;
        SNode ext = map.get("extends");
        if (ext != null) {
            String text = string(ext, prefix + "extends", diagnostics);
            if (text != null) {
                base = builtIn(text);
                if (base == null) {
                    diagnostics.error(ext.pos(), prefix + "extends: no built-in mapping '" + text + "'" + Suggest.didYouMean(text, BUILT_IN)
                            + "; the built-in ones are " + String.join(", ", BUILT_IN));
                }
            }
        }
        if (layout == null) layout = base != null ? base.layout() : WeightMapping.Layout.PYTORCH;
        List<NamePattern> drop = new ArrayList<>();
        for (SNode item : items(map.get("drop"), prefix + "drop", diagnostics)) {
            String text = string(item, prefix + "drop", diagnostics);
            NamePattern p = text == null ? null : pattern(text, item.pos(), prefix + "drop", diagnostics);
            if (p != null) drop.add(p);
        }
        List<WeightMapping.Rule> tensors = rules(map.get("tensors"), prefix + "tensors", diagnostics);
        List<WeightMapping.Rule> layers = rules(map.get("layers"), prefix + "layers", diagnostics);
        if (diagnostics.count() > errors) return null;
        WeightMapping mapping = new WeightMapping(name, layout, drop, tensors, layers);
        return base == null ? mapping : mapping.then(base);
    }

    private static WeightMapping.Layout layout(SNode node, String key, Diagnostics diagnostics) {
        if (node == null) return null;
        String text = string(node, key, diagnostics);
        if (text == null) return null;
        for (WeightMapping.Layout l : WeightMapping.Layout.values()) {
            if (l.spelling().equals(text)) return l;
        }
        List<String> names = Arrays.stream(WeightMapping.Layout.values()).map(WeightMapping.Layout::spelling).toList();
        diagnostics.error(node.pos(), key + ": unknown value '" + text + "'" + Suggest.didYouMean(text, names)
                + "; allowed: " + String.join(", ", names));
        return null;
    }

    private static List<WeightMapping.Rule> rules(SNode node, String key, Diagnostics diagnostics) {
        List<WeightMapping.Rule> rules = new ArrayList<>();
        for (SNode item : items(node, key, diagnostics)) {
            if (!(item instanceof SMap rule)) {
                diagnostics.error(item.pos(), key + ": expected a rule {from: PATTERN, to: NAME}, got " + item.describe());
                continue;
            }
            for (SMap.Entry e : rule.entries()) {
                if (!RULE_KEYS.contains(e.key())) {
                    diagnostics.error(e.keyPos(), "unknown key '" + e.key() + "' in a " + key + " rule"
                            + Suggest.didYouMean(e.key(), RULE_KEYS) + "; allowed: from, to");
                }
            }
            SNode from = rule.get("from");
            SNode to = rule.get("to");
            if (from == null || to == null) {
                diagnostics.error(rule.pos(), key + ": a rule needs both from: (a pattern of the file's names) and to: "
                        + "(the specc name)");
                continue;
            }
            String fromText = string(from, key + ".from", diagnostics);
            String toText = string(to, key + ".to", diagnostics);
            NamePattern pattern = fromText == null ? null : pattern(fromText, from.pos(), key + ".from", diagnostics);
            if (pattern == null || toText == null) continue;
            try {
                rules.add(new WeightMapping.Rule(pattern, NameTemplate.parse(toText, pattern.captures())));
            } catch (IllegalArgumentException e) {
                diagnostics.error(to.pos(), key + ".to: " + e.getMessage());
            }
        }
        return rules;
    }

    private static NamePattern pattern(String text, SourcePos at, String key, Diagnostics diagnostics) {
        try {
            return NamePattern.parse(text);
        } catch (IllegalArgumentException e) {
            diagnostics.error(at, key + ": " + e.getMessage());
            return null;
        }
    }

    private static List<SNode> items(SNode node, String key, Diagnostics diagnostics) {
        if (node == null) return List.of();
        if (node instanceof SList list) return list.items();
        diagnostics.error(node.pos(), key + ": expected a list, got " + node.describe());
        return List.of();
    }

    private static String string(SNode node, String key, Diagnostics diagnostics) {
        if (node instanceof SScalar s && s.value() instanceof String text) return text;
        if (node instanceof SScalar s && s.value() instanceof Number n) return n.toString();
        diagnostics.error(node.pos(), key + ": expected a string, got " + node.describe());
        return null;
    }

    private static List<String> sorted(Set<String> keys) {
        return keys.stream().sorted().toList();
    }
}
