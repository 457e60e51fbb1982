package org.emergence.mi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.emergence.mi.bench.Task;
import org.emergence.mi.bench.Tasks;
import org.emergence.tensor.DoubleLinalg;
import org.junit.jupiter.api.Test;

class GaussianEstimatorTest {
    @Test
    void recoversKnownMiOfCorrelatedGaussians() {
        Matrix[] xy = TestData.correlated(20000, 5, 3, 0.8, 1);
        double truth = TestData.trueMi(3, 0.8);
        for (String name : new String[] {"gaussian", "gaussian-copula"}) {
            Estimate e = Estimators.get(name).estimate(xy[0], xy[1], 0);
            assertEquals(truth, e.nats(), 0.03, name);
            assertTrue(e.ciLowNats() < truth && truth < e.ciHighNats(), name + " interval " + e.ciLowNats() + ".." + e.ciHighNats());
            assertEquals(name, e.estimator());
        }
    }

    @Test
    void biasCorrectionFixesHighDimensionalResidualTask() {
        // 256 dims, n = 4000: the plug-in bias dx·dy/(2n) ≈ 8.2 nats is three times the true MI
        Task t = Tasks.residual(256, 7.0);
        Task.Sample s = t.sample(4000, 3);
        double truth = t.trueMiNats();
        Estimate corrected = Estimators.get("gaussian").estimate(s.x(), s.y(), 0);
        Estimate plugin = Estimators.get("gaussian:bias=false").estimate(s.x(), s.y(), 0);
        assertEquals(truth, corrected.nats(), 0.1 * truth, "bias-corrected");
        assertTrue(plugin.nats() > 2 * truth, "plug-in should be far too high, got " + plugin.nats() + " vs " + truth);
        assertTrue(corrected.warnings().stream().anyMatch(w -> w.contains("10·(dx + dy)")), "few-samples warning");
    }

    @Test
    void logDetBiasMatchesMonteCarlo() {
        // E[log det S] − log det I for p = 3, n = 12 (unbiased S), by simulation
        int p = 3, n = 12, reps = 20000;
        Rng r = new Rng(5);
        double sum = 0;
        for (int rep = 0; rep < reps; rep++) {
            float[] a = new float[n * p];
            for (int i = 0; i < a.length; i++) a[i] = (float) r.gaussian();
            sum += DoubleLinalg.logDet(Diagnostics.covariance(new Matrix(a, n, p)), p);
        }
        assertEquals(GaussianEstimator.logDetBias(p, n), sum / reps, 0.02);
    }

    @Test
    void copulaIsInvariantToMonotoneMaps() {
        Task plain = Tasks.get("normal-5x5-dense"), cube = Tasks.get("halfcube-5x5"), cdf = Tasks.get("normalcdf-5x5");
        Estimator e = Estimators.get("gaussian-copula");
        double a = e.estimate(plain.sample(5000, 9).x(), plain.sample(5000, 9).y(), 0).nats();
        Task.Sample c = cube.sample(5000, 9), d = cdf.sample(5000, 9);
        assertEquals(a, e.estimate(c.x(), c.y(), 0).nats(), 1e-6);
        assertEquals(a, e.estimate(d.x(), d.y(), 0).nats(), 1e-6);
        assertEquals(plain.trueMiNats(), a, 0.1 * plain.trueMiNats());
        // the plain Gaussian estimator is fooled by the half-cube map
        Estimate g = Estimators.get("gaussian").estimate(c.x(), c.y(), 0);
        assertTrue(g.nats() < 0.9 * plain.trueMiNats(), "gaussian on half-cube: " + g.nats());
    }

    @Test
    void noiseRegularisedMatchesClosedFormForLinearMap() {
        // X ~ N(0, Σ) in 4 dims, Y = A·X in 3 dims: I(X + σZ; A·X + σZ′) in closed form
        int n = 20000, dx = 4, dy = 3;
        double[] l = {1, 0, 0, 0, 0.5, 1, 0, 0, -0.3, 0.2, 0.8, 0, 0.1, -0.4, 0.3, 0.6}; // Σ = L·Lᵀ
        double[] a = {1, 0.5, 0, -1, 0, 1, 1, 0.3, 0.7, 0, -0.5, 1};
        Rng r = new Rng(11);
        float[] x = new float[n * dx], y = new float[n * dy];
        for (int i = 0; i < n; i++) {
            double[] z = new double[dx];
            for (int j = 0; j < dx; j++) z[j] = r.gaussian();
            double[] xi = new double[dx];
            for (int j = 0; j < dx; j++) for (int k = 0; k < dx; k++) xi[j] += l[j * dx + k] * z[k];
            for (int j = 0; j < dx; j++) x[i * dx + j] = (float) xi[j];
            for (int j = 0; j < dy; j++) {
                double s = 0;
                for (int k = 0; k < dx; k++) s += a[j * dx + k] * xi[k];
                y[i * dy + j] = (float) s;
            }
        }
        double sigma = 0.5;
        // joint covariance of (X, AX): [[Σ, ΣAᵀ], [AΣ, AΣAᵀ]] plus σ² I
        double[] sig = new double[dx * dx];
        for (int i = 0; i < dx; i++) for (int j = 0; j < dx; j++) for (int k = 0; k < dx; k++) sig[i * dx + j] += l[i * dx + k] * l[j * dx + k];
        int p = dx + dy;
        double[] c = new double[p * p];
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < p; j++) {
                double v = 0;
                for (int u = 0; u < dx; u++) {
                    for (int w = 0; w < dx; w++) {
                        double ai = i < dx ? (i == u ? 1 : 0) : a[(i - dx) * dx + u];
                        double aj = j < dx ? (j == w ? 1 : 0) : a[(j - dx) * dx + w];
                        v += ai * sig[u * dx + w] * aj;
                    }
                }
                c[i * p + j] = v + (i == j ? sigma * sigma : 0);
            }
        }
        int[] ix = {0, 1, 2, 3}, iy = {4, 5, 6};
        double truth = 0.5 * (DoubleLinalg.logDet(DoubleLinalg.sub(c, p, ix), dx)
                + DoubleLinalg.logDet(DoubleLinalg.sub(c, p, iy), dy) - DoubleLinalg.logDet(c, p));
        Estimate e = Estimators.withNoise(Estimators.get("gaussian"), sigma, true).estimate(new Matrix(x, n, dx), new Matrix(y, n, dy), 0);
        assertEquals(truth, e.nats(), 0.02 * truth, "analytic noise");
        assertEquals("analytic (variance added to the covariance diagonal)", e.diagnostics().get("noise"));
        // without noise the relation is deterministic: singular joint covariance, finite value with a warning
        Estimate raw = Estimators.get("gaussian").estimate(new Matrix(x, n, dx), new Matrix(y, n, dy), 0);
        assertTrue(Double.isFinite(raw.nats()) && raw.nats() > truth);
        assertTrue(raw.warnings().stream().anyMatch(w -> w.contains("singular")), raw.warnings().toString());
    }

    @Test
    void relativeNoiseUsesRmsOverAllCoordinates() {
        float[] a = {1, 10, 3, 10, 5, 10}; // columns: {1,3,5} (mean 3, sq. dev 8) and constant 10
        assertEquals(Math.sqrt(8.0 / 6), NoiseRegularized.rms(new Matrix(a, 3, 2)), 1e-12);
        Matrix[] xy = TestData.correlated(2000, 2, 2, 0.9, 4);
        Estimate e = Estimators.withNoise(Estimators.get("gaussian"), 0.5, false).estimate(xy[0], xy[1], 0);
        double sx = (double) e.diagnostics().get("noise_sigma_x");
        assertEquals(0.5 * NoiseRegularized.rms(xy[0]), sx, 1e-12);
        // noise can only lower MI (data processing)
        assertTrue(e.nats() < Estimators.get("gaussian").estimate(xy[0], xy[1], 0).nats());
    }
}
