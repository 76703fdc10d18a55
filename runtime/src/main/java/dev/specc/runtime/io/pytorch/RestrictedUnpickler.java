package dev.specc.runtime.io.pytorch;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the pickle of a PyTorch state dict without running anything: a pickle is a program for
 * Python's unpickler, and any global it names (os.system, builtins.eval, ...) would be called. This
 * one knows the few globals a state dict needs, builds them as plain Java values, and refuses every
 * other global with its name. Values: Long, Double, Boolean, String, null, {@link Tuple},
 * {@link List}, {@link Map} (dict and OrderedDict, in order), and what {@link Persistent} and the
 * tensor rebuild functions return ({@link StorageRef}, {@link TensorRef}).
 */
final class RestrictedUnpickler {
    /** The globals a state dict names; anything else is refused. */
    static final Set<String> ALLOWED = Set.of(
            "collections.OrderedDict", "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_parameter",
            "torch.FloatStorage", "torch.HalfStorage", "torch.BFloat16Storage", "torch.DoubleStorage",
            "torch.LongStorage", "torch.IntStorage", "torch.ShortStorage", "torch.CharStorage", "torch.ByteStorage",
            "torch.BoolStorage");

    /** A Python tuple. */
    record Tuple(List<Object> items) {
        Tuple {
            items = List.copyOf(items.stream().map(i -> i == null ? NONE : i).toList());
        }

        Object get(int i) {
            Object item = items.get(i);
            return item == NONE ? null : item;
        }

        int size() {
            return items.size();
        }
    }

    /** A global the pickle named (only ever one of {@link #ALLOWED}). */
    record Global(String name) {
    }

    /** Turns a persistent id (BINPERSID) into a value: how torch.save refers to its storages. */
    interface Persistent {
        Object load(Tuple id) throws PickleException;
    }

    /** Where a pickle is wrong; the caller adds the file. */
    static final class PickleException extends Exception {
        private static final long serialVersionUID = 1L;

        PickleException(String message) {
            super(message);
        }
    }

    private static final Object NONE = new Object() {
        @Override
        public String toString() {
            return "None";
        }
    };
    private static final Object MARK = new Object();
    /** Far more than any state dict needs (a few values per tensor, containers a few deep); bounds a hostile pickle's memory. */
    static final int MAX_VALUES = 1 << 24;
    static final int MAX_STACK = 1 << 20;
    static final int MAX_MEMO = 1 << 22;
    static final int MAX_DEPTH = 64;

    private final ByteBuffer in;
    private final Persistent persistent;
    private final List<Object> stack = new ArrayList<>();
    private final List<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();
    /** How deep each list, dict and tuple nests (at least): containers grow after they are built, so this only rises. */
    private final Map<Object, Integer> depths = new IdentityHashMap<>();
    private long values;

    private RestrictedUnpickler(byte[] pickle, Persistent persistent) {
        this.in = ByteBuffer.wrap(pickle).order(ByteOrder.LITTLE_ENDIAN);
        this.persistent = persistent;
    }

    /** The value the pickle builds. */
    static Object load(byte[] pickle, Persistent persistent) throws PickleException {
        try {
            return new RestrictedUnpickler(pickle, persistent).run();
        } catch (StackOverflowError e) {
            throw new PickleException("its values nest or refer to themselves too deeply to read (a state dict is a "
                    + "flat dict of tensors)");
        } catch (java.nio.BufferUnderflowException e) {
            throw new PickleException("the pickle ends in the middle of an instruction");
        } catch (IndexOutOfBoundsException e) {
            throw new PickleException("the pickle is malformed (it reads a value that is not there)");
        }
    }

    private Object run() throws PickleException {
        while (in.hasRemaining()) {
            int at = in.position();
            int op = in.get() & 0xff;
            switch (op) {
                case 0x80 -> protocol();                                   // PROTO
                case 0x95 -> in.getLong();                                 // FRAME: a length, nothing to do
                case '.' -> {                                              // STOP
                    if (stack.size() != 1) throw new PickleException("the pickle stops with " + stack.size() + " values");
                    return unwrap(stack.get(0));
                }
                case '(' -> { marks.add(stack.size()); push(MARK); }        // MARK
                case '0' -> pop();                                          // POP
                case '1' -> popMark();                                      // POP_MARK
                case '2' -> push(top());                                    // DUP
                case 'N' -> push(NONE);
                case 0x88 -> push(Boolean.TRUE);                            // NEWTRUE
                case 0x89 -> push(Boolean.FALSE);                           // NEWFALSE
                case 'J' -> push((long) in.getInt());                       // BININT
                case 'K' -> push((long) (in.get() & 0xff));                 // BININT1
                case 'M' -> push((long) (in.getShort() & 0xffff));          // BININT2
                case 0x8a -> push(long1(in.get() & 0xff));                  // LONG1
                case 'G' -> push(Double.longBitsToDouble(Long.reverseBytes(in.getLong()))); // BINFLOAT, big-endian
                case 'X' -> push(text(length(in.getInt() & 0xffffffffL)));  // BINUNICODE
                case 0x8c -> push(text(in.get() & 0xff));                   // SHORT_BINUNICODE
                case 0x8d -> push(text(length(in.getLong())));              // BINUNICODE8
                case 'U' -> push(latin1(in.get() & 0xff));                  // SHORT_BINSTRING (Python 2 str)
                case 'T' -> push(latin1(length(in.getInt() & 0xffffffffL))); // BINSTRING
                case ')' -> push(new Tuple(List.of()));                     // EMPTY_TUPLE
                case 0x85 -> push(tuple(pop(1)));                           // TUPLE1
                case 0x86 -> push(tuple(pop(2)));                           // TUPLE2
                case 0x87 -> push(tuple(pop(3)));                           // TUPLE3
                case 't' -> push(tuple(popMark()));                         // TUPLE
                case ']' -> push(newList(List.of()));                       // EMPTY_LIST
                case 'l' -> push(newList(popMark()));                       // LIST
                case 'a' -> { Object v = pop(); add(list(top()), v); }      // APPEND
                case 'e' -> appends();                                      // APPENDS
                case '}' -> push(newDict());                                // EMPTY_DICT
                case 'd' -> { Map<Object, Object> d = newDict(); putAll(d, popMark()); push(d); } // DICT
                case 's' -> { Object v = pop(); Object k = pop(); put(dict(top()), k, v); } // SETITEM
                case 'u' -> { List<Object> items = popMark(); putAll(dict(top()), items); } // SETITEMS
                case 'c' -> push(global(line() + "." + line()));            // GLOBAL
                case 0x93 -> { Object name = pop(); Object module = pop(); push(global(string(module) + "." + string(name))); } // STACK_GLOBAL
                case 'R' -> { Object args = pop(); Object callable = pop(); push(reduce(callable, args)); } // REDUCE
                case 'b' -> build();                                        // BUILD
                case 'Q' -> push(persistent(pop()));                        // BINPERSID
                case 'q' -> memoize((long) (in.get() & 0xff));              // BINPUT
                case 'r' -> memoize(in.getInt() & 0xffffffffL);             // LONG_BINPUT
                case 0x94 -> memoize((long) memo.size());                   // MEMOIZE
                case 'h' -> push(memo((long) (in.get() & 0xff)));           // BINGET
                case 'j' -> push(memo(in.getInt() & 0xffffffffL));          // LONG_BINGET
                default -> throw new PickleException(String.format("instruction 0x%02x at byte %d is not one a state dict "
                        + "uses; specc reads only state dicts (tensors in dicts), and runs nothing", op, at));
            }
        }
        throw new PickleException("the pickle has no STOP instruction");
    }

    private void protocol() throws PickleException {
        int version = in.get() & 0xff;
        if (version < 2 || version > 5) throw new PickleException("pickle protocol " + version + " is not one torch.save writes");
    }

    private Object global(String name) throws PickleException {
        if (!ALLOWED.contains(name)) {
            throw new PickleException("it names the global " + name + ", which a PyTorch state dict does not need; specc "
                    + "refuses it and runs nothing from the file (it reads only tensors in dicts)");
        }
        return new Global(name);
    }

    private Object reduce(Object callable, Object args) throws PickleException {
        if (!(callable instanceof Global g) || !(args instanceof Tuple a)) {
            throw new PickleException("a call (REDUCE) of " + describe(callable) + " that a state dict does not make");
        }
        return switch (g.name()) {
            case "collections.OrderedDict" -> {
                if (a.size() != 0) throw new PickleException("collections.OrderedDict called with arguments");
                yield newDict();
            }
            case "torch._utils._rebuild_tensor_v2" -> TensorRef.rebuild(a);
            case "torch._utils._rebuild_parameter" -> {
                if (a.size() < 1 || !(a.get(0) instanceof TensorRef t)) {
                    throw new PickleException("torch._utils._rebuild_parameter called without a tensor");
                }
                yield t;
            }
            default -> throw new PickleException(g.name() + " is called, which torch.save never does");
        };
    }

    /** BUILD sets an object's state; a state dict only sets its OrderedDict's _metadata (layer versions), which are dropped. */
    private void build() throws PickleException {
        Object state = pop();
        Object target = top();
        if (!(target instanceof Map) || !(state instanceof Map || state instanceof Tuple)) {
            throw new PickleException("it sets the state of " + describe(target) + ", which a state dict does not do");
        }
    }

    private Object persistent(Object id) throws PickleException {
        if (!(id instanceof Tuple t)) throw new PickleException("a persistent id that is not a tuple: " + describe(id));
        return persistent.load(t);
    }

    private void appends() throws PickleException {
        List<Object> items = popMark();
        List<Object> list = list(top());
        for (Object item : items) add(list, item);
    }

    private void putAll(Map<Object, Object> dict, List<Object> items) throws PickleException {
        if (items.size() % 2 != 0) throw new PickleException("a dict built from an odd number of values");
        for (int i = 0; i < items.size(); i += 2) put(dict, items.get(i), items.get(i + 1));
    }

    private void put(Map<Object, Object> dict, Object key, Object value) throws PickleException {
        dict.put(key(key), contained(dict, value));
    }

    private void add(List<Object> list, Object value) throws PickleException {
        list.add(contained(list, value));
    }

    private List<Object> newList(List<Object> items) throws PickleException {
        List<Object> list = new ArrayList<>();
        depths.put(list, 1);
        for (Object item : items) add(list, item);
        return list;
    }

    private Map<Object, Object> newDict() {
        Map<Object, Object> dict = new LinkedHashMap<>();
        depths.put(dict, 1);
        return dict;
    }

    private Tuple tuple(List<Object> items) throws PickleException {
        Tuple tuple = new Tuple(items);
        depths.put(tuple, 1);
        for (Object item : items) contained(tuple, item);
        return tuple;
    }

    /** The value, once it is known not to be its container and not to nest the container deeper than {@link #MAX_DEPTH}. */
    private Object contained(Object container, Object value) throws PickleException {
        if (value == container) throw new PickleException(describe(container) + " that contains itself");
        int depth = Math.max(depths.get(container), depths.getOrDefault(value, 0) + 1);
        if (depth > MAX_DEPTH) throw new PickleException("values nested more than " + MAX_DEPTH + " deep");
        depths.put(container, depth);
        return value;
    }

    private void memoize(long key) throws PickleException {
        if (memo.size() >= MAX_MEMO && !memo.containsKey(key)) {
            throw new PickleException("it memoizes more than " + MAX_MEMO + " values");
        }
        memo.put(key, top());
    }

    /** Only the immutable, hashable keys a state dict uses: a list or dict key would hash its (perhaps cyclic) contents. */
    private static Object key(Object key) throws PickleException {
        if (key instanceof String || key instanceof Long || key instanceof Boolean || key instanceof Double) return key;
        throw new PickleException("a dict key that is " + describe(key) + " (a state dict's keys are names)");
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> dict(Object o) throws PickleException {
        if (o instanceof Map<?, ?> m) return (Map<Object, Object>) m;
        throw new PickleException("adds dict items to " + describe(o));
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) throws PickleException {
        if (o instanceof List<?> l) return (List<Object>) l;
        throw new PickleException("appends to " + describe(o));
    }

    private Object memo(long key) throws PickleException {
        Object value = memo.get(key);
        if (value == null) throw new PickleException("reads memo " + key + ", which was never written");
        return value;
    }

    private void push(Object value) throws PickleException {
        if (++values > MAX_VALUES) throw new PickleException("it builds more than " + MAX_VALUES + " values");
        if (stack.size() >= MAX_STACK) throw new PickleException("it stacks more than " + MAX_STACK + " values");
        stack.add(value);
    }

    private Object top() throws PickleException {
        return top(0);
    }

    private Object top(int below) throws PickleException {
        int i = stack.size() - 1 - below;
        if (i < 0 || stack.get(i) == MARK) throw new PickleException("an instruction finds too few values");
        return stack.get(i);
    }

    private Object pop() throws PickleException {
        Object value = top();
        stack.remove(stack.size() - 1);
        return value;
    }

    private List<Object> pop(int n) throws PickleException {
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < n; i++) values.add(0, pop());
        return values;
    }

    private List<Object> popMark() throws PickleException {
        if (marks.isEmpty()) throw new PickleException("an instruction needs a MARK that is not there");
        int mark = marks.remove(marks.size() - 1);
        List<Object> items = new ArrayList<>(stack.subList(mark + 1, stack.size()));
        stack.subList(mark, stack.size()).clear();
        return items;
    }

    private int length(long n) throws PickleException {
        if (n < 0 || n > in.remaining()) throw new PickleException("a string longer than the rest of the pickle");
        return (int) n;
    }

    private String text(int n) throws PickleException {
        byte[] bytes = bytes(n);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new PickleException("a string that is not UTF-8");
        }
    }

    private String latin1(int n) throws PickleException {
        return new String(bytes(n), StandardCharsets.ISO_8859_1);
    }

    private byte[] bytes(int n) throws PickleException {
        byte[] bytes = new byte[length(n)];
        in.get(bytes);
        return bytes;
    }

    private String line() throws PickleException {
        StringBuilder s = new StringBuilder();
        while (true) {
            if (!in.hasRemaining() || s.length() > 256) throw new PickleException("a global's name that does not end");
            char c = (char) (in.get() & 0xff);
            if (c == '\n') return s.toString();
            s.append(c);
        }
    }

    /** LONG1: a little-endian two's-complement integer of n bytes. */
    private Object long1(int n) throws PickleException {
        if (n > 8) throw new PickleException("an integer of " + n + " bytes, larger than any a state dict holds");
        long value = 0;
        for (int i = 0; i < n; i++) value |= (in.get() & 0xffL) << (8 * i);
        if (n > 0 && n < 8 && (value & (1L << (8 * n - 1))) != 0) value -= 1L << (8 * n);
        return value;
    }

    private static String string(Object o) throws PickleException {
        if (o instanceof String s) return s;
        throw new PickleException("a global named by " + describe(o));
    }

    private static Object unwrap(Object o) {
        return o == NONE ? null : o;
    }

    static String describe(Object o) {
        if (o == null || o == NONE) return "None";
        if (o instanceof Global g) return g.name();
        if (o instanceof Tuple) return "a tuple";
        if (o instanceof Map) return "a dict";
        if (o instanceof List) return "a list";
        if (o instanceof TensorRef) return "a tensor";
        if (o instanceof StorageRef) return "a storage";
        return "the value " + o;
    }
}
