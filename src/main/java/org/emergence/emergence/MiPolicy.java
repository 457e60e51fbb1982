package org.emergence.emergence;

import java.util.Locale;
import org.emergence.mi.DiscreteExact;
import org.emergence.mi.Estimate;
import org.emergence.mi.Estimator;
import org.emergence.mi.Estimators;
import org.emergence.mi.Matrix;

/**
 * Which estimator computes each MI of a run, and what that means (the "mode" recorded next to every
 * value).
 *
 * <ul>
 *   <li><b>Noise mode</b> (σ &gt; 0, the default): every level uses the same continuous estimator on
 *       I(X + σZ; Y + σZ′). Values are finite and depend on the representations' geometry, and
 *       E(l, t) compares like with like.</li>
 *   <li><b>Raw mode</b> (σ = 0): a token fed alone is a deterministic function of one discrete token,
 *       so micro pairs (and every layer-0 pair) are point clouds with few distinct values; their MI is
 *       computed exactly from the joint counts ({@code discrete-exact}). Other pairs use discrete-exact
 *       when they have few distinct (x, y) pairs, else the continuous estimator. E(l, t) then subtracts
 *       a discrete entropy from a continuous estimate — mixed modes, flagged in summary.json and the
 *       report.</li>
 * </ul>
 */
final class MiPolicy {
    private final RunSettings s;
    private final Estimator continuous;
    private final Estimator exact;
    private final Estimator auto;

    MiPolicy(RunSettings s) {
        this.s = s;
        Estimator base = Estimators.get(s.estimator());
        if (s.noisy()) {
            this.continuous = Estimators.withNoise(base, s.noise(), s.noiseAbsolute());
            this.exact = null;
            this.auto = null;
        } else {
            this.continuous = base;
            this.exact = new DiscreteExact(s.discreteThreshold());
            this.auto = Estimators.auto(base, s.discreteThreshold());
        }
    }

    /** How values of this level and layer are computed, in words (recorded with each value). */
    String mode(Level level, int layer, boolean randomInputs) {
        if (s.noisy()) return noiseMode();
        if (!randomInputs && (level == Level.MICRO || layer == 0)) return "discrete-exact";
        return "continuous";
    }

    String noiseMode() {
        return String.format(Locale.ROOT, "noise σ=%s (%s)", trim(s.noise()), s.noiseAbsolute() ? "absolute" : "relative to RMS");
    }

    /** Estimates one pair. Deterministic for the seed. */
    Estimate estimate(Level level, int layer, boolean randomInputs, Matrix x, Matrix y, long seed) {
        if (s.noisy()) return continuous.estimate(x, y, seed);
        if (!randomInputs && (level == Level.MICRO || layer == 0)) return exact.estimate(x, y, seed);
        return auto.estimate(x, y, seed);
    }

    /** True when E(l, t) combines values of different modes (raw mode on token inputs). */
    boolean mixed(boolean randomInputs) {
        return !s.noisy() && !randomInputs;
    }

    static String trim(double v) {
        String t = String.format(Locale.ROOT, "%.6g", v);
        if (t.contains(".") && !t.contains("e")) t = t.replaceAll("0+$", "").replaceAll("\\.$", "");
        return t;
    }
}
