package org.emergence.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Random;
import org.junit.jupiter.api.Test;

class DoubleLinalgTest {
    /** A = B·Bᵀ (+ ridge) for B [p, r]: rank r without the ridge. */
    static double[] gram(int p, int r, double ridge, long seed) {
        Random rnd = new Random(seed);
        double[] b = new double[p * r];
        for (int i = 0; i < b.length; i++) b[i] = rnd.nextGaussian();
        double[] a = new double[p * p];
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < p; j++) {
                double s = 0;
                for (int k = 0; k < r; k++) s += b[i * r + k] * b[j * r + k];
                a[i * p + j] = s + (i == j ? ridge : 0);
            }
        }
        return a;
    }

    @Test
    void nativeAndJavaAgreeOnLogDetRankAndInverse() {
        int p = 40;
        double[] a = gram(p, 60, 0.1, 1);
        double[] l = a.clone();
        DoubleLinalg.javaCholesky(l, p);
        assertEquals(DoubleLinalg.logDet(a, p), DoubleLinalg.logDetFromCholesky(l, p), 1e-9);
        double[] inv = DoubleLinalg.inverseFromCholesky(l, p);
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < p; j++) {
                double s = 0;
                for (int k = 0; k < p; k++) s += a[i * p + k] * inv[k * p + j];
                assertEquals(i == j ? 1 : 0, s, 1e-8);
            }
        }
        double[] deficient = gram(p, 17, 0, 2);
        assertEquals(17, DoubleLinalg.rank(deficient, p, 1e-10));
        assertEquals(17, DoubleLinalg.javaPivotedRank(deficient.clone(), p, 1e-10 * 60));
        assertFalse(DoubleLinalg.cholesky(gram(p, 17, -1e-3, 3), p), "indefinite");
    }

    @Test
    void covarianceOfBlocksMatchesDefinition() {
        int n = 500;
        Random rnd = new Random(4);
        float[] x = new float[n * 2], y = new float[n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = (float) (100 + rnd.nextGaussian()); // large mean: centring must happen in double
            x[2 * i + 1] = (float) rnd.nextGaussian();
            y[i] = x[2 * i] * 2 + x[2 * i + 1];
        }
        DoubleLinalg.Block bx = new DoubleLinalg.Block(x, 2), by = new DoubleLinalg.Block(y, 1);
        double[] m = DoubleLinalg.means(n, bx, by);
        double[] c = DoubleLinalg.covariance(n, m, bx, by);
        double s02 = 0;
        for (int i = 0; i < n; i++) s02 += (x[2 * i] - m[0]) * (y[i] - m[2]);
        assertEquals(s02 / (n - 1), c[2], 1e-9);
        assertEquals(c[2], c[6], 0);
    }
}
