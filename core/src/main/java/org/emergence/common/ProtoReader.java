package org.emergence.common;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A cursor over one protocol-buffer message in a byte buffer (absolute positions, so a
 * memory-mapped file is never copied). Reads the wire format only: varint (0), 64-bit (1),
 * length-delimited (2) and 32-bit (5) fields; groups (3, 4) are refused as malformed.
 */
public final class ProtoReader {
    public static final int VARINT = 0, FIXED64 = 1, LEN = 2, FIXED32 = 5;

    /** Thrown for bytes that are not a well-formed message; the caller names the file. */
    public static final class Malformed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public Malformed(String what, int at) {
            super(what + " at byte " + at);
        }
    }

    private final ByteBuffer buf;
    private int pos;
    private final int end;
    private int field;
    private int wire;
    private int fieldStart;

    public ProtoReader(ByteBuffer buf, int start, int end) {
        this.buf = buf.order() == ByteOrder.LITTLE_ENDIAN ? buf : buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        this.pos = start;
        this.end = end;
    }

    /** Advances to the next field; false at the end of the message. */
    public boolean next() {
        if (pos >= end) return false;
        fieldStart = pos;
        long key = varint();
        field = (int) (key >>> 3);
        wire = (int) (key & 7);
        if (field <= 0 || key >>> 3 > 0x1fffffffL) throw new Malformed("invalid field number " + (key >>> 3), fieldStart);
        if (wire != VARINT && wire != FIXED64 && wire != LEN && wire != FIXED32) {
            throw new Malformed("unsupported wire type " + wire + " (field " + field + ")", fieldStart);
        }
        return true;
    }

    public int field() {
        return field;
    }

    public int wire() {
        return wire;
    }

    /** Byte position of the current field's key. */
    public int fieldStart() {
        return fieldStart;
    }

    public int position() {
        return pos;
    }

    public long varint() {
        long r = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= end) throw new Malformed("truncated varint", pos);
            byte b = buf.get(pos++);
            r |= (long) (b & 0x7f) << shift;
            if (b >= 0) return r;
        }
        throw new Malformed("varint longer than 10 bytes", pos);
    }

    public int fixed32() {
        if (pos + 4 > end) throw new Malformed("truncated 32-bit field", pos);
        int v = buf.getInt(pos);
        pos += 4;
        return v;
    }

    public long fixed64() {
        if (pos + 8 > end) throw new Malformed("truncated 64-bit field", pos);
        long v = buf.getLong(pos);
        pos += 8;
        return v;
    }

    /** Length of the current length-delimited field; leaves the cursor at its first byte. */
    public int length() {
        long n = varint();
        if (n < 0 || n > end - pos) throw new Malformed("length " + n + " runs past the end of the message (truncated file?)", pos);
        return (int) n;
    }

    /** A reader over the current length-delimited field's bytes; the cursor moves past them. */
    public ProtoReader message() {
        requireWire(LEN);
        int n = length();
        ProtoReader r = new ProtoReader(buf, pos, pos + n);
        pos += n;
        return r;
    }

    /** Start and length of the current length-delimited field's bytes; the cursor moves past them. */
    public int[] span() {
        requireWire(LEN);
        int n = length();
        int[] s = {pos, n};
        pos += n;
        return s;
    }

    public String string() {
        int[] s = span();
        byte[] b = new byte[s[1]];
        buf.get(s[0], b, 0, s[1]);
        return new String(b, StandardCharsets.UTF_8);
    }

    /** Skips the current field's value. */
    public void skip() {
        switch (wire) {
            case VARINT -> varint();
            case FIXED64 -> {
                if (pos + 8 > end) throw new Malformed("truncated 64-bit field", pos);
                pos += 8;
            }
            case FIXED32 -> {
                if (pos + 4 > end) throw new Malformed("truncated 32-bit field", pos);
                pos += 4;
            }
            case LEN -> {
                int n = length(); // not "pos += length()": Java reads pos before the call advances it
                pos += n;
            }
            default -> throw new Malformed("unsupported wire type " + wire, pos);
        }
    }

    /** A repeated int64 field element or packed run, appended to {@code out}. */
    public void int64s(LongList out) {
        if (wire == VARINT) {
            out.add(varint());
        } else if (wire == LEN) {
            int n = length();
            int stop = pos + n;
            ProtoReader r = new ProtoReader(buf, pos, stop);
            while (r.pos < stop) out.add(r.varint());
            pos = stop;
        } else {
            throw new Malformed("expected an integer field, found wire type " + wire, fieldStart);
        }
    }

    /** A repeated float field element or packed run, appended to {@code out}. */
    public void floats(FloatList out) {
        if (wire == FIXED32) {
            out.add(Float.intBitsToFloat(fixed32()));
        } else if (wire == LEN) {
            int n = length();
            if (n % 4 != 0) throw new Malformed("packed floats of " + n + " bytes", pos);
            for (int i = 0; i < n; i += 4) out.add(buf.getFloat(pos + i));
            pos += n;
        } else {
            throw new Malformed("expected a float field, found wire type " + wire, fieldStart);
        }
    }

    private void requireWire(int w) {
        if (wire != w) throw new Malformed("field " + field + " has wire type " + wire + ", expected " + w, fieldStart);
    }

    /** A growable long array. */
    public static final class LongList {
        long[] a = new long[4];
        int n;

        public void add(long v) {
            if (n == a.length) a = java.util.Arrays.copyOf(a, 2 * n);
            a[n++] = v;
        }

        public long[] toArray() {
            return java.util.Arrays.copyOf(a, n);
        }
    }

    /** A growable float array. */
    public static final class FloatList {
        float[] a = new float[4];
        int n;

        public void add(float v) {
            if (n == a.length) a = java.util.Arrays.copyOf(a, 2 * n);
            a[n++] = v;
        }

        public float[] toArray() {
            return java.util.Arrays.copyOf(a, n);
        }
    }
}
