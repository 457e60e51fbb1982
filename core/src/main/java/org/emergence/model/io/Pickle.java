package org.emergence.model.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.emergence.common.UserError;

/**
 * A restricted unpickler for PyTorch state dicts: a pickle virtual machine that executes nothing.
 * Only the globals a state dict needs are accepted — {@code collections.OrderedDict}, the tensor
 * rebuild functions of {@code torch._utils}, and the storage types — and every other global is refused
 * by name, so a pickle that would call {@code os.system} or {@code builtins.eval} is an error, never a
 * call. Calls of the accepted globals build plain records ({@link TensorRef}, {@link StorageRef}).
 * Opcodes of protocols 0–5 that a state dict uses are implemented; any other opcode is refused by name.
 */
final class Pickle {
    /** A global (module.name) as a value. */
    record Global(String module, String name) {
        String qualified() {
            return module + "." + name;
        }
    }

    /** A pickle tuple. */
    record Tuple(List<Object> items) {}

    /** A storage: its element type (a torch storage type name), the key of its data, and its length in elements. */
    record StorageRef(String type, String key, long numel, long viewOffset) {}

    /** A tensor view of a storage: element offset, shape and strides (in elements). */
    record TensorRef(StorageRef storage, long offset, long[] size, long[] stride) {}

    static final Set<String> STORAGE_TYPES = Set.of("FloatStorage", "HalfStorage", "BFloat16Storage", "DoubleStorage",
            "LongStorage", "IntStorage", "ShortStorage", "CharStorage", "ByteStorage", "BoolStorage");

    /** The globals a state dict may name. */
    static final Set<String> ALLOWED = Set.of("collections.OrderedDict", "torch._utils._rebuild_tensor_v2",
            "torch._utils._rebuild_tensor", "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state",
            "torch.FloatStorage", "torch.HalfStorage", "torch.BFloat16Storage", "torch.DoubleStorage", "torch.LongStorage",
            "torch.IntStorage", "torch.ShortStorage", "torch.CharStorage", "torch.ByteStorage", "torch.BoolStorage");

    private static final Object MARK = new Object();

    /** Bounds of a state dict's pickle: nesting depth, values on the stack, memo entries and container items in all. */
    static final int MAX_DEPTH = 1000, MAX_STACK = 10_000_000, MAX_MEMO = 10_000_000;
    static final long MAX_ITEMS = 50_000_000;

    /**
     * A dict key that is a container (list, dict, tuple), compared by identity: hashing one the Java way
     * recurses through it, which a self-referential key turns into a stack overflow and a key holding
     * its level below twice per level (a "hash bomb") into exponential time. A state dict's keys are
     * strings and numbers; containers as keys only occur in hostile files.
     */
    static final class IdentityKey {
        final Object value;

        IdentityKey(Object value) {
            this.value = value;
        }

        @Override
        public String toString() {
            return "<" + describe(value) + " key>";
        }
    }

    private static Object key(Object k) {
        return k instanceof List || k instanceof Map || k instanceof Tuple ? new IdentityKey(k) : k;
    }

    private final java.util.IdentityHashMap<Object, Integer> depth = new java.util.IdentityHashMap<>();
    private long items;

    private final ByteBuffer in;
    private final String source;
    private final List<Object> stack = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();
    private final boolean legacy;

    private Pickle(byte[] data, int offset, String source, boolean legacy) {
        this.in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        this.in.position(offset);
        this.source = source;
        this.legacy = legacy;
    }

    /** Loads one pickle from {@code data} at {@code offset}; returns the value and the offset after its STOP. */
    static Object[] load(byte[] data, int offset, String source, boolean legacyStorageIds) {
        Pickle p = new Pickle(data, offset, source, legacyStorageIds);
        Object v = p.run();
        return new Object[] {v, p.in.position()};
    }

    private UserError bad(String what) {
        return new UserError(source + ": " + what + " (at byte " + in.position() + " of the pickle)");
    }

    private Object pop() {
        if (stack.isEmpty()) throw bad("malformed pickle: pop from an empty stack");
        Object o = stack.remove(stack.size() - 1);
        if (o == MARK) throw bad("malformed pickle: unexpected mark");
        return o;
    }

    private Object top() {
        if (stack.isEmpty() || stack.get(stack.size() - 1) == MARK) throw bad("malformed pickle: empty stack");
        return stack.get(stack.size() - 1);
    }

    private List<Object> popToMark() {
        int i = stack.size() - 1;
        while (i >= 0 && stack.get(i) != MARK) i--;
        if (i < 0) throw bad("malformed pickle: no mark");
        List<Object> items = new ArrayList<>(stack.subList(i + 1, stack.size()));
        stack.subList(i, stack.size()).clear();
        return items;
    }

    private int u8() {
        if (!in.hasRemaining()) throw bad("truncated pickle");
        return in.get() & 0xff;
    }

    private long u32() {
        need(4);
        return in.getInt() & 0xffffffffL;
    }

    private void need(long n) {
        if (n < 0 || in.remaining() < n) throw bad("truncated pickle");
    }

    private byte[] bytes(long n) {
        need(n);
        byte[] b = new byte[(int) n];
        in.get(b);
        return b;
    }

    private String line() {
        StringBuilder sb = new StringBuilder();
        for (int c; (c = u8()) != '\n'; ) {
            sb.append((char) c);
            if (sb.length() > 1 << 16) throw bad("pickle line too long");
        }
        return sb.toString();
    }

    private Object run() {
        while (true) {
            int op = u8();
            switch (op) {
                case 0x80 -> u8(); // PROTO
                case 0x95 -> bytes(8); // FRAME: length of the next frame, data follows inline
                case '.' -> { // STOP
                    return pop();
                }
                case '(' -> push(MARK);
                case '0' -> pop(); // POP
                case '1' -> popToMark(); // POP_MARK
                case '2' -> push(top()); // DUP
                case 'N' -> push(null);
                case 0x88 -> push(Boolean.TRUE);
                case 0x89 -> push(Boolean.FALSE);
                case 'J' -> {
                    need(4);
                    push((long) in.getInt());
                }
                case 'K' -> push((long) u8());
                case 'M' -> {
                    need(2);
                    push((long) (in.getShort() & 0xffff));
                }
                case 0x8a -> push(long1(u8())); // LONG1
                case 0x8b -> push(long1((int) u32())); // LONG4
                case 'G' -> {
                    need(8);
                    push(in.order(ByteOrder.BIG_ENDIAN).getDouble());
                    in.order(ByteOrder.LITTLE_ENDIAN);
                }
                case 'I' -> { // INT (protocol 0)
                    String s = line();
                    push(s.equals("01") ? Boolean.TRUE : s.equals("00") ? Boolean.FALSE : parseLong(s));
                }
                case 'L' -> push(parseLong(line().replace("L", "")));
                case 'X' -> push(new String(bytes(u32()), StandardCharsets.UTF_8));
                case 0x8c -> push(new String(bytes(u8()), StandardCharsets.UTF_8)); // SHORT_BINUNICODE
                case 0x8d -> { // BINUNICODE8
                    need(8);
                    push(new String(bytes(in.getLong()), StandardCharsets.UTF_8));
                }
                case 'U' -> push(new String(bytes(u8()), StandardCharsets.ISO_8859_1)); // SHORT_BINSTRING
                case 'T' -> push(new String(bytes(u32()), StandardCharsets.ISO_8859_1)); // BINSTRING
                case 'C' -> push(bytes(u8())); // SHORT_BINBYTES
                case 'B' -> push(bytes(u32())); // BINBYTES
                case 0x8e -> { // BINBYTES8
                    need(8);
                    push(bytes(in.getLong()));
                }
                case 'V' -> push(line()); // UNICODE (protocol 0, raw-unicode-escape; state dicts use ASCII keys)
                case ')' -> push(new Tuple(List.of()));
                case 0x85 -> { // TUPLE1
                    List<Object> one = java.util.Collections.singletonList(pop());
                    push(holds(new Tuple(one), one));
                }
                case 0x86 -> { // TUPLE2
                    Object b = pop(), a = pop();
                    List<Object> two = Arrays.asList(a, b);
                    push(holds(new Tuple(two), two));
                }
                case 0x87 -> { // TUPLE3
                    Object c = pop(), b = pop(), a = pop();
                    List<Object> three = Arrays.asList(a, b, c);
                    push(holds(new Tuple(three), three));
                }
                case 't' -> {
                    List<Object> all = popToMark();
                    push(holds(new Tuple(all), all));
                }
                case ']' -> push(new ArrayList<>());
                case 'l' -> {
                    List<Object> all = popToMark();
                    push(holds(new ArrayList<>(all), all));
                }
                case '}' -> push(new LinkedHashMap<>());
                case 'd' -> {
                    List<Object> kv = popToMark();
                    Map<Object, Object> m = new LinkedHashMap<>();
                    for (int i = 0; i + 1 < kv.size(); i += 2) m.put(key(kv.get(i)), kv.get(i + 1));
                    push(holds(m, kv));
                }
                case 'a' -> { // APPEND
                    Object v = pop();
                    holds(list(top()), java.util.Collections.singletonList(v)).add(v);
                }
                case 'e' -> { // APPENDS
                    List<Object> all = popToMark();
                    holds(list(top()), all).addAll(all);
                }
                case 's' -> { // SETITEM
                    Object v = pop(), k = pop();
                    holds(map(top()), Arrays.asList(k, v)).put(key(k), v);
                }
                case 'u' -> { // SETITEMS
                    List<Object> kv = popToMark();
                    Map<Object, Object> m = holds(map(top()), kv);
                    for (int i = 0; i + 1 < kv.size(); i += 2) m.put(key(kv.get(i)), kv.get(i + 1));
                }
                case 'h' -> push(memoGet(u8())); // BINGET
                case 'j' -> push(memoGet(u32())); // LONG_BINGET
                case 'g' -> push(memoGet(parseLong(line())));
                case 'q' -> memoPut(u8()); // BINPUT
                case 'r' -> memoPut(u32()); // LONG_BINPUT
                case 'p' -> memoPut(parseLong(line()));
                case 0x94 -> memoPut(memo.size()); // MEMOIZE
                case 'c' -> push(global(line(), line())); // GLOBAL
                case 0x93 -> { // STACK_GLOBAL
                    Object name = pop(), module = pop();
                    if (!(module instanceof String m) || !(name instanceof String n)) throw bad("malformed STACK_GLOBAL");
                    push(global(m, n));
                }
                case 'R' -> { // REDUCE
                    Object args = pop(), f = pop();
                    push(call(f, args));
                }
                case 0x81 -> { // NEWOBJ
                    Object args = pop(), cls = pop();
                    push(call(cls, args));
                }
                case 'b' -> { // BUILD: only an OrderedDict's attribute state (state_dict._metadata), which is ignored
                    Object state = pop();
                    Object obj = top();
                    if (!(obj instanceof Map)) throw bad("BUILD on " + describe(obj) + " is not allowed");
                    if (state != null && !(state instanceof Map) && !(state instanceof Tuple)) throw bad("malformed BUILD state");
                }
                case 'Q' -> push(persistent(pop())); // BINPERSID
                case 'P' -> push(persistent(line())); // PERSID
                default -> throw bad("pickle opcode 0x" + Integer.toHexString(op) + " ('" + printable(op)
                        + "') is not allowed in a state dict");
            }
        }
    }

    private static String printable(int op) {
        return op >= 32 && op < 127 ? String.valueOf((char) op) : "binary";
    }

    private long parseLong(String s) {
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            throw bad("malformed integer '" + s + "'");
        }
    }

    private Object long1(int n) {
        if (n > 64) throw bad("integer of " + n + " bytes is too large for a state dict");
        byte[] b = bytes(n);
        if (n > 8) { // e.g. the legacy format's 10-byte magic number: little-endian two's complement
            byte[] be = new byte[n];
            for (int i = 0; i < n; i++) be[i] = b[n - 1 - i];
            return new java.math.BigInteger(be);
        }
        long v = 0;
        for (int i = n - 1; i >= 0; i--) v = (v << 8) | (b[i] & 0xff);
        if (n > 0 && n < 8 && (b[n - 1] & 0x80) != 0) v -= 1L << (8 * n);
        return v;
    }

    private void memoPut(long k) {
        if (memo.size() >= MAX_MEMO && !memo.containsKey(k)) throw bad("more than " + MAX_MEMO + " memo entries: too large for a state dict");
        memo.put(k, top());
    }

    private void push(Object o) {
        if (stack.size() >= MAX_STACK) throw bad("more than " + MAX_STACK + " values on the stack: too large for a state dict");
        stack.add(o);
    }

    private Object memoGet(long k) {
        if (!memo.containsKey(k)) throw bad("malformed pickle: memo key " + k + " unset");
        return memo.get(k);
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Object o) {
        if (!(o instanceof List)) throw bad("malformed pickle: APPEND to " + describe(o));
        return (List<Object>) o;
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> map(Object o) {
        if (!(o instanceof Map)) throw bad("malformed pickle: SETITEM on " + describe(o));
        return (Map<Object, Object>) o;
    }

    private Global global(String module, String name) {
        String q = module.strip() + "." + name.strip();
        if (!ALLOWED.contains(q)) {
            throw bad("pickle global " + q + " is refused: a state dict needs only OrderedDict, the torch._utils tensor rebuild "
                    + "functions and the torch storage types, and this loader executes nothing else");
        }
        return new Global(module.strip(), name.strip());
    }

    /** Records that {@code container} holds {@code children}, refusing nesting past MAX_DEPTH and pickles with too many items. */
    private <T> T holds(T container, java.util.Collection<?> children) {
        items += children.size() + 1;
        if (items > MAX_ITEMS) throw bad("more than " + MAX_ITEMS + " values: too large for a state dict");
        int d = depth.getOrDefault(container, 1);
        for (Object c : children) {
            Integer cd = c == null ? null : depth.get(c);
            if (cd != null && cd + 1 > d) d = cd + 1;
        }
        if (d > MAX_DEPTH) throw bad("values nested more than " + MAX_DEPTH + " deep: not a state dict");
        depth.put(container, d);
        return container;
    }

    private static String describe(Object o) {
        return o == null ? "None" : o instanceof Global g ? g.qualified() : o.getClass().getSimpleName();
    }

    /** Calls an accepted global: an empty OrderedDict, a tensor view, or a parameter (its tensor). */
    private Object call(Object f, Object args) {
        if (!(f instanceof Global g)) throw bad("call of " + describe(f) + " is not allowed");
        if (!(args instanceof Tuple t)) throw bad("malformed call arguments for " + g.qualified());
        List<Object> a = t.items();
        switch (g.qualified()) {
            case "collections.OrderedDict":
                return new LinkedHashMap<>();
            case "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor": {
                if (a.size() < 4 || !(a.get(0) instanceof StorageRef s)) throw bad("malformed " + g.qualified() + " arguments");
                return new TensorRef(s, asLong(a.get(1)), longs(a.get(2)), longs(a.get(3)));
            }
            case "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state": {
                if (a.isEmpty() || !(a.get(0) instanceof TensorRef tr)) throw bad("malformed " + g.qualified() + " arguments");
                return tr;
            }
            default:
                throw bad("call of " + g.qualified() + " is not allowed (only tensor rebuild functions are)");
        }
    }

    private long asLong(Object o) {
        if (o instanceof Long l) return l;
        throw bad("expected an integer, found " + describe(o));
    }

    private long[] longs(Object o) {
        if (!(o instanceof Tuple t)) throw bad("expected a tuple of integers, found " + describe(o));
        long[] v = new long[t.items().size()];
        for (int i = 0; i < v.length; i++) v[i] = asLong(t.items().get(i));
        return v;
    }

    /** A persistent id naming a storage: ('storage', type, key, location, numel[, view_metadata]). */
    private Object persistent(Object pid) {
        if (!(pid instanceof Tuple t) || t.items().size() < 5 || !"storage".equals(t.items().get(0))) {
            throw bad("persistent id " + describe(pid) + " is not a storage");
        }
        List<Object> a = t.items();
        if (!(a.get(1) instanceof Global type) || !STORAGE_TYPES.contains(type.name())) {
            throw bad("storage of type " + describe(a.get(1)) + " is not supported");
        }
        if (!(a.get(2) instanceof String key)) throw bad("malformed storage key");
        long numel = asLong(a.get(4));
        long view = 0;
        if (legacy && a.size() > 5 && a.get(5) instanceof Tuple v && v.items().size() >= 3) {
            // legacy view: (view_key, offset, size) inside the root storage
            view = asLong(v.items().get(1));
            numel = asLong(v.items().get(2));
        }
        return new StorageRef(type.name(), key, numel, view);
    }
}
