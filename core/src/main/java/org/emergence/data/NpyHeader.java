package org.emergence.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The parsed header of a .npy file: element type, byte order, C-order shape and where the data
 * starts. {@code count()} elements of {@code dtype.size} bytes follow {@code dataOffset}.
 */
public record NpyHeader(DType dtype, boolean bigEndian, long[] shape, long dataOffset) {
    /** The .npy magic string every header starts with. */
    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    /** Header bytes (format 1.0, or 2.0 when the dict does not fit), padded so data starts 64-byte aligned. */
    static byte[] encode(DType type, long[] shape) {
        StringBuilder sh = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sh.append(shape[i]);
            if (shape.length == 1 || i < shape.length - 1) sh.append(shape.length == 1 ? "," : ", ");
        }
        sh.append(')');
        String dict = "{'descr': '<" + type.code + "', 'fortran_order': False, 'shape': " + sh + ", }";
        int prefix = 10;
        int total = pad(prefix + dict.length() + 1);
        int version = 1;
        if (total - prefix > 0xffff) {
            prefix = 12;
            total = pad(prefix + dict.length() + 1);
            version = 2;
        }
        ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) version).put((byte) 0);
        if (version == 1) b.putShort((short) (total - prefix));
        else b.putInt(total - prefix);
        b.put(dict.getBytes(StandardCharsets.ISO_8859_1));
        while (b.position() < total - 1) b.put((byte) ' ');
        b.put((byte) '\n');
        return b.array();
    }

    private static int pad(int n) {
        return (n + 63) / 64 * 64;
    }

    public long count() {
        long n = 1;
        for (long d : shape) n = Math.multiplyExact(n, d);
        return n;
    }

    public int rank() {
        return shape.length;
    }

    public long dim(int i) {
        return shape[i];
    }

    public String shapeString() {
        return Arrays.toString(shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NpyHeader h && h.dtype == dtype && h.bigEndian == bigEndian
                && Arrays.equals(h.shape, shape) && h.dataOffset == dataOffset;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(shape) * 31 + dtype.hashCode();
    }

    @Override
    public String toString() {
        return dtype.numpyName + shapeString();
    }
}
