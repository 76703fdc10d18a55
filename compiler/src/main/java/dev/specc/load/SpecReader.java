package dev.specc.load;

import dev.specc.diag.Diagnostics;
import dev.specc.diag.SourcePos;
import dev.specc.diag.Suggest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a spec and everything it extends into one tree. A derived spec is merged over its base:
 * mappings merge key by key, lists and scalars replace, a null value removes the key, and
 * {@code stages} written as a mapping of stage names changes just those stages of the base.
 */
public final class SpecReader {
    private final Diagnostics diagnostics;

    public SpecReader(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
    }

    public SMap read(Path file) {
        return read(file, new ArrayList<>(), null);
    }

    private SMap read(Path file, List<Path> chain, SourcePos extendsPos) {
        Path canonical = canonical(file);
        if (chain.contains(canonical)) {
            List<String> cycle = new ArrayList<>();
            for (Path p : chain.subList(chain.indexOf(canonical), chain.size())) cycle.add(p.getFileName().toString());
            cycle.add(canonical.getFileName().toString());
            diagnostics.error(extendsPos, "extends cycle: " + String.join(" -> ", cycle));
            return null;
        }
        chain.add(canonical);
        SNode root = new YamlLoader(diagnostics).load(file);
        if (root == null) return null;
        if (!(root instanceof SMap map)) {
            diagnostics.error(root.pos(), "a spec is a YAML mapping (name:, params:, stages: ...), got " + root.describe());
            return null;
        }
        SNode parent = map.get("extends");
        if (parent == null) return map;
        if (!(parent instanceof SScalar s) || !(s.value() instanceof String relative)) {
            diagnostics.error(parent.pos(), "extends: expected the path of a spec file, got " + parent.describe());
            return null;
        }
        Path baseFile = file.toAbsolutePath().getParent().resolve(relative).normalize();
        Path shown = file.getParent() == null ? Path.of(relative) : file.getParent().resolve(relative).normalize();
        if (!baseFile.toFile().isFile()) {
            diagnostics.error(parent.pos(), "extends: no such file " + shown);
            return null;
        }
        SMap base = read(shown, chain, parent.pos());
        if (base == null) return null;
        return merge(base.without("name").without("extends"), map.without("extends"));
    }

    private static Path canonical(Path file) {
        try {
            return file.toRealPath();
        } catch (IOException e) {
            return file.toAbsolutePath().normalize();
        }
    }

    private SMap merge(SMap base, SMap derived) {
        SMap result = base;
        for (SMap.Entry e : derived.entries()) {
            SNode old = result.get(e.key());
            SNode value = e.value();
            if (value instanceof SScalar s && s.value() == null) {
                result = result.without(e.key());
            } else if (e.key().equals("stages") && value instanceof SMap byName && old instanceof SList list) {
                result = result.with(e.key(), e.keyPos(), mergeStages(list, byName));
            } else if (value instanceof SMap m && old instanceof SMap o) {
                result = result.with(e.key(), e.keyPos(), merge(o, m));
            } else {
                result = result.with(e.key(), e.keyPos(), value);
            }
        }
        return result;
    }

    private SList mergeStages(SList base, SMap byName) {
        List<SNode> stages = new ArrayList<>(base.items());
        List<String> names = new ArrayList<>();
        for (SNode s : stages) {
            if (s instanceof SMap m && m.get("name") instanceof SScalar n) names.add(String.valueOf(n.value()));
            else names.add("");
        }
        for (SMap.Entry e : byName.entries()) {
            int index = names.indexOf(e.key());
            if (index < 0) {
                diagnostics.error(e.keyPos(), "the base spec has no stage '" + e.key() + "'" + Suggest.didYouMean(e.key(), names)
                        + "; its stages: " + String.join(", ", names));
            } else if (!(e.value() instanceof SMap change)) {
                diagnostics.error(e.value().pos(), "stage " + e.key() + ": expected a mapping of the values to change");
            } else {
                stages.set(index, merge((SMap) stages.get(index), change));
            }
        }
        return new SList(stages, base.pos());
    }
}
