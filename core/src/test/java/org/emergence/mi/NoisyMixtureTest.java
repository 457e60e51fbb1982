package org.emergence.mi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The mixture estimator against noisy MIs computed by numerical integration, and its ceiling. */
class NoisyMixtureTest {
    /** I(X + σZ; X + σZ′) for X = ±1 equiprobable, by a fine 2-D grid (nats). */
    static double twoPointTruth(double sigma) {
        double lim = 1 + 9 * sigma, h = sigma / 40;
        int m = (int) Math.ceil(2 * lim / h);
        double mi = 0;
        for (int i = 0; i <= m; i++) {
            double u = -lim + i * h;
            double au = phi(u - 1, sigma), bu = phi(u + 1, sigma), pu = 0.5 * (au + bu);
            for (int j = 0; j <= m; j++) {
                double v = -lim + j * h;
                double av = phi(v - 1, sigma), bv = phi(v + 1, sigma), pv = 0.5 * (av + bv);
                double puv = 0.5 * (au * av + bu * bv);
                if (puv > 0) mi += puv * Math.log(puv / (pu * pv)) * h * h;
            }
        }
        return mi;
    }

    static double phi(double x, double s) {
        return Math.exp(-x * x / (2 * s * s)) / (s * Math.sqrt(2 * Math.PI));
    }

    static Matrix twoPoints(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = r.nextBoolean() ? 1f : -1f;
        return new Matrix(v, n, 1);
    }

    @Test
    void matchesNumericalIntegrationOfATwoPointMixture() {
        for (double sigma : new double[] {0.5, 1.0, 2.0}) {
            Matrix x = twoPoints(4000, 3);
            Estimate e = Estimators.withNoise(Estimators.get("mixture"), sigma, true).estimate(x, x, 1);
            double truth = twoPointTruth(sigma);
            // the empirical weights differ from ½ by sampling; the Monte Carlo interval covers the rest
            assertEquals(truth, e.nats(), Math.max(0.02 * truth, 2 * (e.ciHighNats() - e.nats())),
                    "σ=" + sigma + " truth " + truth + " got " + e.nats());
            assertTrue(e.ciLowNats() <= e.nats() && e.nats() <= e.ciHighNats());
        }
    }

    @Test
    void separatedClustersGiveTheirEntropyAndSaySo() {
        int n = 3000, k = 12, d = 16;
        SplittableRandom r = new SplittableRandom(5);
        float[][] centers = new float[k][d];
        for (float[] c : centers) for (int j = 0; j < d; j++) c[j] = (float) (10 * r.nextGaussian());
        float[] x = new float[n * d], y = new float[n * 2];
        for (int i = 0; i < n; i++) {
            int c = i % k;
            System.arraycopy(centers[c], 0, x, i * d, d);
            y[2 * i] = (float) Math.sin(c);          // a deterministic many-to-one-free map of the cluster
            y[2 * i + 1] = (float) Math.cos(3 * c);
        }
        Estimate e = Estimators.withNoise(Estimators.get("mixture"), 0.01, true)
                .estimate(new Matrix(x, n, d), new Matrix(y, n, 2), 2);
        assertEquals(Math.log(k), e.nats(), 0.01);
        assertTrue(e.warnings().stream().anyMatch(w -> w.contains("property of the dataset")), e.warnings().toString());
    }

    @Test
    void aSubsampledMixtureStillEstimatesTheSameQuantity() {
        // more distinct pairs than components: the mixture and its noise draws use the same subsample
        SplittableRandom r = new SplittableRandom(11);
        int n = 6000;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) r.nextGaussian();
        Matrix x = new Matrix(v, n, 1);
        Estimate e = Estimators.withNoise(Estimators.get("mixture:components=2000:samples=16000"), 1.0, true).estimate(x, x, 4);
        // I(X + Z; X + Z') for X ~ N(0, 1): ½·ln(4/3) = 0.1438 nats
        assertEquals(0.5 * Math.log(4.0 / 3.0), e.nats(), 0.02);
        assertTrue(e.warnings().stream().anyMatch(w -> w.contains("subsample")), e.warnings().toString());
        // far-apart points and little noise: the subsample's entropy, ln 500 — not a draw from outside the mixture
        int m = 3000, d = 16;
        float[] p = new float[m * d];
        for (int i = 0; i < p.length; i++) p[i] = (float) (10 * r.nextGaussian());
        Matrix pts = new Matrix(p, m, d);
        Estimate sat = Estimators.withNoise(Estimators.get("mixture:components=500"), 0.01, true).estimate(pts, pts, 5);
        assertEquals(Math.log(500), sat.nats(), 0.01);
    }

    @Test
    void independentVariablesGiveZero() {
        SplittableRandom r = new SplittableRandom(7);
        int n = 2000;
        float[] a = new float[n * 3], b = new float[n * 3];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) r.nextGaussian();
            b[i] = (float) r.nextGaussian();
        }
        Estimate e = Estimators.withNoise(Estimators.get("mixture"), 1.0, false).estimate(new Matrix(a, n, 3), new Matrix(b, n, 3), 3);
        assertEquals(0, e.nats(), 0.05);
    }

    @Test
    void refusesToRunWithoutNoise() {
        Matrix x = twoPoints(100, 1);
        // a library call gets a library message (the CLI checks --noise itself: JavaApiSnippetTest)
        IllegalStateException u = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> Estimators.get("mixture").estimate(x, x, 1));
        assertTrue(u.getMessage().contains("Estimators.withRelativeNoise"));
    }

    @Test
    void knownDiagnosticsGiveTheSameEstimateAsComputingThemAfresh() {
        // the mixture groups rows with the row ids the diagnostics already hold: reusing them must not change a bit
        int n = 3000, d = 8;
        SplittableRandom r = new SplittableRandom(11);
        float[] x = new float[n * d], y = new float[n * d];
        for (int i = 0; i < n; i++) {
            int c = r.nextInt(40); // duplicated rows, so the grouping matters
            for (int j = 0; j < d; j++) {
                x[i * d + j] = c * (j + 1);
                y[i * d + j] = (float) (x[i * d + j] + (i % 3));
            }
        }
        Matrix mx = new Matrix(x, n, d), my = new Matrix(y, n, d);
        NoisyMixture mix = new NoisyMixture(512, 64).withNoise(0.7, 0.9);
        Estimate fresh = mix.estimate(mx, my, 4);
        Estimate known = mix.estimate(mx, my, 4, Diagnostics.of(mx, my));
        assertEquals(fresh.nats(), known.nats(), 0.0);
        assertEquals(fresh.ciLowNats(), known.ciLowNats(), 0.0);
        assertEquals(fresh.diagnostics(), known.diagnostics());
    }

    /** Two far-apart clusters of 100 and 400 identical rows, in the given order (first cluster first, or last). */
    static Matrix sortedClusters(boolean smallFirst) {
        int n = 500;
        float[] v = new float[n * 2];
        for (int i = 0; i < n; i++) {
            boolean small = smallFirst ? i < 100 : i >= 400;
            v[2 * i] = small ? 10f : -10f;
            v[2 * i + 1] = small ? 5f : -5f;
        }
        return new Matrix(v, n, 2);
    }

    @Test
    void everyRowGetsTheSameNumberOfDrawsWhateverTheRowOrder() {
        // X = Y on two separated clusters with weights 0.2 and 0.8: every draw's pointwise MI is −ln(weight of its
        // cluster), so the estimate is the entropy H(0.2, 0.8) = 0.5004 nats exactly when rows get equal draws; with
        // draws cycling through the rows (4096 = 8·500 + 96) the first 96 rows got one more and the value depended
        // on which cluster was sorted first (0.5264 / 0.4939)
        double exact = -(0.2 * Math.log(0.2) + 0.8 * Math.log(0.8));
        for (boolean smallFirst : new boolean[] {true, false}) {
            Matrix x = sortedClusters(smallFirst);
            for (long seed = 1; seed <= 3; seed++) {
                Estimate e = Estimators.withNoise(Estimators.get("mixture"), 0.1, true).estimate(x, x, seed);
                assertEquals(exact, e.nats(), 1e-9, "small cluster first: " + smallFirst + ", seed " + seed);
                assertTrue(e.ciLowNats() <= exact && exact <= e.ciHighNats());
                assertEquals(8 * 500, ((Number) e.diagnostics().get("mixture_noise_draws")).intValue());
            }
        }
    }
}
