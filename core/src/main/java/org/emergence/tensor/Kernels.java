package org.emergence.tensor;

import java.nio.FloatBuffer;

/**
 * Row-wise kernels over row-major matrices held in (direct) float buffers. Each row is copied into
 * a per-thread float array, transformed by plain loops the JIT vectorises, and copied back; rows are
 * split across {@link Parallel} threads. Every row is computed by the same code whatever the
 * thread count, so results are deterministic.
 */
public final class Kernels {
    private Kernels() {}

    /** Transforms one row in place: {@code x[0, n)} holds row {@code row}. */
    public interface RowOp {
        void apply(int row, float[] x, int n);
    }

    /** Two rows at once: {@code a} from the first matrix (written back), {@code b} read-only from the second. */
    public interface RowOp2 {
        void apply(int row, float[] a, float[] b, int n);
    }

    /** Applies op to columns [colOff, colOff+cols) of each of {@code rows} rows of stride {@code ld}, starting at {@code off}. */
    public static void mapRows(FloatBuffer buf, int off, int rows, int cols, int ld, int colOff, RowOp op) {
        Parallel.range(rows, Math.max(1, 16384 / Math.max(1, cols)), (r0, r1) -> {
            float[] x = new float[cols];
            for (int r = r0; r < r1; r++) {
                int base = off + r * ld + colOff;
                buf.get(base, x, 0, cols);
                op.apply(r, x, cols);
                buf.put(base, x, 0, cols);
            }
        });
    }

    /** Like mapRows over a (written) and b (read), both [rows, cols] with strides lda, ldb. */
    public static void mapRows2(FloatBuffer a, int aOff, int lda, FloatBuffer b, int bOff, int ldb,
                                int rows, int cols, RowOp2 op) {
        Parallel.range(rows, Math.max(1, 16384 / Math.max(1, cols)), (r0, r1) -> {
            float[] x = new float[cols], y = new float[cols];
            for (int r = r0; r < r1; r++) {
                a.get(aOff + r * lda, x, 0, cols);
                b.get(bOff + r * ldb, y, 0, cols);
                op.apply(r, x, y, cols);
                a.put(aOff + r * lda, x, 0, cols);
            }
        });
    }

    /** a[r, :] += bias for each row (bias of length cols). */
    public static void addBias(FloatBuffer a, int off, int rows, int cols, int ld, int colOff, float[] bias) {
        if (bias == null) return;
        mapRows(a, off, rows, cols, ld, colOff, (r, x, n) -> {
            for (int j = 0; j < n; j++) x[j] += bias[j];
        });
    }

    /** Copies rows×cols from src (stride lds) to dst (stride ldd). */
    public static void copyRows(FloatBuffer src, int srcOff, int lds, FloatBuffer dst, int dstOff, int ldd, int rows, int cols) {
        if (lds == cols && ldd == cols) {
            dst.put(dstOff, src, srcOff, rows * cols);
            return;
        }
        for (int r = 0; r < rows; r++) dst.put(dstOff + r * ldd, src, srcOff + r * lds, cols);
    }
}
