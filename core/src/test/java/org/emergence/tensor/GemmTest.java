package org.emergence.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** OpenBLAS and the pure-Java fallback compute the same products, for every transposition. */
class GemmTest {
    @Test
    void nativeLibraryLoads() {
        assertTrue(Blas.available(), "OpenBLAS must load on the CI platform: " + Blas.describe());
    }

    @Test
    void javaKernelMatchesNaiveAndNative() {
        SplittableRandom r = new SplittableRandom(1);
        int m = 37, n = 53, k = 300;
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                float[] a = rand(r, m * k), b = rand(r, k * n), c0 = rand(r, m * n);
                int lda = ta ? m : k, ldb = tb ? k : n;
                float[] expect = new float[m * n];
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double s = 0;
                        for (int p = 0; p < k; p++) {
                            double av = ta ? a[p * lda + i] : a[i * lda + p];
                            double bv = tb ? b[j * ldb + p] : b[p * ldb + j];
                            s += av * bv;
                        }
                        expect[i * n + j] = (float) (0.5 * s + 2 * c0[i * n + j]);
                    }
                }
                FloatBuffer ab = direct(a), bb = direct(b), cj = direct(c0), cn = direct(c0);
                JavaGemm.sgemm(ta, tb, m, n, k, 0.5f, ab, 0, lda, bb, 0, ldb, 2f, cj, 0, n);
                Gemm.sgemm(ta, tb, m, n, k, 0.5f, ab, 0, lda, bb, 0, ldb, 2f, cn, 0, n);
                for (int i = 0; i < m * n; i++) {
                    assertEquals(expect[i], cj.get(i), 1e-3, "java ta=" + ta + " tb=" + tb);
                    assertEquals(expect[i], cn.get(i), 1e-3, "native ta=" + ta + " tb=" + tb);
                }
            }
        }
    }

    @Test
    void offsetsAndLeadingDimensions() {
        // C written into a column slice of a wider matrix, A read from an offset: as the QKV projection does
        SplittableRandom r = new SplittableRandom(2);
        int m = 5, n = 3, k = 4, ldc = 10, col = 6;
        float[] a = rand(r, 2 + m * k), w = rand(r, n * k);
        FloatBuffer c = Gemm.allocate(m * ldc);
        Gemm.sgemm(false, true, m, n, k, 1f, direct(a), 2, k, direct(w), 0, k, 0f, c, col, ldc);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < ldc; j++) {
                double s = 0;
                if (j >= col && j < col + n) for (int p = 0; p < k; p++) s += a[2 + i * k + p] * w[(j - col) * k + p];
                assertEquals(s, c.get(i * ldc + j), 1e-5);
            }
        }
    }

    static float[] rand(SplittableRandom r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (r.nextDouble() * 2 - 1);
        return v;
    }

    static FloatBuffer direct(float[] v) {
        FloatBuffer b = Gemm.allocate(v.length);
        b.put(0, v);
        return b;
    }
}
