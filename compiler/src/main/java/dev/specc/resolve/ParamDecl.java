package dev.specc.resolve;

import dev.specc.diag.Diagnostics;
import dev.specc.load.SList;
import dev.specc.load.SMap;
import dev.specc.load.SNode;
import dev.specc.load.SScalar;
import java.util.ArrayList;
import java.util.List;

/**
 * A block parameter: {@code filters: int} or {@code stride: {type: int, default: 1, choices: [1, 2]}}.
 * The default is an unevaluated node, evaluated per use with the earlier parameters in scope.
 */
record ParamDecl(ValueType type, SNode defaultValue, List<Object> choices) {

    static ParamDecl read(SMap.Entry entry, Values values, Diagnostics diagnostics) {
        SNode node = entry.value();
        SNode typeNode = node instanceof SMap map ? map.get("type") : node;
        if (!(typeNode instanceof SScalar s) || !(s.value() instanceof String typeName) || ValueType.parse(typeName) == null) {
            diagnostics.error(typeNode == null ? node.pos() : typeNode.pos(), "parameter '" + entry.key()
                    + "': the type must be one of int, float, bool, string, any");
            return null;
        }
        ValueType type = ValueType.parse(typeName);
        if (!(node instanceof SMap map)) return new ParamDecl(type, null, null);
        List<Object> choices = null;
        if (map.get("choices") instanceof SList list) {
            choices = new ArrayList<>();
            for (SNode choice : list.items()) {
                Object v = values.read(choice, type, java.util.Map.of(), "parameter '" + entry.key() + "' choice");
                if (v == null) return null;
                choices.add(v);
            }
        }
        return new ParamDecl(type, map.get("default"), choices);
    }
}
