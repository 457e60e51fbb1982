package org.emergence.mi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DiscreteExactTest {
    /** n rows drawn from k clusters (random 8-dim centres); Y is the cluster's own 5-dim code. */
    static Matrix[] clusters(int n, int k, long seed) {
        Rng r = new Rng(seed);
        float[][] cx = new float[k][8], cy = new float[k][5];
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < 8; j++) cx[c][j] = (float) r.gaussian();
            for (int j = 0; j < 5; j++) cy[c][j] = (float) r.gaussian();
        }
        float[] x = new float[n * 8], y = new float[n * 5];
        for (int i = 0; i < n; i++) {
            int c = i % k; // exactly equiprobable
            System.arraycopy(cx[c], 0, x, i * 8, 8);
            System.arraycopy(cy[c], 0, y, i * 5, 5);
        }
        return new Matrix[] {new Matrix(x, n, 8), new Matrix(y, n, 5)};
    }

    @Test
    void equiprobableClustersGiveLog2kBits() {
        for (int k : new int[] {2, 8, 37}) {
            Matrix[] xy = clusters(2960, k, k); // 2960 = 8·370 = 37·80: exactly equiprobable
            Estimate e = Estimators.get("discrete-exact").estimate(xy[0], xy[1], 0);
            // plug-in is exactly ln k; Miller–Madow adds (k − 1)/(2n)
            assertEquals(Math.log(k) / Math.log(2), e.bits(), 0.01, "k=" + k);
            assertEquals(Math.log(k) + (k - 1) / (2.0 * 2960), e.nats(), 1e-9);
            assertEquals("discrete-exact", e.estimator());
        }
    }

    @Test
    void constantVariableGivesZero() {
        Matrix[] xy = clusters(1000, 5, 1);
        Estimate e = Estimators.get("discrete-exact").estimate(xy[0], TestData.constant(1000, 3, 2f), 0);
        assertEquals(0, e.nats(), 0);
        assertTrue(e.warnings().get(0).contains("constant"));
    }

    @Test
    void manyToOneMapGivesEntropyOfY() {
        // X uniform on 12 symbols, Y = X mod 3 with unequal class sizes: I = H(Y)
        int n = 24000;
        Rng r = new Rng(3);
        float[] x = new float[n], y = new float[n];
        int[] counts = new int[3];
        for (int i = 0; i < n; i++) {
            int s = r.nextInt(12);
            x[i] = s;
            y[i] = s < 6 ? 0 : (s < 9 ? 1 : 2); // P(Y) = 1/2, 1/4, 1/4
            counts[(int) y[i]]++;
        }
        double h = 0;
        for (double p : new double[] {0.5, 0.25, 0.25}) h -= p * Math.log(p);
        Estimate e = Estimators.get("discrete-exact").estimate(new Matrix(x, n, 1), new Matrix(y, n, 1), 0);
        assertEquals(h, e.nats(), 0.01);
        double empirical = 0;
        for (int c : counts) empirical -= (double) c / n * Math.log((double) c / n);
        assertEquals(empirical + 2.0 / (2 * n), e.nats(), 1e-9, "plug-in H(Y) plus Miller–Madow (my − 1)/2n");
        assertTrue(e.ciLowNats() < e.nats() && e.nats() < e.ciHighNats());
    }

    @Test
    void autoPolicyPicksDiscreteForPointCloudsOnly() {
        Matrix[] xy = clusters(2000, 10, 2);
        AutoEstimator auto = Estimators.auto(Estimators.get("gaussian-copula"), 0.05);
        Estimate e = auto.estimate(xy[0], xy[1], 0);
        assertEquals("discrete-exact", e.estimator());
        assertTrue(String.valueOf(e.diagnostics().get("auto_choice")).startsWith("discrete-exact"));
        Matrix[] cont = TestData.correlated(2000, 3, 2, 0.5, 2);
        assertEquals("gaussian-copula", auto.estimate(cont[0], cont[1], 0).estimator());
        assertSame(auto.choose(cont[0], cont[1]).getClass(), GaussianEstimator.class);
    }
}
