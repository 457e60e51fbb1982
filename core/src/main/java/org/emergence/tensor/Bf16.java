package org.emergence.tensor;

import java.nio.FloatBuffer;
import java.nio.ShortBuffer;

/**
 * bfloat16: the top 16 bits of an IEEE float (8 exponent bits, 7 stored mantissa bits). Rounding is to
 * nearest, ties to even — what PyTorch's {@code .to(torch.bfloat16)} and oneDNN's reorders do — with NaN kept
 * a (quiet) NaN and values past the largest bf16 rounding to infinity. A product of two bf16 numbers is exact
 * in fp32 (8 + 8 significant bits), so "bf16 operands, fp32 accumulation" differs from an fp32 GEMM on the
 * rounded operands only in the order of the fp32 additions.
 */
public final class Bf16 {
    private Bf16() {}

    /** float → bf16 bits, round to nearest even. */
    public static short bits(float f) {
        int b = Float.floatToRawIntBits(f);
        if ((b & 0x7fffffff) > 0x7f800000) return (short) ((b >>> 16) | 0x40); // NaN stays NaN (quiet)
        return (short) ((b + 0x7fff + ((b >>> 16) & 1)) >>> 16);
    }

    /** bf16 bits → float (exact). */
    public static float toFloat(short h) {
        return Float.intBitsToFloat((h & 0xffff) << 16);
    }

    /** f rounded to the nearest bf16 value (ties to even), as a float. */
    public static float round(float f) {
        return toFloat(bits(f));
    }

    /**
     * Rows [0, rows) × columns [0, cols) of src (row stride lds) rounded to bf16 into dst (row stride ldd), as
     * bf16 bits; rows split across the {@link Parallel} threads.
     */
    public static void toBits(FloatBuffer src, int srcOff, int lds, ShortBuffer dst, int dstOff, int ldd, int rows, int cols) {
        Parallel.range(rows, Math.max(1, 16384 / Math.max(1, cols)), (r0, r1) -> {
            float[] x = new float[cols];
            short[] h = new short[cols];
            for (int r = r0; r < r1; r++) {
                src.get(srcOff + r * lds, x, 0, cols);
                for (int j = 0; j < cols; j++) h[j] = bits(x[j]);
                dst.put(dstOff + r * ldd, h, 0, cols);
            }
        });
    }

    /** Same, kept as floats (each value exactly a bf16 number): the operand of the emulated bf16 GEMM. */
    public static void roundRows(FloatBuffer src, int srcOff, int lds, FloatBuffer dst, int dstOff, int ldd, int rows, int cols) {
        Parallel.range(rows, Math.max(1, 16384 / Math.max(1, cols)), (r0, r1) -> {
            float[] x = new float[cols];
            for (int r = r0; r < r1; r++) {
                src.get(srcOff + r * lds, x, 0, cols);
                for (int j = 0; j < cols; j++) x[j] = round(x[j]);
                dst.put(dstOff + r * ldd, x, 0, cols);
            }
        });
    }

    /** Direct short buffer of n elements in native byte order. */
    public static ShortBuffer allocate(long n) {
        if (n > Integer.MAX_VALUE / 2) throw new IllegalArgumentException("buffer of " + n + " bf16 values exceeds 2 GB; split the work");
        return java.nio.ByteBuffer.allocateDirect((int) (n * 2)).order(java.nio.ByteOrder.nativeOrder()).asShortBuffer();
    }
}
