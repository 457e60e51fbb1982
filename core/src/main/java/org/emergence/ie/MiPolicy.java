package org.emergence.ie;

import java.util.Locale;
import org.emergence.mi.Diagnostics;
import org.emergence.mi.DiscreteExact;
import org.emergence.mi.Estimate;
import org.emergence.mi.Estimates;
import org.emergence.mi.RowIds;
import org.emergence.mi.Estimator;
import org.emergence.mi.Estimators;
import org.emergence.mi.Inputs;
import org.emergence.mi.Matrix;
import org.emergence.mi.NoiseRegularized;
import org.emergence.mi.RowGroups;

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
    private final Measurement m;
    private final Estimator base;
    private final Estimator continuous;
    private final Estimator exact;
    private final Estimator auto;

    MiPolicy(Measurement m) {
        this.m = m;
        this.base = Estimators.get(m.estimator());
        if (m.noisy()) {
            this.continuous = m.noiseScale() == Measurement.NoiseScale.LAYER ? null
                    : Estimators.withNoise(base, m.noise(), m.noiseScale() == Measurement.NoiseScale.ABSOLUTE);
            this.exact = null;
            this.auto = null;
        } else {
            this.continuous = base;
            this.exact = new DiscreteExact(m.discreteThreshold());
            this.auto = Estimators.auto(base, m.discreteThreshold());
        }
    }

    /** How values of this level and layer are computed, in words (recorded with each value). */
    String mode(Level level, int layer, boolean randomInputs) {
        if (m.noisy()) return noiseMode();
        if (!randomInputs && (level == Level.MICRO || layer == 0)) return "discrete-exact";
        return "continuous";
    }

    String noiseMode() {
        String sig = m.noiseScales() == 1 ? Measurement.trim(m.noise()) : java.util.Arrays.stream(m.noiseBand()).mapToObj(Measurement::trim)
                .collect(java.util.stream.Collectors.joining(", ")) + ", mean over the band";
        return String.format(Locale.ROOT, "noise σ=%s (%s)", sig, switch (m.noiseScale()) {
            case LAYER -> m.referenceRms() != null ? "× the reference run's layer RMS, shared by positions and levels"
                    : "× the layer's RMS, shared by positions and levels";
            case VARIABLE -> "relative to each variable's RMS";
            case ABSOLUTE -> "absolute";
        });
    }

    /** True when σ is a multiple of the layer's pooled RMS and the run computes it per block (no reference given). */
    boolean needsLayerScale() {
        return m.noisy() && m.noiseScale() == Measurement.NoiseScale.LAYER && m.referenceRms() == null;
    }

    /**
     * Estimates one pair (with replicates over {@code groups} when not null), then checks it against
     * the entropy bound. Deterministic for the seed.
     *
     * @param layerRms RMS of the block's input and output states when {@link #needsLayerScale()}, else null
     */
    Estimate estimate(Level level, int layer, boolean randomInputs, Matrix x, Matrix y, long seed, RowGroups groups,
                      double[] layerRms) {
        if (m.noisy() && m.noiseScales() > 1) {
            // a band of resolutions: the mean of the MI at σ, 2σ, 4σ …; scale k draws its own noise (k = 0: the seed itself)
            // the scales share the samples, so their diagnostics (covariances, row hashes) are computed once
            double[] band = m.noiseBand();
            java.util.List<Estimate> each = new java.util.ArrayList<>();
            Diagnostics shared = null;
            for (int k = 0; k < band.length; k++) {
                Estimator est = noisyAt(band[k], layer, layerRms);
                long sk = k == 0 ? seed : org.emergence.common.Seeds.mix(seed, 0xBA4D + k);
                Estimate e;
                if (est instanceof NoiseRegularized nr) {
                    if (shared == null) {
                        Inputs.requirePair(x, y, 1);
                        shared = Diagnostics.of(x, y);
                    }
                    e = nr.estimate(x, y, sk, groups, shared);
                } else {
                    e = groups == null ? est.estimate(x, y, sk) : est.estimateWithReplicates(x, y, sk, groups);
                }
                each.add(checkEntropyBound(e, x, y));
            }
            return Estimates.mean(each, "noise_band");
        }
        Estimator est;
        if (m.noisy()) {
            est = noisyAt(m.noise(), layer, layerRms);
        } else if (!randomInputs && (level == Level.MICRO || layer == 0)) {
            est = exact;
        } else {
            est = auto;
        }
        Estimate e = groups == null ? est.estimate(x, y, seed) : est.estimateWithReplicates(x, y, seed, groups);
        return checkEntropyBound(e, x, y);
    }

    /** The estimator with noise σ (a multiple of the layer's RMS, of each variable's, or absolute). */
    private Estimator noisyAt(double sigma, int layer, double[] layerRms) {
        if (m.noiseScale() == Measurement.NoiseScale.LAYER) {
            // the block's input and output RMS: a reference run's (--noise-reference), else this run's own
            double[] r = m.referenceRms();
            double rmsIn = r != null ? r[layer] : layerRms[0], rmsOut = r != null ? r[layer + 1] : layerRms[1];
            return NoiseRegularized.fixed(base, sigma, sigma * rmsIn, sigma * rmsOut);
        }
        return sigma == m.noise() ? continuous : Estimators.withNoise(base, sigma, m.noiseScale() == Measurement.NoiseScale.ABSOLUTE);
    }

    /**
     * The samples are a finite set: X takes k distinct values with empirical entropy H(X), so the true
     * MI (noisy or not) of their distribution is at most min(H(X), H(Y)). A continuous estimate above
     * that bound is an artefact of its model of the data (e.g. the Gaussian approximation of a few
     * tight clusters) and says so.
     */
    static Estimate checkEntropyBound(Estimate e, Matrix x, Matrix y) {
        // every estimate carries the samples' diagnostics; hash the rows again only if one did not
        Object ex = e.diagnostics().get("entropy_x_nats"), ey = e.diagnostics().get("entropy_y_nats");
        double hx = ex instanceof Number v ? v.doubleValue() : RowIds.of(x).entropyNats();
        double hy = ey instanceof Number v ? v.doubleValue() : RowIds.of(y).entropyNats();
        double bound = Math.min(hx, hy);
        java.util.Map<String, Object> extra = java.util.Map.of("entropy_bound_bits", bound * Estimate.LOG2E);
        java.util.List<String> warn = java.util.List.of();
        if (e.nats() > bound + 1e-9 + 0.01 * bound && !e.estimator().equals("discrete-exact")) {
            warn = java.util.List.of(String.format(Locale.ROOT, "above the entropy bound: %.3f bits exceeds the entropy "
                    + "of the samples' distinct values (%.3f bits), which bounds their true MI; the estimator's model "
                    + "of the data (e.g. a Gaussian fit to a few tight clusters) overstates it", e.bits(), bound * Estimate.LOG2E));
        }
        return Estimates.with(e, extra, warn, e.seconds());
    }

    /** True when E(l, t) combines values of different modes (raw mode on token inputs). */
    boolean mixed(boolean randomInputs) {
        return !m.noisy() && !randomInputs;
    }
}
