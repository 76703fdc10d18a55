package dev.specc.load;

import dev.specc.diag.SourcePos;
import java.util.List;

public record SList(List<SNode> items, SourcePos pos) implements SNode {

    public SList {
        items = List.copyOf(items);
    }

    public SNode get(int i) {
        return items.get(i);
    }

    public int size() {
        return items.size();
    }

    @Override
    public String describe() {
        return "a list";
    }
}
