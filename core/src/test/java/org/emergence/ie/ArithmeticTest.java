package org.emergence.ie;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.emergence.data.Dataset;
import org.emergence.mi.Estimate;
import org.emergence.mi.Estimators;
import org.emergence.mi.Matrix;
import org.emergence.model.ModelConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The IE arithmetic on synthetic activations whose MIs are known in closed form: for every (level,
 * layer, position) a Gaussian pair with d coordinates correlated ρ each (MI = −d/2·log2(1 − ρ²)
 * bits) is estimated with the gaussian estimator and assembled; E(l, t), E(l), IE(t) and IE must
 * equal the same combinations of the true MIs within the estimator's tolerance.
 */
class ArithmeticTest {
    static final int LAYERS = 3, T = 4, D = 3, N = 20000;

    static double rho(Level level, int l, int t) {
        return level == Level.MACRO ? 0.5 + 0.1 * l + 0.05 * t : 0.3 + 0.05 * l + 0.1 * (t % 2);
    }

    static double trueBits(double rho) {
        return -D / 2.0 * Math.log(1 - rho * rho) / Math.log(2);
    }

    static Matrix[] pair(double rho, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[N * D], y = new float[N * D];
        for (int i = 0; i < N * D; i++) {
            double a = gauss(r), b = gauss(r);
            x[i] = (float) a;
            y[i] = (float) (rho * a + Math.sqrt(1 - rho * rho) * b);
        }
        return new Matrix[] {new Matrix(x, N, D), new Matrix(y, N, D)};
    }

    static double gauss(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    @ParameterizedTest(name = "causal={0} pairing={1} positions={2}")
    @CsvSource({"true,prefix,last", "false,prefix,all", "true,matched,last", "false,matched,all", "true,matched,all",
        "false,prefix,last"})
    void assembledQuantitiesMatchTheClosedForm(boolean causal, String pairing, String positions) {
        ModelConfig cfg = ModelConfig.builder("synthetic").sizes(LAYERS, D, 1, 1, D, D, 10, 16).causal(causal).build();
        int[] layers = {0, 1, 2};
        Measurement m = new Measurement("gaussian", 0, Measurement.NoiseScale.LAYER, "zero", false,
                Measurement.Pairing.parse(pairing), Measurement.Positions.parse(positions), 0, 0.05);
        RunSettings s = new RunSettings("synthetic", "synthetic", "random", false, N, T, layers, 0, "none", m, java.util.Map.of(), "test");
        Dataset data = new Dataset("random", "random", "synthetic Gaussian pairs", N, T, null, 1, Map.of());
        MiPolicy policy = new MiPolicy(m);
        boolean matched = pairing.equals("matched"), last = positions.equals("last");
        SummaryBuilder sum = new SummaryBuilder(s, cfg, data, "synthetic", policy, true);
        Map<String, Double> truth = new LinkedHashMap<>();
        long seed = 1;
        for (int l = 0; l < LAYERS; l++) {
            for (int t = 0; t < T; t++) {
                for (Level level : new Level[] {Level.MACRO, Level.MICRO}) {
                    double rho = rho(level, l, t);
                    Matrix[] xy = pair(rho, seed++);
                    Estimate e = Estimators.get("gaussian").estimate(xy[0], xy[1], seed);
                    sum.put(new EstimateFile(level, l, t, "continuous", e));
                    truth.put(level + "/" + l + "/" + t, trueBits(rho));
                }
            }
        }
        JsonNode j = sum.json(true);
        double ie = 0;
        double[] ieT = new double[T];
        for (int l = 0; l < LAYERS; l++) {
            double eLayer = 0;
            for (int t = 0; t < T; t++) {
                int upTo = causal ? t : T - 1;
                double micro = 0;
                for (int i = 0; i <= upTo; i++) micro += truth.get(Level.MICRO + "/" + l + "/" + i) / (upTo + 1);
                if (matched) micro = truth.get(Level.MICRO + "/" + l + "/" + t);
                double e = truth.get(Level.MACRO + "/" + l + "/" + t) - micro;
                assertWithin(e, j.get("E").get(l).get(t), "E(" + l + ", " + t + ")");
                ieT[t] += e / LAYERS;
                eLayer += last ? (t == T - 1 ? e : 0) : e / T;
            }
            assertWithin(eLayer, j.get("E_layer").get(l), "E(" + l + ")");
            ie += eLayer / LAYERS;
            JsonNode el = j.get("E_layer").get(l);
            double lo = el.get("ci_low").asDouble(), hi = el.get("ci_high").asDouble();
            assertEquals(true, lo < el.get("bits").asDouble() && el.get("bits").asDouble() < hi, "E(l) interval brackets the value");
        }
        for (int t = 0; t < T; t++) assertWithin(ieT[t], j.get("IE_t").get(t), "IE(" + t + ")");
        assertWithin(ie, j.get("IE"), "IE");
    }

    /**
     * The truth lies within 1.5 half-widths of the reported 95% interval (about 3 standard errors):
     * checks the value and that the propagated interval is neither missing nor far too narrow.
     */
    static void assertWithin(double truth, JsonNode q, String what) {
        double v = q.get("bits").asDouble(), lo = q.get("ci_low").asDouble(), hi = q.get("ci_high").asDouble();
        double half = Math.max(v - lo, hi - v);
        org.junit.jupiter.api.Assertions.assertTrue(half > 0 && half < 0.2, what + ": interval half-width " + half);
        assertEquals(truth, v, 1.5 * half, what + " [" + lo + ", " + hi + "]");
    }
}
