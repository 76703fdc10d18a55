package dev.specc.load;

import dev.specc.diag.SourcePos;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A mapping with string keys in document order; each key keeps its own position. */
public final class SMap implements SNode {

    public record Entry(String key, SourcePos keyPos, SNode value) {
    }

    private final LinkedHashMap<String, Entry> entries;
    private final SourcePos pos;

    public SMap(List<Entry> entries, SourcePos pos) {
        this.entries = new LinkedHashMap<>();
        for (Entry e : entries) this.entries.put(e.key(), e);
        this.pos = pos;
    }

    @Override
    public SourcePos pos() {
        return pos;
    }

    public SNode get(String key) {
        Entry e = entries.get(key);
        return e == null ? null : e.value();
    }

    public boolean has(String key) {
        return entries.containsKey(key);
    }

    /** The position of the key itself, or of the mapping when the key is absent. */
    public SourcePos keyPos(String key) {
        Entry e = entries.get(key);
        return e == null ? pos : e.keyPos();
    }

    public Set<String> keys() {
        return Collections.unmodifiableSet(entries.keySet());
    }

    public List<Entry> entries() {
        return List.copyOf(entries.values());
    }

    /** A copy with {@code key} set (appended if new, replaced in place if present). */
    public SMap with(String key, SourcePos keyPos, SNode value) {
        List<Entry> list = new ArrayList<>(entries.values());
        Entry fresh = new Entry(key, keyPos, value);
        boolean replaced = false;
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).key().equals(key)) {
                list.set(i, fresh);
                replaced = true;
            }
        }
        if (!replaced) list.add(fresh);
        return new SMap(list, pos);
    }

    /** A copy without {@code key}. */
    public SMap without(String key) {
        List<Entry> list = new ArrayList<>(entries.values());
        list.removeIf(e -> e.key().equals(key));
        return new SMap(list, pos);
    }

    public Map<String, Entry> asMap() {
        return Collections.unmodifiableMap(entries);
    }

    @Override
    public String describe() {
        return "a mapping";
    }
}
