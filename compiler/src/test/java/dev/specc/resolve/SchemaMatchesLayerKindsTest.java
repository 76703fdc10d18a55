package dev.specc.resolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.specc.diag.Diagnostics;
import dev.specc.diag.SourcePos;
import dev.specc.ir.LayerSpec;
import dev.specc.load.SMap;
import dev.specc.load.SScalar;
import dev.specc.load.SchemaValidator;
import dev.specc.lower.LoweringRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The JSON Schema and the compiler agree on every layer kind: the schema's {@code kind_X}
 * definition declares exactly the arguments {@link LayerKinds#arguments} reads (keys, value types,
 * required keys, choices), the item keys of {@link LayerArgs#ITEM_KEYS}, and every kind builds a
 * record that {@link LoweringRegistry} lowers. Same for the keys of block calls and stages.
 */
class SchemaMatchesLayerKindsTest {
    private static JsonNode defs;

    @BeforeAll
    static void readSchema() throws IOException {
        try (InputStream in = SchemaValidator.class.getClassLoader().getResourceAsStream(SchemaValidator.RESOURCE)) {
            assertNotNull(in, SchemaValidator.RESOURCE);
            defs = new ObjectMapper().readTree(in).get("$defs");
        }
    }

    static List<String> kinds() {
        return LayerKinds.names();
    }

    private static Set<String> keys(JsonNode object) {
        Set<String> keys = new TreeSet<>();
        object.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> values = new TreeSet<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    @Test
    void theKindEnumListsExactlyTheCompilersKinds() {
        JsonNode kindEnum = defs.at("/layer/properties/kind/anyOf/0/enum");
        assertEquals(new TreeSet<>(LayerKinds.names()), strings(kindEnum));
    }

    @Test
    void everyKindHasOneDefinitionAndNoDefinitionLacksAKind() {
        Map<String, String> refByKind = new LinkedHashMap<>();
        for (JsonNode branch : defs.at("/layer/allOf")) {
            refByKind.put(branch.at("/if/properties/kind/const").asText(), branch.at("/then/$ref").asText());
        }
        assertEquals(new TreeSet<>(LayerKinds.names()), new TreeSet<>(refByKind.keySet()));
        refByKind.forEach((kind, ref) -> assertEquals("#/$defs/kind_" + kind, ref, kind));
        Set<String> definitions = new TreeSet<>();
        defs.fieldNames().forEachRemaining(name -> {
            if (name.startsWith("kind_")) definitions.add(name.substring("kind_".length()));
        });
        assertEquals(new TreeSet<>(LayerKinds.names()), definitions);
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void theSchemaDeclaresWhatTheCompilerReads(String kind) {
        JsonNode definition = defs.get("kind_" + kind);
        assertNotNull(definition, "kind_" + kind);
        assertFalse(definition.get("additionalProperties").asBoolean(true), kind + ": unknown keys must be refused");
        Map<String, Argument> arguments = LayerKinds.arguments(kind);

        Set<String> expectedKeys = new TreeSet<>(LayerArgs.ITEM_KEYS);
        expectedKeys.addAll(arguments.keySet());
        assertEquals(expectedKeys, keys(definition.get("properties")), kind + ": keys");

        Set<String> required = new TreeSet<>();
        arguments.values().stream().filter(Argument::required).forEach(a -> required.add(a.key()));
        assertEquals(required, strings(definition.get("required")), kind + ": required keys");

        for (Argument a : arguments.values()) {
            JsonNode property = definition.get("properties").get(a.key());
            if (a.type() == Argument.Type.CHOICE) {
                assertEquals(new TreeSet<>(a.choices()), strings(property.at("/anyOf/0/enum")), kind + "." + a.key() + ": choices");
                assertEquals("#/$defs/expression", property.at("/anyOf/1/$ref").asText(), kind + "." + a.key());
            } else {
                assertEquals("#/$defs/" + schemaType(a.type()), property.path("$ref").asText(), kind + "." + a.key() + ": type");
            }
        }
    }

    private static String schemaType(Argument.Type type) {
        return switch (type) {
            case INT -> "int";
            case NUMBER -> "number";
            case BOOL -> "bool";
            case PAIR -> "pair";
            case PADDING -> "padding";
            case CHOICE -> throw new IllegalArgumentException("a choice is an enum, not a $ref");
        };
    }

    @Test
    void blockCallsAndStagesTakeTheKeysTheResolverKnows() {
        assertEquals(new TreeSet<>(Resolver.CALL_KEYS), keys(defs.at("/block_call/properties")));
        assertEquals(new TreeSet<>(Resolver.STAGE_KEYS), keys(defs.at("/stage/properties")));
        assertEquals(new TreeSet<>(List.of("name", "block")), strings(defs.at("/stage/required")));
    }

    /** Each kind builds a record from its required arguments, and each record has a lowering. */
    @Test
    void everyKindBuildsALayerRecordThatLowers() {
        LoweringRegistry registry = LoweringRegistry.standard();
        Set<Class<?>> built = new HashSet<>();
        for (String kind : LayerKinds.names()) {
            LayerSpec layer = build(kind);
            assertNotNull(registry.lowering(layer.getClass()), kind);
            built.add(layer.getClass());
        }
        assertEquals(Set.of(LayerSpec.class.getPermittedSubclasses()), built, "every layer record is some kind's");
    }

    private static LayerSpec build(String kind) {
        SourcePos pos = SourcePos.ofFile(kind);
        List<SMap.Entry> entries = new ArrayList<>();
        for (Argument a : LayerKinds.arguments(kind).values()) {
            if (!a.required()) continue;
            Object value = switch (a.type()) {
                case INT, PAIR, PADDING -> 1L;
                case NUMBER -> 0.5;
                case BOOL -> true;
                case CHOICE -> a.choices().get(0);
            };
            entries.add(new SMap.Entry(a.key(), pos, new SScalar(value, true, pos)));
        }
        Diagnostics diagnostics = new Diagnostics();
        LayerArgs args = new LayerArgs(new SMap(entries, pos), kind, new Values(diagnostics), Map.of(), diagnostics);
        LayerSpec layer = LayerKinds.table().get(kind).apply(args);
        args.finish();
        assertTrue(args.ok() && !diagnostics.hasErrors(), () -> kind + ": " + diagnostics.sorted());
        return layer;
    }
}
