package org.emergence.model.io;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Test helper: writes protocol-buffer messages (wire format) field by field. */
public final class ProtoWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public ProtoWriter varint(int field, long v) {
        key(field, 0);
        raw(v);
        return this;
    }

    public ProtoWriter fixed32(int field, float v) {
        key(field, 5);
        int b = Float.floatToRawIntBits(v);
        for (int i = 0; i < 4; i++) out.write((b >>> (8 * i)) & 0xff);
        return this;
    }

    public ProtoWriter bytes(int field, byte[] b) {
        key(field, 2);
        raw(b.length);
        out.write(b, 0, b.length);
        return this;
    }

    public ProtoWriter string(int field, String s) {
        return bytes(field, s.getBytes(StandardCharsets.UTF_8));
    }

    public ProtoWriter message(int field, ProtoWriter m) {
        return bytes(field, m.toByteArray());
    }

    /** Packed repeated int64. */
    public ProtoWriter packed(int field, long... v) {
        ProtoWriter p = new ProtoWriter();
        for (long x : v) p.raw(x);
        return bytes(field, p.toByteArray());
    }

    /** Appends already-encoded bytes (e.g. fields copied from another message). */
    public ProtoWriter append(byte[] b, int off, int len) {
        out.write(b, off, len);
        return this;
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }

    private void key(int field, int wire) {
        raw(((long) field << 3) | wire);
    }

    private void raw(long v) {
        while ((v & ~0x7fL) != 0) {
            out.write((int) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    // ------------------------------------------------------------------ ONNX pieces

    public static byte[] floatsLE(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) b.putFloat(x);
        return b.array();
    }

    public static byte[] longsLE(long[] v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long x : v) b.putLong(x);
        return b.array();
    }

    /** TensorProto with raw_data. */
    public static ProtoWriter tensor(String name, int dataType, long[] dims, byte[] raw) {
        ProtoWriter t = new ProtoWriter();
        if (dims.length > 0) t.packed(1, dims);
        t.varint(2, dataType);
        if (name != null) t.string(8, name);
        if (raw != null) t.bytes(9, raw);
        return t;
    }

    /** NodeProto. */
    public static ProtoWriter node(String name, String op, String[] inputs, String[] outputs, ProtoWriter... attributes) {
        ProtoWriter n = new ProtoWriter();
        for (String i : inputs) n.string(1, i);
        for (String o : outputs) n.string(2, o);
        n.string(3, name);
        n.string(4, op);
        for (ProtoWriter a : attributes) n.message(5, a);
        return n;
    }

    /** AttributeProto holding a tensor (type TENSOR = 4). */
    public static ProtoWriter tensorAttribute(String name, ProtoWriter tensor) {
        return new ProtoWriter().string(1, name).message(5, tensor).varint(20, 4);
    }

    /** AttributeProto holding an int (type INT = 2). */
    public static ProtoWriter intAttribute(String name, long v) {
        return new ProtoWriter().string(1, name).varint(3, v).varint(20, 2);
    }

    /** ValueInfoProto: a float tensor value with the given name (shape left open). */
    public static ProtoWriter floatValueInfo(String name) {
        ProtoWriter tensorType = new ProtoWriter().varint(1, OnnxModel.FLOAT);
        ProtoWriter type = new ProtoWriter().message(1, tensorType);
        return new ProtoWriter().string(1, name).message(2, type);
    }
}
