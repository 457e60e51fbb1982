package org.emergence.mi.neural;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.emergence.mi.Estimate;
import org.emergence.mi.Estimators;
import org.emergence.mi.Matrix;
import org.emergence.mi.Options;
import org.emergence.mi.Rng;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("slow")
class NeuralEstimatorTest {
    /** X ~ N(0, I_d); Y_j = ρ·X_j + sqrt(1 − ρ²)·noise. */
    static Matrix[] correlated(int n, int d, double rho, long seed) {
        Rng r = new Rng(seed);
        float[] x = new float[n * d], y = new float[n * d];
        for (int i = 0; i < x.length; i++) {
            double a = r.gaussian();
            x[i] = (float) a;
            y[i] = (float) (rho * a + Math.sqrt(1 - rho * rho) * r.gaussian());
        }
        return new Matrix[] {new Matrix(x, n, d), new Matrix(y, n, d)};
    }

    @Test
    void boundsRecoverKnownMiOnHeldOutData() {
        Matrix[] xy = correlated(6000, 2, 0.8, 1);
        double truth = -Math.log1p(-0.64); // 2 × −½ ln(1 − ρ²)
        for (String spec : new String[] {"mine:steps=1500", "smile:steps=1500", "infonce:steps=1500"}) {
            Estimate e = Estimators.get(spec).estimate(xy[0], xy[1], 7);
            assertEquals(truth, e.nats(), 0.15 * truth, spec);
            assertTrue(e.ciLowNats() <= e.nats() && e.nats() <= e.ciHighNats(), spec);
            assertEquals(1200, e.diagnostics().get("n_test"), spec);
        }
        Matrix[] ind = correlated(6000, 2, 0, 2);
        for (String spec : new String[] {"mine:steps=600", "smile:steps=600", "infonce:steps=600"}) {
            assertEquals(0, Estimators.get(spec).estimate(ind[0], ind[1], 7).nats(), 0.05, spec);
        }
    }

    @Test
    void deterministicForASeed() {
        Matrix[] xy = correlated(1000, 3, 0.6, 3);
        for (String spec : new String[] {"mine:steps=100", "infonce:steps=100:critic=concat:batch=32"}) {
            double a = Estimators.get(spec).estimate(xy[0], xy[1], 5).nats();
            double b = Estimators.get(spec).estimate(xy[0], xy[1], 5).nats();
            assertEquals(a, b, 0.0, spec);
        }
    }

    @Test
    void nearDeterministicDataIsFlaggedSaturated() {
        Matrix[] xy = correlated(400, 2, 0.999999, 4); // true MI ≈ 13 nats, test split of 80: ceiling ln 80 ≈ 4.4
        Estimate e = Estimators.get("infonce:steps=400").estimate(xy[0], xy[1], 0);
        assertTrue(e.warnings().stream().anyMatch(w -> w.startsWith("saturated")), e.warnings().toString());
        assertEquals(Math.log(80), (double) e.diagnostics().get("ceiling_nats"), 1e-12);
        assertTrue(e.nats() <= Math.log(80) + 1e-9, "InfoNCE cannot exceed ln(n_eval)");
    }

    @Test
    void paperConfigurationReportsMaximumAndHeldOutBound() {
        Matrix[] xy = correlated(1500, 2, 0.8, 5);
        Estimate e = Estimators.get("mine-paper:steps=40:widths=32/16/8").estimate(xy[0], xy[1], 0);
        double finalTrain = (double) e.diagnostics().get("final_train_nats");
        assertTrue(e.nats() >= finalTrain, "max over steps >= last step");
        assertTrue(e.diagnostics().containsKey("heldout_nats"));
        assertEquals(40, e.diagnostics().get("steps_run"));
        assertTrue(e.warnings().stream().anyMatch(w -> w.contains("maximum of the training-set bound")));
        MinePaper p = MinePaper.fromOptions(Options.parse("mine-paper:steps=100"));
        assertEquals(0, p.learningRate(0), 0);
        assertEquals(0.4e-4, p.learningRate(2), 1e-15);
        assertEquals(1e-4, p.learningRate(5), 1e-15);
        assertEquals(1e-8 + (1e-4 - 1e-8) * Math.pow(1 - 47.0 / 95, 3), p.learningRate(52), 1e-15);
        assertEquals(1e-8, p.learningRate(100), 1e-20);
    }

    @Test
    void concatCriticGradientsMatchFiniteDifferences() {
        Rng r = new Rng(1);
        int b = 4, dx = 3, dy = 2;
        ConcatCritic c = new ConcatCritic(dx, dy, new int[] {5, 4}, 0.01f, r);
        float[] xb = new float[b * dx], yb = new float[b * dy];
        for (int i = 0; i < xb.length; i++) xb[i] = (float) r.gaussian();
        for (int i = 0; i < yb.length; i++) yb[i] = (float) r.gaussian();
        // loss = Σ_k w_k·T_k over all pairs, w fixed
        float[] w = new float[b * b];
        for (int i = 0; i < w.length; i++) w[i] = (float) r.gaussian();
        c.forward(xb, yb, b, null, null);
        c.backward(w.clone());
        for (int pi = 0; pi < c.params.size(); pi++) {
            float[] p = c.params.get(pi), g = c.grads.get(pi);
            for (int k = 0; k < Math.min(p.length, 6); k++) {
                float old = p[k];
                double h = 1e-2;
                p[k] = (float) (old + h);
                double up = dot(c.forward(xb, yb, b, null, null), w);
                p[k] = (float) (old - h);
                double dn = dot(c.forward(xb, yb, b, null, null), w);
                p[k] = old;
                assertEquals((up - dn) / (2 * h), g[k], 2e-2 * Math.max(1, Math.abs(g[k])), "param " + pi + "[" + k + "]");
            }
        }
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (double) a[i] * b[i];
        return s;
    }
}
