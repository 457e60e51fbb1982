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
                case '(' -> stack.add(MARK);
                case '0' -> pop(); // POP
                case '1' -> popToMark(); // POP_MARK
                case '2' -> stack.add(top()); // DUP
                case 'N' -> stack.add(null);
                case 0x88 -> stack.add(Boolean.TRUE);
                case 0x89 -> stack.add(Boolean.FALSE);
                case 'J' -> {
                    need(4);
                    stack.add((long) in.getInt());
                }
                case 'K' -> stack.add((long) u8());
                case 'M' -> {
                    need(2);
                    stack.add((long) (in.getShort() & 0xffff));
                }
                case 0x8a -> stack.add(long1(u8())); // LONG1
                case 0x8b -> stack.add(long1((int) u32())); // LONG4
                case 'G' -> {
                    need(8);
                    stack.add(in.order(ByteOrder.BIG_ENDIAN).getDouble());
                    in.order(ByteOrder.LITTLE_ENDIAN);
                }
                case 'I' -> { // INT (protocol 0)
                    String s = line();
                    stack.add(s.equals("01") ? Boolean.TRUE : s.equals("00") ? Boolean.FALSE : parseLong(s));
                }
                case 'L' -> stack.add(parseLong(line().replace("L", "")));
                case 'X' -> stack.add(new String(bytes(u32()), StandardCharsets.UTF_8));
                case 0x8c -> stack.add(new String(bytes(u8()), StandardCharsets.UTF_8)); // SHORT_BINUNICODE
                case 0x8d -> { // BINUNICODE8
                    need(8);
                    stack.add(new String(bytes(in.getLong()), StandardCharsets.UTF_8));
                }
                case 'U' -> stack.add(new String(bytes(u8()), StandardCharsets.ISO_8859_1)); // SHORT_BINSTRING
                case 'T' -> stack.add(new String(bytes(u32()), StandardCharsets.ISO_8859_1)); // BINSTRING
                case 'C' -> stack.add(bytes(u8())); // SHORT_BINBYTES
                case 'B' -> stack.add(bytes(u32())); // BINBYTES
                case 0x8e -> { // BINBYTES8
                    need(8);
                    stack.add(bytes(in.getLong()));
                }
                case 'V' -> stack.add(line()); // UNICODE (protocol 0, raw-unicode-escape; state dicts use ASCII keys)
                case ')' -> stack.add(new Tuple(List.of()));
                case 0x85 -> stack.add(new Tuple(java.util.Collections.singletonList(pop()))); // TUPLE1
                case 0x86 -> { // TUPLE2
                    Object b = pop(), a = pop();
                    stack.add(new Tuple(Arrays.asList(a, b)));
                }
                case 0x87 -> { // TUPLE3
                    Object c = pop(), b = pop(), a = pop();
                    stack.add(new Tuple(Arrays.asList(a, b, c)));
                }
                case 't' -> stack.add(new Tuple(popToMark()));
                case ']' -> stack.add(new ArrayList<>());
                case 'l' -> stack.add(new ArrayList<>(popToMark()));
                case '}' -> stack.add(new LinkedHashMap<>());
                case 'd' -> {
                    List<Object> kv = popToMark();
                    Map<Object, Object> m = new LinkedHashMap<>();
                    for (int i = 0; i + 1 < kv.size(); i += 2) m.put(kv.get(i), kv.get(i + 1));
                    stack.add(m);
                }
                case 'a' -> { // APPEND
                    Object v = pop();
                    list(top()).add(v);
                }
                case 'e' -> { // APPENDS
                    List<Object> items = popToMark();
                    list(top()).addAll(items);
                }
                case 's' -> { // SETITEM
                    Object v = pop(), k = pop();
                    map(top()).put(k, v);
                }
                case 'u' -> { // SETITEMS
                    List<Object> kv = popToMark();
                    Map<Object, Object> m = map(top());
                    for (int i = 0; i + 1 < kv.size(); i += 2) m.put(kv.get(i), kv.get(i + 1));
                }
                case 'h' -> stack.add(memoGet(u8())); // BINGET
                case 'j' -> stack.add(memoGet(u32())); // LONG_BINGET
                case 'g' -> stack.add(memoGet(parseLong(line())));
                case 'q' -> memo.put((long) u8(), top()); // BINPUT
                case 'r' -> memo.put(u32(), top()); // LONG_BINPUT
                case 'p' -> memo.put(parseLong(line()), top());
                case 0x94 -> memo.put((long) memo.size(), top()); // MEMOIZE
                case 'c' -> stack.add(global(line(), line())); // GLOBAL
                case 0x93 -> { // STACK_GLOBAL
                    Object name = pop(), module = pop();
                    if (!(module instanceof String m) || !(name instanceof String n)) throw bad("malformed STACK_GLOBAL");
                    stack.add(global(m, n));
                }
                case 'R' -> { // REDUCE
                    Object args = pop(), f = pop();
                    stack.add(call(f, args));
                }
                case 0x81 -> { // NEWOBJ
                    Object args = pop(), cls = pop();
                    stack.add(call(cls, args));
                }
                case 'b' -> { // BUILD: only an OrderedDict's attribute state (state_dict._metadata), which is ignored
                    Object state = pop();
                    Object obj = top();
                    if (!(obj instanceof Map)) throw bad("BUILD on " + describe(obj) + " is not allowed");
                    if (state != null && !(state instanceof Map) && !(state instanceof Tuple)) throw bad("malformed BUILD state");
                }
                case 'Q' -> stack.add(persistent(pop())); // BINPERSID
                case 'P' -> stack.add(persistent(line())); // PERSID
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
