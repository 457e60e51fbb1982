package org.emergence.tensor;

import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Times one product shape on OpenBLAS and on oneDNN's matmul (fp32, and bf16 where oneDNN has it), the kernels
 * interleaved repeat by repeat (the order alternating) so that a load change on a shared machine hits both alike.
 */
public final class SgemmBench {
    private SgemmBench() {}

    /** Medians in GFLOP/s; bf16 is NaN where oneDNN has no bf16 matmul. */
    public record Result(int m, int n, int k, boolean transB, double openblas, double onednn, double bf16) {
        /** The table's choice: oneDNN only when its median is at least 10% faster. */
        public SgemmChoice.Kernel choice() {
            return onednn >= 1.10 * openblas ? SgemmChoice.Kernel.ONEDNN : SgemmChoice.Kernel.OPENBLAS;
        }
    }

    public static Result measure(int m, int n, int k, boolean transB, int repeats) {
        FloatBuffer a = random((long) m * k, 1), b = random((long) n * k, 2), c = Gemm.allocate((long) m * n);
        int ldb = transB ? k : n;
        boolean bf16 = Dnnl.implementation(true, transB, m, n, k) != null;
        ShortBuffer ab = null, bb = null;
        if (bf16) {
            ab = Bf16.allocate((long) m * k);
            bb = Bf16.allocate((long) n * k);
            Bf16.toBits(a, 0, k, ab, 0, k, m, k);
            Bf16.toBits(b, 0, k, bb, 0, k, n, k);
        }
        double[] tb = new double[repeats], td = new double[repeats], th = new double[repeats];
        // one untimed call each: primitive creation, thread start-up, first touch of the pages
        Gemm.sgemm(false, transB, m, n, k, 1f, a, 0, k, b, 0, ldb, 0f, c, 0, n);
        Dnnl.matmul(transB, m, n, k, a, 0, k, b, 0, ldb, 0f, c, 0, n);
        if (bf16) Dnnl.matmul(transB, m, n, k, ab, 0, k, bb, 0, ldb, 0f, c, 0, n);
        for (int r = 0; r < repeats; r++) {
            for (int i = 0; i < 2; i++) {
                if ((i + r) % 2 == 0) {
                    long t0 = System.nanoTime();
                    Gemm.sgemm(false, transB, m, n, k, 1f, a, 0, k, b, 0, ldb, 0f, c, 0, n);
                    tb[r] = (System.nanoTime() - t0) / 1e9;
                } else {
                    long t0 = System.nanoTime();
                    Dnnl.matmul(transB, m, n, k, a, 0, k, b, 0, ldb, 0f, c, 0, n);
                    td[r] = (System.nanoTime() - t0) / 1e9;
                }
            }
            if (bf16) {
                long t0 = System.nanoTime();
                Dnnl.matmul(transB, m, n, k, ab, 0, k, bb, 0, ldb, 0f, c, 0, n);
                th[r] = (System.nanoTime() - t0) / 1e9;
            }
        }
        double flops = 2.0 * m * n * k / 1e9;
        return new Result(m, n, k, transB, flops / median(tb), flops / median(td), bf16 ? flops / median(th) : Double.NaN);
    }

    private static FloatBuffer random(long n, long seed) {
        FloatBuffer f = Gemm.allocate(n);
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) f.put(i, (float) (r.nextDouble() - 0.5));
        return f;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
