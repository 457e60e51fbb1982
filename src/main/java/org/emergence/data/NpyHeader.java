package org.emergence.data;

import java.util.Arrays;

/**
 * The parsed header of a .npy file: element type, byte order, C-order shape and where the data
 * starts. {@code count()} elements of {@code dtype.size} bytes follow {@code dataOffset}.
 */
public record NpyHeader(DType dtype, boolean bigEndian, long[] shape, long dataOffset) {
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
