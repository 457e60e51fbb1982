package org.emergence.model.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.emergence.common.UserError;

/**
 * {@code pytorch_model.bin} read without executing anything: the zip format of torch ≥ 1.6
 * ({@code <archive>/data.pkl} and one stored entry {@code <archive>/data/<key>} per storage) and the
 * legacy format of earlier versions (a sequence of pickles followed by the raw storages). The state
 * dict's pickle goes through the restricted {@link Pickle} machine; every tensor is memory-mapped in
 * place from its storage (never copied), F32, F16 or BF16 like safetensors weights.
 */
public final class TorchBin {
    private TorchBin() {}

    /** The largest pickle read (a state dict's is kilobytes to a few megabytes). */
    static final long MAX_PICKLE = 256L << 20;

    /** Tensors of one .bin file by name. */
    public static Map<String, Weight> open(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) throw new UserError(file + ": not a PyTorch checkpoint (" + size + " bytes)");
            ByteBuffer head = read(ch, 0, 4);
            if (head.getInt(0) == 0x04034b50) return zip(file, ch);
            return legacy(file, ch);
        } catch (IOException e) {
            throw new UserError(file + ": cannot read (" + e.getMessage() + ")", e);
        } catch (IndexOutOfBoundsException | IllegalArgumentException | ArithmeticException | ClassCastException
                | java.nio.BufferUnderflowException e) {
            // the checks below cover every field we know of; this net keeps a file crafted to slip past them
            // (offsets that overflow, a pickle value of the wrong type) a one-line input error, not a crash
            throw new UserError(file + ": malformed PyTorch checkpoint (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    static ByteBuffer read(FileChannel ch, long pos, int n) throws IOException {
        return ZipEntries.readAt(ch, pos, n);
    }

    // ------------------------------------------------------------------ zip (torch >= 1.6)

    private static Map<String, Weight> zip(Path file, FileChannel ch) throws IOException {
        Map<String, ZipEntries.Entry> entries = ZipEntries.read(file, ch);
        String prefix = null;
        for (String n : entries.keySet()) {
            if (n.endsWith("/data.pkl") || n.equals("data.pkl")) {
                prefix = n.substring(0, n.length() - "data.pkl".length());
                break;
            }
        }
        if (prefix == null) throw new UserError(file + ": a zip without data.pkl is not a PyTorch checkpoint");
        ZipEntries.Entry order = entries.get(prefix + "byteorder");
        if (order != null && order.size() < 16) {
            String bo = new String(bytes(ch, order), StandardCharsets.US_ASCII).strip();
            if (!bo.equals("little")) throw new UserError(file + ": byte order '" + bo + "' is not supported (little-endian only)");
        }
        ZipEntries.Entry pkl = entries.get(prefix + "data.pkl");
        if (pkl.size() > MAX_PICKLE) throw new UserError(file + ": data.pkl of " + pkl.size() + " bytes is too large for a state dict");
        Object root = Pickle.load(bytes(ch, pkl), 0, file + " (data.pkl)", false)[0];
        Map<String, Pickle.TensorRef> refs = stateDict(file, root);
        Map<String, Weight> out = new LinkedHashMap<>();
        for (var e : refs.entrySet()) {
            Pickle.TensorRef t = e.getValue();
            ZipEntries.Entry data = entries.get(prefix + "data/" + t.storage().key());
            if (data == null) throw new UserError(file + ": tensor '" + e.getKey() + "' names storage " + t.storage().key() + ", which is not in the zip");
            if (data.method() != 0) throw new UserError(file + ": storage " + t.storage().key() + " is compressed; only stored (uncompressed) entries can be mapped");
            out.put(e.getKey(), weight(file, e.getKey(), t, data.dataOffset(), data.size()));
        }
        return out;
    }

    private static byte[] bytes(FileChannel ch, ZipEntries.Entry e) throws IOException {
        ByteBuffer b = read(ch, e.dataOffset(), (int) e.size());
        if (b.remaining() != e.size()) throw new UserError("truncated zip entry " + e.name());
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    // ------------------------------------------------------------------ legacy (torch < 1.6)

    private static Map<String, Weight> legacy(Path file, FileChannel ch) throws IOException {
        long size = ch.size();
        // the pickles come first and are small; read more of the file only if they do not fit
        for (long want = Math.min(size, 16L << 20); ; want = Math.min(size, want * 4)) {
            if (want > MAX_PICKLE) {
                throw new UserError(file + ": the pickles of this legacy checkpoint do not end within " + (MAX_PICKLE >> 20)
                        + " MB; a state dict's are far smaller (damaged or not a PyTorch checkpoint)");
            }
            ByteBuffer b = read(ch, 0, (int) want);
            byte[] data = new byte[b.remaining()];
            b.get(data);
            try {
                return legacyFrom(file, data, size);
            } catch (UserError e) {
                if (want >= size || !String.valueOf(e.getMessage()).contains("truncated pickle")) throw e;
            }
        }
    }

    private static Map<String, Weight> legacyFrom(Path file, byte[] data, long size) {
        String src = file + " (legacy format)";
        Object[] magic = Pickle.load(data, 0, src, true);
        if (!(magic[0] instanceof java.math.BigInteger m) || !m.equals(new java.math.BigInteger("1950a86a20f9469cfc6c", 16))) {
            throw new UserError(file + ": not a PyTorch checkpoint (no magic number; neither a zip nor a legacy pickle)");
        }
        Object[] protocol = Pickle.load(data, (Integer) magic[1], src, true);
        Object[] sysInfo = Pickle.load(data, (Integer) protocol[1], src, true);
        Object[] dict = Pickle.load(data, (Integer) sysInfo[1], src, true);
        Object[] keys = Pickle.load(data, (Integer) dict[1], src, true);
        Map<String, Pickle.TensorRef> refs = stateDict(file, dict[0]);
        if (!(keys[0] instanceof List<?> keyList)) throw new UserError(file + ": malformed legacy checkpoint (no storage key list)");
        // storages follow in key order: 8-byte element count, then the elements
        Map<String, String> typeOf = new HashMap<>();
        for (Pickle.TensorRef t : refs.values()) typeOf.put(t.storage().key(), t.storage().type());
        Map<String, long[]> where = new HashMap<>(); // key -> {data offset, elements}
        long pos = (Integer) keys[1];
        for (Object k : keyList) {
            if (!(k instanceof String) && !(k instanceof Long)) throw new UserError(file + ": malformed legacy checkpoint (a storage key is not a string)");
            String key = String.valueOf(k);
            if (pos + 8 > size) throw new UserError(file + ": truncated (storage " + key + " is missing)");
            long n = pos + 8 <= data.length ? ByteBuffer.wrap(data, (int) pos, 8).order(ByteOrder.LITTLE_ENDIAN).getLong() : readLong(file, pos);
            StorageType st = type(typeOf.getOrDefault(key, "ByteStorage"), file, key);
            if (n < 0 || n > (size - pos - 8) / st.size) throw new UserError(file + ": storage " + key + " is shorter than its " + n + " elements");
            where.put(key, new long[] {pos + 8, n});
            pos += 8 + n * st.size;
        }
        Map<String, Weight> out = new LinkedHashMap<>();
        for (var e : refs.entrySet()) {
            Pickle.TensorRef t = e.getValue();
            long[] w = where.get(t.storage().key());
            if (w == null) throw new UserError(file + ": tensor '" + e.getKey() + "' names storage " + t.storage().key() + ", which is not in the file");
            StorageType st = type(t.storage().type(), file, e.getKey());
            if (t.storage().viewOffset() < 0 || t.storage().viewOffset() > w[1]) {
                throw new UserError(file + ": tensor '" + e.getKey() + "' starts outside its storage " + t.storage().key());
            }
            long viewBytes = t.storage().viewOffset() * st.size;
            out.put(e.getKey(), weight(file, e.getKey(), t, w[0] + viewBytes, w[1] * st.size - viewBytes));
        }
        return out;
    }

    private static long readLong(Path file, long pos) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(ch, pos, 8).getLong(0);
        } catch (IOException e) {
            throw new UserError(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    // ------------------------------------------------------------------ shared

    @SuppressWarnings("unchecked")
    private static Map<String, Pickle.TensorRef> stateDict(Path file, Object root) {
        if (!(root instanceof Map<?, ?> m0)) throw new UserError(file + ": the pickle is not a state dict (a mapping of names to tensors)");
        // some checkpoints wrap the state dict ({"state_dict": …} or {"model": …}); unwrapped in a loop, a few levels at most
        Map<?, ?> m = m0;
        for (int level = 0; m.size() == 1 && m.values().iterator().next() instanceof Map<?, ?> inner; level++) {
            if (inner == m || level >= 8) throw new UserError(file + ": the state dict is wrapped in itself or nested too deep");
            m = inner;
        }
        Map<String, Pickle.TensorRef> out = new LinkedHashMap<>();
        for (var e : ((Map<Object, Object>) m).entrySet()) {
            if (!(e.getKey() instanceof String k)) throw new UserError(file + ": a state dict key is not a string");
            if (e.getValue() instanceof Pickle.TensorRef t) out.put(k, t);
            // other values (step counters, config strings) are not tensors and are ignored
        }
        return out;
    }

    static StorageType type(String storage, Path file, String name) {
        return switch (storage) {
            case "FloatStorage" -> StorageType.F32;
            case "HalfStorage" -> StorageType.F16;
            case "BFloat16Storage" -> StorageType.BF16;
            case "DoubleStorage" -> StorageType.F64;
            case "LongStorage" -> StorageType.I64;
            case "IntStorage" -> StorageType.I32;
            case "ShortStorage" -> StorageType.I16;
            case "CharStorage" -> StorageType.I8;
            case "ByteStorage" -> StorageType.U8;
            case "BoolStorage" -> StorageType.BOOL;
            default -> throw new UserError(file + ": tensor '" + name + "' has storage type " + storage + ", which is not supported");
        };
    }

    /** A memory-mapped weight for a contiguous tensor view of a storage at {@code storageOffset} bytes of the file. */
    private static Weight weight(Path file, String name, Pickle.TensorRef t, long storageOffset, long storageBytes) {
        StorageType st = type(t.storage().type(), file, name);
        long numel = 1, expect = 1;
        for (long d : t.size()) {
            if (d < 0) throw new UserError(file + ": tensor '" + name + "' has a negative dimension");
            numel = Math.multiplyExact(numel, d);
        }
        for (int i = t.size().length - 1; i >= 0; i--) {
            if (t.size()[i] != 1 && t.stride()[i] != expect) {
                throw new UserError(file + ": tensor '" + name + "' is not contiguous (strides " + java.util.Arrays.toString(t.stride())
                        + " for shape " + java.util.Arrays.toString(t.size()) + "); save it with .contiguous()");
            }
            expect *= t.size()[i];
        }
        // compared in elements, never by (offset + numel) · size, which a crafted offset near 2^62 wraps negative
        long elements = storageBytes / st.size;
        if (t.offset() < 0 || numel > elements || t.offset() > elements - numel) {
            throw new UserError(file + ": tensor '" + name + "' (" + numel + " elements at offset " + t.offset() + ") runs past the end of its "
                    + "storage " + t.storage().key() + " (" + storageBytes + " bytes)");
        }
        return Weight.mapped(name, file, st, t.size(), storageOffset + t.offset() * st.size);
    }
}
