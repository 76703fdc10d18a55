package dev.specc.load;

import dev.specc.diag.Diagnostics;
import dev.specc.diag.SourcePos;
import dev.specc.diag.Suggest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Command-line overrides of spec values: {@code --set train.epochs=3},
 * {@code --set stages.conv5.dilation=4} (stages by name), {@code --set params.classes=10}. The
 * value is read as YAML ({@code [64, 64]}, {@code true}, {@code 1e-3}, {@code filters * 2}).
 * {@code KEY=null} removes the key. Errors point into the option text as the file {@code --set}.
 */
public final class Overrides {
    private Overrides() {
    }

    public static SMap apply(SMap tree, List<String> assignments, Diagnostics diagnostics) {
        return applyAll(tree, assignments, diagnostics).tree();
    }

    /** A value of the spec that an override replaced, kept so that it can still be checked. */
    public record Replaced(String assignment, String[] path, SNode original) {
    }

    /** The tree with every override applied, and the values they replaced. */
    public record Applied(SMap tree, List<Replaced> replaced) {
    }

    public static Applied applyAll(SMap tree, List<String> assignments, Diagnostics diagnostics) {
        SMap result = tree;
        List<Replaced> replaced = new ArrayList<>();
        for (String assignment : assignments) {
            String origin = "--set " + assignment;
            int eq = assignment.indexOf('=');
            if (eq <= 0) {
                diagnostics.error(new SourcePos(origin, 1, 1), "expected KEY=VALUE, e.g. train.epochs=3");
                continue;
            }
            String[] path = assignment.substring(0, eq).strip().split("\\.");
            SNode value = new YamlLoader(diagnostics).parse(origin, assignment.substring(eq + 1).getBytes(StandardCharsets.UTF_8));
            if (value == null) continue;
            value = relocate(value, origin, eq + 1);
            SNode[] before = new SNode[1];
            SMap updated = set(result, path, 0, value, new SourcePos(origin, 1, 1), diagnostics, before);
            if (updated == null) continue;
            result = updated;
            if (before[0] != null) replaced.add(new Replaced(origin, path, before[0]));
        }
        return new Applied(result, List.copyOf(replaced));
    }

    /**
     * Sets (or, with a null scalar, removes) the value at a dotted path as if by {@code --set};
     * {@code pos} is where a problem or a new key is reported. Returns null after reporting a path that cannot be set.
     */
    public static SMap put(SMap tree, String[] path, SNode value, SourcePos pos, Diagnostics diagnostics) {
        return set(tree, path, 0, value, pos, diagnostics, new SNode[1]);
    }

    private static SMap set(SMap map, String[] path, int i, SNode value, SourcePos pos, Diagnostics diagnostics,
                            SNode[] before) {
        String key = path[i];
        if (i == path.length - 1) {
            before[0] = map.get(key);
            return value instanceof SScalar s && s.value() == null ? map.without(key) : map.with(key, pos, value);
        }
        SNode child = map.get(key);
        if (child instanceof SList list && key.equals("stages")) {
            List<SNode> stages = new ArrayList<>(list.items());
            List<String> names = new ArrayList<>();
            for (int s = 0; s < stages.size(); s++) {
                if (stages.get(s) instanceof SMap stage && stage.get("name") instanceof SScalar n) {
                    names.add(String.valueOf(n.value()));
                    if (String.valueOf(n.value()).equals(path[i + 1])) {
                        if (i + 1 == path.length - 1) {
                            diagnostics.error(pos, "give a stage value to change: stages." + path[i + 1] + ".KEY=VALUE");
                            return null;
                        }
                        SMap changed = set(stage, path, i + 2, value, pos, diagnostics, before);
                        if (changed == null) return null;
                        stages.set(s, changed);
                        return map.with(key, map.keyPos(key), new SList(stages, list.pos()));
                    }
                }
            }
            diagnostics.error(pos, "no stage '" + path[i + 1] + "'" + Suggest.didYouMean(path[i + 1], names)
                    + "; stages: " + String.join(", ", names));
            return null;
        }
        SMap childMap;
        if (child == null) {
            childMap = new SMap(List.of(), pos);
        } else if (child instanceof SMap m) {
            childMap = m;
        } else {
            diagnostics.error(pos, String.join(".", java.util.Arrays.copyOf(path, i + 1)) + " is " + child.describe()
                    + ", not a mapping with keys");
            return null;
        }
        SMap changed = set(childMap, path, i + 1, value, pos, diagnostics, before);
        // A key the spec does not have is reported at the option that added it, not at the spec.
        return changed == null ? null : map.with(key, map.has(key) ? map.keyPos(key) : pos, changed);
    }

    /** Positions of the parsed value become columns in the whole option text. */
    private static SNode relocate(SNode node, String origin, int shift) {
        SourcePos p = new SourcePos(origin, 1, node.pos().column() + shift + "--set ".length());
        if (node instanceof SScalar s) return new SScalar(s.value(), s.plain(), p);
        if (node instanceof SList l) return new SList(l.items().stream().map(n -> relocate(n, origin, shift)).toList(), p);
        SMap m = (SMap) node;
        List<SMap.Entry> entries = new ArrayList<>();
        for (SMap.Entry e : m.entries()) entries.add(new SMap.Entry(e.key(), p, relocate(e.value(), origin, shift)));
        return new SMap(entries, p);
    }
}
