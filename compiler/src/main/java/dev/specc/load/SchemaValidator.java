package dev.specc.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.specc.diag.Diagnostics;
import dev.specc.diag.SourcePos;
import dev.specc.diag.Suggest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a spec tree against the JSON Schema of the language (the resource
 * {@code specc/spec.schema.json} of spec-schema) and reports each violation at the YAML node at
 * fault, unknown keys with a "did you mean".
 */
public final class SchemaValidator {
    public static final String RESOURCE = "specc/spec.schema.json";
    private static volatile SchemaValidator shared;

    private final JsonSchema schema;
    private final JsonNode schemaTree;

    private SchemaValidator() {
        try (InputStream in = SchemaValidator.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("missing resource " + RESOURCE);
            schemaTree = new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().pathType(PathType.JSON_POINTER).build();
        schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schemaTree, config);
    }

    /** The compiled schema, built once per process. */
    public static SchemaValidator shared() {
        SchemaValidator s = shared;
        if (s == null) {
            synchronized (SchemaValidator.class) {
                if (shared == null) shared = new SchemaValidator();
                s = shared;
            }
        }
        return s;
    }

    /**
     * Reports every violation; returns the top-level keys whose values are invalid ("" for the
     * spec as a whole), so that the sections without problems can still be checked further.
     * An unknown top-level key is reported but makes no section invalid: nothing reads it.
     */
    public Set<String> validate(SMap tree, Diagnostics diagnostics) {
        Map<String, List<ValidationMessage>> byLocation = new LinkedHashMap<>();
        Set<String> invalidSections = new LinkedHashSet<>();
        for (ValidationMessage m : schema.validate(toJson(tree))) {
            byLocation.computeIfAbsent(m.getInstanceLocation().toString(), k -> new ArrayList<>()).add(m);
            JsonNodePath at = m.getInstanceLocation();
            if (at.getNameCount() > 0) invalidSections.add(String.valueOf(at.getElement(0)));
            else if (!"additionalProperties".equals(m.getType())) invalidSections.add("");
        }
        for (List<ValidationMessage> group : byLocation.values()) {
            List<ValidationMessage> direct = group.stream().filter(m -> !fromAnyOf(m) && !"anyOf".equals(m.getType())).toList();
            if (!direct.isEmpty()) {
                direct.forEach(m -> report(tree, m, diagnostics));
                continue;
            }
            List<ValidationMessage> branches = group.stream().filter(SchemaValidator::fromAnyOf).toList();
            if (branches.isEmpty()) {
                group.forEach(m -> report(tree, m, diagnostics));
                continue;
            }
            // Every alternative of an anyOf failed here: say once what was expected.
            ValidationMessage choice = branches.stream().filter(m -> "enum".equals(m.getType()) || "const".equals(m.getType()))
                    .findFirst().orElse(null);
            if (choice != null) {
                report(tree, choice, diagnostics);
            } else if (branches.stream().allMatch(m -> "type".equals(m.getType()))) {
                reportTypes(tree, branches, diagnostics);
            } else {
                report(tree, branches.stream().filter(m -> !"type".equals(m.getType())).findFirst().orElseThrow(), diagnostics);
            }
        }
        return invalidSections;
    }

    private static boolean fromAnyOf(ValidationMessage m) {
        return m.getEvaluationPath().toString().contains("/anyOf/");
    }

    private void reportTypes(SMap tree, List<ValidationMessage> branches, Diagnostics diagnostics) {
        Located at = locate(tree, branches.get(0).getInstanceLocation());
        Set<String> expected = new LinkedHashSet<>();
        for (ValidationMessage m : branches) {
            Object[] args = m.getArguments();
            String type = args != null && args.length > 1 ? String.valueOf(args[1]) : "?";
            expected.add(switch (type) {
                case "string" -> "an expression";
                case "integer" -> "an integer";
                case "array" -> "a list";
                case "object" -> "a mapping";
                default -> "a " + type;
            });
        }
        diagnostics.error(at.pos(), at.where() + "expected " + String.join(" or ", expected) + ", got " + at.node().describe());
    }

    private record Located(SNode node, SourcePos pos, String where) {
    }

    private static Located locate(SMap tree, JsonNodePath path) {
        SNode node = tree;
        SourcePos pos = tree.pos();
        for (int i = 0; i < path.getNameCount(); i++) {
            Object element = path.getElement(i);
            if (node instanceof SMap map && map.has(String.valueOf(element))) {
                node = map.get(String.valueOf(element));
                pos = node.pos();
            } else if (node instanceof SList list && element instanceof Integer index && index < list.size()) {
                node = list.get(index);
                pos = node.pos();
            }
        }
        return new Located(node, pos, path.getNameCount() == 0 ? "" : pointerToKeys(path) + ": ");
    }

    private void report(SMap tree, ValidationMessage m, Diagnostics diagnostics) {
        JsonNodePath path = m.getInstanceLocation();
        Located at = locate(tree, path);
        SNode node = at.node();
        SourcePos pos = at.pos();
        String where = at.where();
        String type = m.getType();
        if ("additionalProperties".equals(type) && node instanceof SMap map && m.getProperty() != null) {
            String key = m.getProperty();
            List<String> allowed = allowedKeys(m);
            String kind = map.get("kind") instanceof SScalar s && s.value() instanceof String k ? k : null;
            String owner = kind != null ? kind : path.getNameCount() == 0 ? "a spec" : pointerToKeys(path);
            diagnostics.error(map.keyPos(key), "unknown key '" + key + "' in " + owner + Suggest.didYouMean(key, allowed)
                    + (allowed.isEmpty() ? "" : "; allowed: " + String.join(", ", allowed)));
            return;
        }
        if ("enum".equals(type) || "const".equals(type)) {
            String value = node instanceof SScalar s ? String.valueOf(s.value()) : node.describe();
            List<String> options = enumOptions(m);
            diagnostics.error(pos, where + "unknown value '" + value + "'" + Suggest.didYouMean(value, options)
                    + (options.isEmpty() ? "" : "; expected one of " + String.join(", ", options)));
            return;
        }
        String text = m.getMessage();
        String prefix = path.toString() + ": ";
        if (text.startsWith(prefix)) text = text.substring(prefix.length());
        diagnostics.error(pos, where + text);
    }

    /** "/stages/0/at" -> "stages[0].at", the way users read a path in a spec. */
    private static String pointerToKeys(JsonNodePath path) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < path.getNameCount(); i++) {
            Object e = path.getElement(i);
            if (e instanceof Integer) sb.append('[').append(e).append(']');
            else sb.append(sb.length() == 0 ? "" : ".").append(e);
        }
        return sb.toString();
    }

    private List<String> allowedKeys(ValidationMessage m) {
        JsonNode owner = schemaAt(m.getSchemaLocation().getFragment(), 1);
        List<String> keys = new ArrayList<>();
        if (owner != null && owner.get("properties") != null) owner.get("properties").fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    private List<String> enumOptions(ValidationMessage m) {
        JsonNode n = m.getSchemaNode();
        List<String> options = new ArrayList<>();
        if (n != null && n.isArray()) n.forEach(v -> options.add(v.asText()));
        else if (n != null && n.isValueNode()) options.add(n.asText());
        return options;
    }

    /** The schema node at a fragment path, {@code up} levels above its end. */
    private JsonNode schemaAt(JsonNodePath fragment, int up) {
        JsonNode n = schemaTree;
        for (int i = 0; i < fragment.getNameCount() - up && n != null; i++) {
            Object e = fragment.getElement(i);
            n = e instanceof Integer index ? n.get(index) : n.get(String.valueOf(e));
        }
        return n;
    }

    /** The tree as JSON (document order), e.g. to record the resolved spec of a run. */
    public static JsonNode toJson(SNode node) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (node instanceof SMap map) {
            ObjectNode o = f.objectNode();
            for (SMap.Entry e : map.entries()) o.set(e.key(), toJson(e.value()));
            return o;
        }
        if (node instanceof SList list) {
            ArrayNode a = f.arrayNode();
            for (SNode item : list.items()) a.add(toJson(item));
            return a;
        }
        Object v = ((SScalar) node).value();
        if (v == null) return f.nullNode();
        if (v instanceof Long l) return f.numberNode(l);
        if (v instanceof Double d) return f.numberNode(d);
        if (v instanceof Boolean b) return f.booleanNode(b);
        return f.textNode((String) v);
    }

}
