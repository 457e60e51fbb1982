package org.emergence.model.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.emergence.common.UserError;

/**
 * One .safetensors file: an 8-byte little-endian header length N, N bytes of JSON, then the tensor
 * data. The header is validated strictly before anything is trusted: the length fits the file, the
 * JSON is an object of tensors with a known dtype, a shape of non-negative integers and
 * {@code data_offsets} [begin, end) whose size equals shape × dtype size, inside the data region,
 * not overlapping, and covering it without holes (as the reference implementation requires).
 * Tensors are memory-mapped on use, never read into the heap.
 */
public final class Safetensors {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_HEADER = 100L << 20;

    private final Path file;
    private final Map<String, Weight> tensors;
    private final Map<String, String> metadata;

    private Safetensors(Path file, Map<String, Weight> tensors, Map<String, String> metadata) {
        this.file = file;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    public Path file() {
        return file;
    }

    public Map<String, Weight> tensors() {
        return Collections.unmodifiableMap(tensors);
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    public static Safetensors open(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) throw bad(file, "truncated safetensors file (" + size + " bytes, no header)");
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            while (lenBuf.hasRemaining()) if (ch.read(lenBuf, lenBuf.position()) < 0) break;
            long n = lenBuf.getLong(0);
            if (n <= 0 || n > MAX_HEADER) throw bad(file, "invalid safetensors header length " + n);
            if (8 + n > size) {
                throw bad(file, "truncated safetensors file: header length " + n + " exceeds the file size " + size);
            }
            ByteBuffer hb = ByteBuffer.allocate((int) n);
            while (hb.hasRemaining()) {
                if (ch.read(hb, 8 + hb.position()) < 0) throw bad(file, "truncated safetensors header");
            }
            JsonNode root;
            try {
                root = JSON.readTree(new String(hb.array(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw bad(file, "safetensors header is not valid JSON (" + firstLine(e.getMessage()) + ")");
            }
            if (root == null || !root.isObject()) throw bad(file, "safetensors header is not a JSON object");
            long dataStart = 8 + n;
            long dataSize = size - dataStart;
            Map<String, Weight> tensors = new LinkedHashMap<>();
            Map<String, String> meta = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = root.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                String name = e.getKey();
                JsonNode t = e.getValue();
                if (name.equals("__metadata__")) {
                    if (!t.isObject()) throw bad(file, "__metadata__ is not an object");
                    t.fields().forEachRemaining(m -> meta.put(m.getKey(), m.getValue().asText()));
                    continue;
                }
                tensors.put(name, parseTensor(file, name, t, dataStart, dataSize));
            }
            checkLayout(file, tensors.values(), dataStart, dataSize);
            return new Safetensors(file, tensors, meta);
        } catch (NoSuchFileException e) {
            throw new UserError(file + ": no such file");
        } catch (IOException e) {
            throw new UserError(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    private static Weight parseTensor(Path file, String name, JsonNode t, long dataStart, long dataSize) {
        String where = "tensor '" + name + "'";
        if (!t.isObject()) throw bad(file, where + ": entry is not an object");
        JsonNode dt = t.get("dtype"), sh = t.get("shape"), off = t.get("data_offsets");
        if (dt == null || !dt.isTextual()) throw bad(file, where + ": missing dtype");
        StorageType type = StorageType.parse(dt.asText());
        if (type == null) throw bad(file, where + ": unknown dtype '" + dt.asText() + "'");
        if (sh == null || !sh.isArray()) throw bad(file, where + ": missing shape");
        long[] shape = new long[sh.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = sh.get(i);
            if (!d.canConvertToLong() || !d.isIntegralNumber() || d.asLong() < 0) {
                throw bad(file, where + ": invalid shape " + sh);
            }
            shape[i] = d.asLong();
            try {
                count = Math.multiplyExact(count, shape[i]);
            } catch (ArithmeticException ex) {
                throw bad(file, where + ": shape " + sh + " overflows");
            }
        }
        if (off == null || !off.isArray() || off.size() != 2 || !off.get(0).isIntegralNumber()
                || !off.get(1).isIntegralNumber()) {
            throw bad(file, where + ": data_offsets must be [begin, end]");
        }
        long begin = off.get(0).asLong(), end = off.get(1).asLong();
        if (begin < 0 || end < begin) throw bad(file, where + ": invalid data_offsets [" + begin + ", " + end + "]");
        long expect;
        try {
            expect = Math.multiplyExact(count, type.size);
        } catch (ArithmeticException ex) {
            throw bad(file, where + ": byte size overflows");
        }
        if (end - begin != expect) {
            throw bad(file, where + ": data_offsets [" + begin + ", " + end + "] hold " + (end - begin)
                    + " bytes but shape " + sh + " of " + type + " needs " + expect);
        }
        if (end > dataSize) {
            throw bad(file, where + ": data [" + begin + ", " + end + ") lies outside the file's " + dataSize
                    + " data bytes (truncated file?)");
        }
        return new Weight(name, file, type, shape, dataStart + begin);
    }

    private static void checkLayout(Path file, java.util.Collection<Weight> ws, long dataStart, long dataSize) {
        List<Weight> sorted = new ArrayList<>(ws);
        sorted.sort(Comparator.comparingLong(Weight::fileOffset).thenComparingLong(Weight::byteSize));
        long expected = dataStart;
        Weight prev = null;
        for (Weight w : sorted) {
            if (w.fileOffset() < expected) {
                throw bad(file, "tensors '" + prev.name() + "' and '" + w.name() + "' overlap");
            }
            if (w.fileOffset() > expected) {
                throw bad(file, "hole of " + (w.fileOffset() - expected) + " bytes before tensor '" + w.name() + "'");
            }
            expected = w.fileOffset() + w.byteSize();
            prev = w;
        }
        if (expected != dataStart + dataSize) {
            throw bad(file, (dataStart + dataSize - expected) + " bytes after the last tensor (corrupt or wrong file)");
        }
    }

    static UserError bad(Path file, String what) {
        return new UserError(file + ": " + what);
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }
}
