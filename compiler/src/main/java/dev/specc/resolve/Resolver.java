package dev.specc.resolve;

import dev.specc.diag.Diagnostics;
import dev.specc.diag.SourcePos;
import dev.specc.diag.Suggest;
import dev.specc.ir.LayerSpec;
import dev.specc.ir.Model;
import dev.specc.ir.Node;
import dev.specc.ir.TensorShape;
import dev.specc.load.SList;
import dev.specc.load.SMap;
import dev.specc.load.SNode;
import dev.specc.load.SScalar;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns a validated spec tree into a {@link Model}: evaluates hyperparameters, expands stages
 * into blocks and blocks into layers, wires inputs by id, and gives every layer its unique
 * Keras-style name (stage_blockN_layer). Every problem is reported; nothing stops at the first.
 */
public final class Resolver {
    /** Keys of a stage that are not arguments of its block. */
    static final Set<String> STAGE_KEYS = Set.of("name", "block", "repeat", "at");
    /** Keys of a block call that are not arguments of the block. */
    static final Set<String> CALL_KEYS = Set.of("block", "name", "id", "from", "if", "else", "doc");

    private final Diagnostics diagnostics;
    private final Values values;
    private final Map<String, Object> globals = new LinkedHashMap<>();
    private final Map<String, SMap> blocks = new LinkedHashMap<>();
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, SourcePos> names = new HashMap<>();
    private final List<Model.Stage> stages = new ArrayList<>();

    /** The evaluated top-level hyperparameters, for the train: and data: sections. */
    public Map<String, Object> globals() {
        return java.util.Collections.unmodifiableMap(globals);
    }

    public Resolver(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
        this.values = new Values(diagnostics);
    }

    /** Local ids visible to items of one list; a group's list sees its parent's too. */
    private static final class Ids {
        final Ids parent;
        final Map<String, String> local = new LinkedHashMap<>();

        Ids(Ids parent) {
            this.parent = parent;
        }

        String find(String id) {
            String found = local.get(id);
            return found != null || parent == null ? found : parent.find(id);
        }

        List<String> all() {
            List<String> list = new ArrayList<>(local.keySet());
            if (parent != null) list.addAll(parent.all());
            return list;
        }
    }

    /** Where items are being expanded: names in scope, layer name prefix, message context. */
    private record Scope(Map<String, Object> vars, String prefix, String context, String stage, List<String> blockStack, Ids ids) {
        Scope child(Ids newIds) {
            return new Scope(vars, prefix, context, stage, blockStack, newIds);
        }
    }

    /** Evaluates the top-level params: alone, for train: and data: when the network cannot be resolved. */
    public Map<String, Object> evaluateParams(SMap root) {
        globals.clear();
        if (root.get("params") instanceof SMap params) {
            for (SMap.Entry e : params.entries()) {
                Object v = values.read(e.value(), ValueType.ANY, globals, "params." + e.key());
                if (v != null) globals.put(e.key(), v);
            }
        }
        return globals();
    }

    /**
     * Resolves a spec. {@code inputShape}, when not null, replaces the spec's input shape (for
     * shape-agnostic networks). Returns null when any error was reported.
     */
    public Model resolve(SMap root, String file, int[] inputShape) {
        String name = root.has("name") ? (String) values.read(root.get("name"), ValueType.STRING, Map.of(), "name") : null;
        if (name == null) name = stem(file);

        evaluateParams(root);
        if (root.get("blocks") instanceof SMap defs) {
            for (SMap.Entry e : defs.entries()) {
                if (e.value() instanceof SMap def) blocks.put(e.key(), def);
            }
        }
        TensorShape shape = inputShape != null ? TensorShape.of(inputShape) : readInputShape(root);

        Ids top = new Ids(null);
        top.local.put("input", Model.INPUT);
        Scope scope = new Scope(globals, "", "", "", List.of(), top);
        String current = Model.INPUT;
        if (root.get("stem") instanceof SList stem) current = expandList(stem, scope, current);
        if (root.get("stages") instanceof SList list) {
            Set<String> stageNames = new java.util.HashSet<>();
            for (SNode s : list.items()) {
                if (s instanceof SMap stage) current = expandStage(stage, current, stageNames);
            }
        }
        if (root.get("head") instanceof SList head) current = expandList(head, scope, current);
        if (nodes.isEmpty() && !diagnostics.hasErrors()) {
            diagnostics.error(root.pos(), "the network has no layers: give at least one of stem, stages or head");
        }
        if (diagnostics.hasErrors() || shape == null) return null;
        return new Model(name, file, shape, List.copyOf(nodes), List.copyOf(stages));
    }

    private static String stem(String file) {
        String base = file.replaceAll(".*[/\\\\]", "");
        int dot = base.lastIndexOf('.');
        return dot > 0 ? base.substring(0, dot) : base;
    }

    private TensorShape readInputShape(SMap root) {
        if (!(root.get("input") instanceof SMap input) || !(input.get("shape") instanceof SList list)) {
            diagnostics.error(root.pos(), "missing input shape: give 'input: {shape: [height, width, channels]}'");
            return null;
        }
        if (list.size() != 3 && list.size() != 1) {
            diagnostics.error(list.pos(), "input shape: expected [height, width, channels] or [features], got "
                    + list.size() + " dimensions");
            return null;
        }
        int[] dims = new int[list.size()];
        for (int i = 0; i < dims.length; i++) {
            Object v = values.read(list.get(i), ValueType.INT, globals, "input shape");
            if (v == null) return null;
            if ((Long) v < 1 || (Long) v > 1 << 20) {
                diagnostics.error(list.get(i).pos(), "input shape: dimension must be between 1 and 1048576, got " + v);
                return null;
            }
            dims[i] = (int) (long) (Long) v;
        }
        return TensorShape.of(dims);
    }

    // ---- stages

    private String expandStage(SMap stage, String input, Set<String> stageNames) {
        String stageName = (String) values.read(stage.get("name"), ValueType.STRING, globals, "stage name");
        if (stageName == null) return input;
        if (!stageNames.add(stageName)) {
            diagnostics.error(stage.get("name").pos(), "duplicate stage name '" + stageName + "'");
            return input;
        }
        String blockName = (String) values.read(stage.get("block"), ValueType.STRING, globals, "stage " + stageName + " block");
        Object repeatValue = stage.has("repeat") ? values.read(stage.get("repeat"), ValueType.INT, globals, "stage " + stageName + " repeat") : 1L;
        if (blockName == null || repeatValue == null) return input;
        SMap block = findBlock(blockName, stage.get("block").pos());
        int repeat = (int) (long) (Long) repeatValue;
        if (repeat < 0) {
            diagnostics.error(stage.get("repeat").pos(), "stage " + stageName + ": repeat must be >= 0, got " + repeat);
            return input;
        }
        Map<String, SMap> at = overrides(stage, stageName, repeat);
        if (block == null || at == null) return input;

        String current = input;
        for (int i = 1; i <= repeat; i++) {
            Map<String, SMap.Entry> args = new LinkedHashMap<>();
            for (SMap.Entry e : stage.entries()) {
                if (!STAGE_KEYS.contains(e.key())) args.put(e.key(), e);
            }
            for (String key : List.of("first", "last", Integer.toString(i), Integer.toString(i - repeat - 1))) {
                boolean applies = key.equals("first") ? i == 1 : !key.equals("last") || i == repeat;
                if (applies && at.containsKey(key)) {
                    for (SMap.Entry e : at.get(key).entries()) args.put(e.key(), e);
                }
            }
            Map<String, Object> vars = new LinkedHashMap<>(globals);
            vars.put("index", (long) i);
            vars.put("repeat", (long) repeat);
            String context = "stage " + stageName + ", block " + i;
            Scope caller = new Scope(vars, "", context, stageName, List.of(), new Ids(null));
            String output = expandBlock(blockName, block, args.values(), caller, stageName + "_block" + i, context, current,
                    stage.pos());
            if (output != null) current = output;
        }
        if (repeat > 0) stages.add(new Model.Stage(stageName, repeat, current));
        return current;
    }

    /** The stage's 'at' overrides by position key, or null after reporting a bad one. */
    private Map<String, SMap> overrides(SMap stage, String stageName, int repeat) {
        Map<String, SMap> at = new LinkedHashMap<>();
        if (!(stage.get("at") instanceof SMap map)) return at;
        boolean ok = true;
        for (SMap.Entry e : map.entries()) {
            String key = e.key();
            boolean valid = key.equals("first") || key.equals("last");
            if (!valid && key.matches("-?[0-9]+")) {
                int index = Integer.parseInt(key);
                valid = index != 0 && Math.abs(index) <= repeat;
                if (!valid) {
                    diagnostics.error(e.keyPos(), "stage " + stageName + ": block " + key + " does not exist; the stage has "
                            + repeat + " blocks (use 1.." + repeat + ", -1..-" + repeat + ", first or last)");
                    ok = false;
                    continue;
                }
            }
            if (!valid) {
                diagnostics.error(e.keyPos(), "stage " + stageName + ": 'at' keys are first, last or a block number, got '" + key + "'");
                ok = false;
            } else if (e.value() instanceof SMap values) {
                at.put(key, values);
            }
        }
        return ok ? at : null;
    }

    // ---- blocks

    private SMap findBlock(String blockName, SourcePos pos) {
        SMap block = blocks.get(blockName);
        if (block == null) {
            diagnostics.error(pos, "unknown block '" + blockName + "'" + Suggest.didYouMean(blockName, blocks.keySet())
                    + (blocks.isEmpty() ? "; this spec defines no blocks" : "; defined blocks: " + String.join(", ", blocks.keySet())));
        }
        return block;
    }

    /**
     * Expands one use of a block: binds its parameters from {@code args} (evaluated in the
     * caller's scope) and expands its layers under {@code prefix}. Returns the output node name,
     * or null after reporting.
     */
    private String expandBlock(String blockName, SMap block, Iterable<SMap.Entry> args, Scope caller, String prefix,
                               String context, String input, SourcePos callPos) {
        if (caller.blockStack().contains(blockName)) {
            List<String> cycle = new ArrayList<>(caller.blockStack());
            cycle.add(blockName);
            diagnostics.error(callPos, "block cycle: " + String.join(" -> ", cycle));
            return null;
        }
        Map<String, Object> vars = bindParams(blockName, block, args, caller.vars(), callPos);
        if (vars == null) return null;
        List<String> stack = new ArrayList<>(caller.blockStack());
        stack.add(blockName);
        Ids ids = new Ids(null);
        ids.local.put("input", input);
        Scope scope = new Scope(vars, prefix, context, caller.stage(), List.copyOf(stack), ids);
        if (!(block.get("layers") instanceof SList layers) || layers.size() == 0) {
            diagnostics.error(block.pos(), "block '" + blockName + "' has no layers");
            return null;
        }
        return expandList(layers, scope, input);
    }

    private Map<String, Object> bindParams(String blockName, SMap block, Iterable<SMap.Entry> args,
                                           Map<String, Object> callerVars, SourcePos callPos) {
        Map<String, SNode> given = new LinkedHashMap<>();
        Map<String, SourcePos> keyPos = new LinkedHashMap<>();
        for (SMap.Entry e : args) {
            given.put(e.key(), e.value());
            keyPos.put(e.key(), e.keyPos());
        }
        SMap declared = block.get("params") instanceof SMap p ? p : new SMap(List.of(), block.pos());
        boolean ok = true;
        for (String key : given.keySet()) {
            if (!declared.has(key)) {
                diagnostics.error(keyPos.get(key), "block '" + blockName + "' has no parameter '" + key + "'"
                        + Suggest.didYouMean(key, declared.keys())
                        + (declared.keys().isEmpty() ? "; it takes none" : "; it takes: " + String.join(", ", declared.keys())));
                ok = false;
            }
        }
        Map<String, Object> vars = new LinkedHashMap<>(globals);
        for (SMap.Entry decl : declared.entries()) {
            ParamDecl param = ParamDecl.read(decl, values, diagnostics);
            if (param == null) {
                ok = false;
                continue;
            }
            String what = "block '" + blockName + "' parameter '" + decl.key() + "'";
            Object value;
            if (given.containsKey(decl.key())) {
                value = values.read(given.get(decl.key()), param.type(), callerVars, what);
            } else if (param.defaultValue() != null) {
                value = values.read(param.defaultValue(), param.type(), vars, what + " (default)");
            } else {
                diagnostics.error(callPos, "block '" + blockName + "' needs parameter '" + decl.key() + "' (" + param.type().spelling() + ")");
                ok = false;
                continue;
            }
            if (value == null) {
                ok = false;
                continue;
            }
            if (param.choices() != null && !param.choices().contains(value)) {
                SNode at = given.getOrDefault(decl.key(), param.defaultValue());
                diagnostics.error(at.pos(), what + ": '" + value + "' is not one of " + param.choices()
                        + Suggest.didYouMean(String.valueOf(value), param.choices().stream().map(String::valueOf).toList()));
                ok = false;
                continue;
            }
            vars.put(decl.key(), value);
        }
        return ok ? vars : null;
    }

    // ---- items

    private String expandList(SList items, Scope scope, String input) {
        String previous = input;
        for (SNode item : items.items()) {
            if (item instanceof SMap map) previous = expandItem(map, scope, previous);
        }
        return previous;
    }

    private String expandItem(SMap item, Scope scope, String previous) {
        List<String> inputs = item.has("from") ? inputsOf(item.get("from"), scope) : List.of(previous);
        if (inputs == null) return previous;
        String output;
        if (item.has("if")) {
            Object condition = values.read(item.get("if"), ValueType.BOOL, scope.vars(), "if");
            if (condition == null) return previous;
            if (!(Boolean) condition) {
                List<String> passed = item.has("else") ? inputsOf(item.get("else"), scope) : inputs;
                if (passed == null) return previous;
                bindId(item, scope, passed.get(0));
                return passed.get(0);
            }
        }
        if (item.has("kind")) {
            output = layer(item, scope, inputs);
        } else if (item.has("block")) {
            output = blockCall(item, scope, inputs);
        } else if (item.get("layers") instanceof SList layers) {
            if (inputs.size() != 1) {
                diagnostics.error(item.get("from").pos(), "a group of layers takes one input, got " + inputs.size());
                return previous;
            }
            output = expandList(layers, scope.child(new Ids(scope.ids())), inputs.get(0));
        } else {
            diagnostics.error(item.pos(), "an item needs one of 'kind' (a layer), 'block' (a block) or 'layers' (a group)");
            return previous;
        }
        if (output == null) return previous;
        bindId(item, scope, output);
        return output;
    }

    private void bindId(SMap item, Scope scope, String nodeName) {
        if (!item.has("id")) return;
        Object id = values.read(item.get("id"), ValueType.STRING, scope.vars(), "id");
        if (id == null) return;
        if (id.equals("input")) {
            diagnostics.error(item.get("id").pos(), "'input' is reserved for the block's input; choose another id");
            return;
        }
        scope.ids().local.put((String) id, nodeName);
    }

    private List<String> inputsOf(SNode from, Scope scope) {
        List<SNode> refs = from instanceof SList list ? list.items() : List.of(from);
        if (refs.isEmpty()) {
            diagnostics.error(from.pos(), "'from' lists no inputs");
            return null;
        }
        List<String> inputs = new ArrayList<>();
        for (SNode ref : refs) {
            Object id = values.read(ref, ValueType.STRING, scope.vars(), "from");
            if (id == null) return null;
            String node = scope.ids().find((String) id);
            if (node == null) {
                List<String> known = scope.ids().all();
                diagnostics.error(ref.pos(), "unknown id '" + id + "'" + Suggest.didYouMean((String) id, known)
                        + "; ids defined before this item: " + String.join(", ", known));
                return null;
            }
            inputs.add(node);
        }
        return inputs;
    }

    private String layer(SMap item, Scope scope, List<String> inputs) {
        Object kindValue = values.read(item.get("kind"), ValueType.STRING, scope.vars(), "kind");
        if (kindValue == null) return null;
        String kind = (String) kindValue;
        Function<LayerArgs, LayerSpec> parser = LayerKinds.table().get(kind);
        if (parser == null) {
            diagnostics.error(item.get("kind").pos(), "unknown layer kind '" + kind + "'"
                    + Suggest.didYouMean(kind, LayerKinds.names()) + "; known kinds: " + String.join(", ", LayerKinds.names()));
            return null;
        }
        LayerArgs args = new LayerArgs(item, kind, values, scope.vars(), diagnostics);
        LayerSpec spec = parser.apply(args);
        args.finish();
        if (!args.ok() || spec == null) return null;
        if (spec.isMerge() ? inputs.size() < 2 : inputs.size() != 1) {
            diagnostics.error(item.has("from") ? item.get("from").pos() : item.pos(), kind + " takes "
                    + (spec.isMerge() ? "two or more inputs: list them with 'from: [a, b]'" : "one input") + ", got " + inputs.size());
            return null;
        }
        String name = nodeName(item, scope, kind);
        if (name == null || !usableInGraph(name, item)) return null;
        Object trainable = item.has("trainable") ? values.read(item.get("trainable"), ValueType.BOOL, scope.vars(), "trainable") : true;
        if (trainable == null) return null;
        nodes.add(new Node(name, spec, List.copyOf(inputs), item.pos(), scope.context(), scope.stage(), (Boolean) trainable));
        return name;
    }

    private String blockCall(SMap item, Scope scope, List<String> inputs) {
        Object blockName = values.read(item.get("block"), ValueType.STRING, scope.vars(), "block");
        if (blockName == null) return null;
        SMap block = findBlock((String) blockName, item.get("block").pos());
        if (block == null) return null;
        if (inputs.size() != 1) {
            diagnostics.error(item.get("from").pos(), "a block takes one input, got " + inputs.size());
            return null;
        }
        String prefix = nodeName(item, scope, (String) blockName);
        if (prefix == null) return null;
        List<SMap.Entry> args = item.entries().stream().filter(e -> !CALL_KEYS.contains(e.key())).toList();
        String context = (scope.context().isEmpty() ? "" : scope.context() + ", ") + "block " + prefix;
        return expandBlock((String) blockName, block, args, scope, prefix, context, inputs.get(0), item.pos());
    }

    /**
     * Whether the lowered graph can give a layer this full name: not one of the graph's own
     * names, and starting as TensorFlow op names must.
     */
    private boolean usableInGraph(String name, SMap item) {
        SourcePos at = item.has("name") ? item.get("name").pos() : item.pos();
        if (Model.RESERVED_NAMES.contains(name)) {
            diagnostics.error(at, "layer name '" + name + "' is reserved by the compiled graph (reserved: "
                    + String.join(", ", Model.RESERVED_NAMES.stream().sorted().toList()) + "); choose another name");
            return false;
        }
        if (!Character.isLetterOrDigit(name.charAt(0))) {
            diagnostics.error(at, "layer name '" + name + "' must start with a letter or digit");
            return false;
        }
        return true;
    }

    /** The unique full name of a layer (or block prefix): the given name or the kind, numbered when taken. */
    private String nodeName(SMap item, Scope scope, String fallback) {
        String local = fallback;
        boolean explicit = item.has("name");
        if (explicit) {
            Object v = values.read(item.get("name"), ValueType.STRING, scope.vars(), "name");
            if (v == null) return null;
            local = (String) v;
            if (!local.matches("[A-Za-z0-9_.\\-]+")) {
                diagnostics.error(item.get("name").pos(), "name '" + local + "' may use only letters, digits, '_', '.' and '-'");
                return null;
            }
        }
        String full = scope.prefix().isEmpty() ? local : scope.prefix() + "_" + local;
        if (explicit) {
            SourcePos first = names.get(full);
            if (first != null) {
                diagnostics.error(item.get("name").pos(), "duplicate layer name '" + full + "' (first used at " + first + ")");
                return null;
            }
        } else {
            String base = full;
            for (int n = 1; names.containsKey(full); n++) full = base + "_" + n;
        }
        names.put(full, item.pos());
        return full;
    }
}
