package org.emergence.mi;

/** Small seeded samples for estimator tests. */
final class TestData {
    private TestData() {}

    static Matrix gaussian(int n, int d, long seed) {
        Rng r = new Rng(seed);
        float[] a = new float[n * d];
        for (int i = 0; i < a.length; i++) a[i] = (float) r.gaussian();
        return new Matrix(a, n, d);
    }

    /** Y_j = ρ·X_j + sqrt(1−ρ²)·noise for the first k coordinates, pure noise after. */
    static Matrix[] correlated(int n, int d, int k, double rho, long seed) {
        Matrix x = gaussian(n, d, seed), e = gaussian(n, d, seed + 1);
        float[] y = new float[n * d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                int q = i * d + j;
                y[q] = j < k ? (float) (rho * x.data()[q] + Math.sqrt(1 - rho * rho) * e.data()[q]) : e.data()[q];
            }
        }
        return new Matrix[] {x, new Matrix(y, n, d)};
    }

    static double trueMi(int k, double rho) {
        return -0.5 * k * Math.log1p(-rho * rho);
    }

    static Matrix constant(int n, int d, float v) {
        float[] a = new float[n * d];
        java.util.Arrays.fill(a, v);
        return new Matrix(a, n, d);
    }
}
