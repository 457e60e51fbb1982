package org.emergence.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** oneDNN's matmul as the forward pass calls it: strided operands, accumulation, both weight layouts. */
class DnnlTest {
    private static FloatBuffer random(int n, long seed) {
        FloatBuffer b = Gemm.allocate(n);
        Random r = new Random(seed);
        for (int i = 0; i < n; i++) b.put(i, (float) r.nextGaussian());
        return b;
    }

    @Test
    void fp32MatmulEqualsOpenBlasWithinRounding() {
        assertTrue(Dnnl.available(), Dnnl.describe());
        for (boolean transB : new boolean[] {true, false}) {
            for (float beta : new float[] {0f, 1f}) {
                int m = 37, n = 29, k = 70, lda = 75, ldb = transB ? 72 : 31, ldc = 40, col0 = 5;
                FloatBuffer a = random(m * lda, 1), b = random((transB ? n : k) * ldb, 2);
                FloatBuffer c1 = random(m * ldc + col0, 3), c2 = Gemm.allocate(m * ldc + col0);
                c2.put(0, c1, 0, m * ldc + col0);
                Dnnl.matmul(transB, m, n, k, a, 0, lda, b, 0, ldb, beta, c1, col0, ldc);
                Gemm.sgemm(false, transB, m, n, k, 1f, a, 0, lda, b, 0, ldb, beta, c2, col0, ldc);
                for (int i = 0; i < m * ldc + col0; i++) {
                    assertEquals(c2.get(i), c1.get(i), 1e-4 * (1 + Math.abs(c2.get(i))), "transB " + transB + " beta " + beta + " at " + i);
                }
            }
        }
    }

    /** Where oneDNN reports bf16 units it must have a bf16 matmul that equals the emulated one; elsewhere it refuses bf16. */
    @Test
    void bf16MatmulWhereTheUnitsAreElseRefused() {
        assertTrue(Dnnl.available(), Dnnl.describe());
        String impl = Dnnl.implementation(true, true, 64, 64, 64);
        if (Dnnl.bf16Units() == null) {
            assertNull(impl, "oneDNN offered bf16 (" + impl + ") on " + Dnnl.isaName() + ": the detection would miss it");
            return;
        }
        assertNotNull(impl);
        int m = 33, n = 45, k = 64;
        FloatBuffer a = random(m * k, 4), b = random(n * k, 5);
        Bf16.roundRows(a, 0, k, a, 0, k, m, k);
        Bf16.roundRows(b, 0, k, b, 0, k, n, k);
        ShortBuffer ab = Bf16.allocate(m * k), bb = Bf16.allocate(n * k);
        Bf16.toBits(a, 0, k, ab, 0, k, m, k);
        Bf16.toBits(b, 0, k, bb, 0, k, n, k);
        FloatBuffer c1 = Gemm.allocate(m * n), c2 = Gemm.allocate(m * n);
        Dnnl.matmul(true, m, n, k, ab, 0, k, bb, 0, k, 0f, c1, 0, n);
        Gemm.sgemm(false, true, m, n, k, 1f, a, 0, k, b, 0, k, 0f, c2, 0, n);
        for (int i = 0; i < m * n; i++) assertEquals(c2.get(i), c1.get(i), 1e-4 * (1 + Math.abs(c2.get(i))));
    }
}
