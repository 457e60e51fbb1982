package org.emergence.tensor;

import java.lang.ref.Reference;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_full;

/**
 * Matrix products for the whole project, row-major throughout: C = alpha·op(A)·op(B) + beta·C with
 * op(X) = X or Xᵀ. Runs on OpenBLAS when {@link Blas#available()}, otherwise on {@link JavaGemm}.
 *
 * <p>Buffers must be direct (off-heap) for the native path to use them in place; a weight stored
 * [out, in] (PyTorch Linear) is used with {@code transB = true}, one stored [in, out] (GPT-2 Conv1D,
 * ONNX MatMul) with {@code transB = false}, so checkpoints are never transposed on load.
 */
public final class Gemm {
    private Gemm() {}

    private static final int ROW = openblasRowMajor();

    /** Cumulative single-precision GEMM work, for benchmarks (2·m·n·k flops per call). */
    public static final class Stats {
        private static final java.util.concurrent.atomic.LongAdder FLOPS = new java.util.concurrent.atomic.LongAdder();
        private static final java.util.concurrent.atomic.LongAdder NANOS = new java.util.concurrent.atomic.LongAdder();

        private Stats() {}

        public static void reset() {
            FLOPS.reset();
            NANOS.reset();
        }

        public static double flops() {
            return FLOPS.sum();
        }

        public static double seconds() {
            return NANOS.sum() / 1e9;
        }

        /** Counts a product computed elsewhere (oneDNN). */
        static void add(long flops, long nanos) {
            FLOPS.add(flops);
            NANOS.add(nanos);
        }
    }

    /** Single precision, buffers with element offsets. */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             FloatBuffer a, long aOff, int lda, FloatBuffer b, long bOff, int ldb,
                             float beta, FloatBuffer c, long cOff, int ldc) {
        if (m == 0 || n == 0) return;
        long t0 = System.nanoTime();
        sgemmDispatch(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        Stats.NANOS.add(System.nanoTime() - t0);
        Stats.FLOPS.add(2L * m * n * k);
    }

    private static void sgemmDispatch(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                      FloatBuffer a, long aOff, int lda, FloatBuffer b, long bOff, int ldb,
                                      float beta, FloatBuffer c, long cOff, int ldc) {
        if (Blas.available() && a.isDirect() && b.isDirect() && c.isDirect()) {
            FloatPointer pa = new FloatPointer(a).position(aOff);
            FloatPointer pb = new FloatPointer(b).position(bOff);
            FloatPointer pc = new FloatPointer(c).position(cOff);
            openblas_full.cblas_sgemm(ROW, trans(transA), trans(transB), m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
            // the pointers do not own the memory: keep the buffers (and so their memory) alive until here
            Reference.reachabilityFence(a);
            Reference.reachabilityFence(b);
            Reference.reachabilityFence(c);
        } else {
            JavaGemm.sgemm(transA, transB, m, n, k, alpha, a, (int) aOff, lda, b, (int) bOff, ldb, beta, c, (int) cOff, ldc);
        }
    }

    /** Single precision on heap arrays (the native path copies them across JNI). */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] a, int lda, float[] b, int ldb, float beta, float[] c, int ldc) {
        if (m == 0 || n == 0) return;
        if (Blas.available()) {
            openblas_full.cblas_sgemm(ROW, trans(transA), trans(transB), m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        } else {
            JavaGemm.sgemm(transA, transB, m, n, k, alpha, FloatBuffer.wrap(a), 0, lda, FloatBuffer.wrap(b), 0, ldb,
                    beta, FloatBuffer.wrap(c), 0, ldc);
        }
    }

    /** Double precision on heap arrays. */
    public static void dgemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                             double[] a, int lda, double[] b, int ldb, double beta, double[] c, int ldc) {
        if (m == 0 || n == 0) return;
        if (Blas.available()) {
            openblas_full.cblas_dgemm(ROW, trans(transA), trans(transB), m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        } else {
            JavaGemm.dgemm(transA, transB, m, n, k, alpha, DoubleBuffer.wrap(a), 0, lda, DoubleBuffer.wrap(b), 0, ldb,
                    beta, DoubleBuffer.wrap(c), 0, ldc);
        }
    }

    /** Double precision on direct buffers. */
    public static void dgemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                             DoubleBuffer a, long aOff, int lda, DoubleBuffer b, long bOff, int ldb,
                             double beta, DoubleBuffer c, long cOff, int ldc) {
        if (m == 0 || n == 0) return;
        if (Blas.available() && a.isDirect() && b.isDirect() && c.isDirect()) {
            DoublePointer pa = new DoublePointer(a).position(aOff);
            DoublePointer pb = new DoublePointer(b).position(bOff);
            DoublePointer pc = new DoublePointer(c).position(cOff);
            openblas_full.cblas_dgemm(ROW, trans(transA), trans(transB), m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
            Reference.reachabilityFence(a);
            Reference.reachabilityFence(b);
            Reference.reachabilityFence(c);
        } else {
            JavaGemm.dgemm(transA, transB, m, n, k, alpha, a, (int) aOff, lda, b, (int) bOff, ldb, beta, c, (int) cOff, ldc);
        }
    }

    /** Direct float buffer of n elements in native byte order, zero-filled. */
    public static FloatBuffer allocate(long n) {
        if (n > Integer.MAX_VALUE / 4) {
            throw new IllegalArgumentException("buffer of " + n + " floats exceeds 2 GB; split the work");
        }
        return java.nio.ByteBuffer.allocateDirect((int) (n * 4)).order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /** Direct double buffer of n elements in native byte order, zero-filled. */
    public static DoubleBuffer allocateDouble(long n) {
        if (n > Integer.MAX_VALUE / 8) {
            throw new IllegalArgumentException("buffer of " + n + " doubles exceeds 2 GB; split the work");
        }
        return java.nio.ByteBuffer.allocateDirect((int) (n * 8)).order(java.nio.ByteOrder.nativeOrder()).asDoubleBuffer();
    }

    private static int trans(boolean t) {
        return t ? 112 /* CblasTrans */ : 111 /* CblasNoTrans */;
    }

    private static int openblasRowMajor() {
        return 101; // CblasRowMajor; a constant of the CBLAS ABI, so reading it never loads the library
    }
}
