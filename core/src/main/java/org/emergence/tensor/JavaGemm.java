package org.emergence.tensor;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * Pure-Java GEMM, used when OpenBLAS cannot load. Row-major, any transposition. Blocks of op(B) are
 * packed into a k-by-n panel so the inner loop is a contiguous axpy that the JIT vectorises; rows
 * of C are split across {@link Parallel} threads. Each C element accumulates over k in the same
 * order whatever the thread count, so results are deterministic.
 */
final class JavaGemm {
    private JavaGemm() {}

    private static final int KB = 256;
    private static final int NB = 512;

    static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                      FloatBuffer a, int aOff, int lda, FloatBuffer b, int bOff, int ldb,
                      float beta, FloatBuffer c, int cOff, int ldc) {
        for (int j0 = 0; j0 < n; j0 += NB) {
            int nb = Math.min(NB, n - j0);
            final int jj = j0;
            // scale this column block of C by beta once
            Parallel.range(m, 16, (r0, r1) -> {
                for (int i = r0; i < r1; i++) {
                    int base = cOff + i * ldc + jj;
                    for (int j = 0; j < nb; j++) c.put(base + j, beta == 0f ? 0f : beta * c.get(base + j));
                }
            });
            for (int p0 = 0; p0 < k; p0 += KB) {
                int kb = Math.min(KB, k - p0);
                float[] panel = new float[kb * nb]; // op(B)[p0:p0+kb, j0:j0+nb]
                for (int p = 0; p < kb; p++) {
                    for (int j = 0; j < nb; j++) {
                        int bi = transB ? bOff + (jj + j) * ldb + p0 + p : bOff + (p0 + p) * ldb + jj + j;
                        panel[p * nb + j] = b.get(bi);
                    }
                }
                final int pp = p0;
                Parallel.range(m, 16, (r0, r1) -> {
                    float[] acc = new float[nb];
                    float[] arow = new float[kb];
                    for (int i = r0; i < r1; i++) {
                        for (int p = 0; p < kb; p++) {
                            int ai = transA ? aOff + (pp + p) * lda + i : aOff + i * lda + pp + p;
                            arow[p] = alpha * a.get(ai);
                        }
                        java.util.Arrays.fill(acc, 0f);
                        for (int p = 0; p < kb; p++) {
                            float av = arow[p];
                            int po = p * nb;
                            for (int j = 0; j < nb; j++) acc[j] += av * panel[po + j];
                        }
                        int base = cOff + i * ldc + jj;
                        for (int j = 0; j < nb; j++) c.put(base + j, c.get(base + j) + acc[j]);
                    }
                });
            }
        }
    }

    static void dgemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                      DoubleBuffer a, int aOff, int lda, DoubleBuffer b, int bOff, int ldb,
                      double beta, DoubleBuffer c, int cOff, int ldc) {
        for (int j0 = 0; j0 < n; j0 += NB) {
            int nb = Math.min(NB, n - j0);
            final int jj = j0;
            Parallel.range(m, 16, (r0, r1) -> {
                for (int i = r0; i < r1; i++) {
                    int base = cOff + i * ldc + jj;
                    for (int j = 0; j < nb; j++) c.put(base + j, beta == 0 ? 0 : beta * c.get(base + j));
                }
            });
            for (int p0 = 0; p0 < k; p0 += KB) {
                int kb = Math.min(KB, k - p0);
                double[] panel = new double[kb * nb];
                for (int p = 0; p < kb; p++) {
                    for (int j = 0; j < nb; j++) {
                        int bi = transB ? bOff + (jj + j) * ldb + p0 + p : bOff + (p0 + p) * ldb + jj + j;
                        panel[p * nb + j] = b.get(bi);
                    }
                }
                final int pp = p0;
                Parallel.range(m, 16, (r0, r1) -> {
                    double[] acc = new double[nb];
                    double[] arow = new double[kb];
                    for (int i = r0; i < r1; i++) {
                        for (int p = 0; p < kb; p++) {
                            int ai = transA ? aOff + (pp + p) * lda + i : aOff + i * lda + pp + p;
                            arow[p] = alpha * a.get(ai);
                        }
                        java.util.Arrays.fill(acc, 0);
                        for (int p = 0; p < kb; p++) {
                            double av = arow[p];
                            int po = p * nb;
                            for (int j = 0; j < nb; j++) acc[j] += av * panel[po + j];
                        }
                        int base = cOff + i * ldc + jj;
                        for (int j = 0; j < nb; j++) c.put(base + j, c.get(base + j) + acc[j]);
                    }
                });
            }
        }
    }
}
