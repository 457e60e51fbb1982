package org.emergence.mi;

import java.util.LinkedHashMap;
import java.util.Map;
import org.emergence.common.UserError;

/**
 * The registry of estimators by name. A spec is {@code name[:key=value…]} (see {@link Options}), e.g.
 * {@code gaussian:bias=false}, {@code mine:steps=2000:critic=separable}.
 */
public final class Estimators {
    private Estimators() {}

    /**
     * The continuous estimator used for IE by default: Gaussian-copula MI with the finite-sample bias
     * correction (see docs/measurement.md, "The estimator", for the measurements behind the choice).
     */
    public static final String DEFAULT = "gaussian-copula";

    /** Default share of distinct (x, y) pairs at or below which {@link #auto} uses discrete-exact. */
    public static final double DEFAULT_DISCRETE_FRACTION = 0.05;

    private static final Map<String, String> DESCRIPTIONS = new LinkedHashMap<>();

    static {
        DESCRIPTIONS.put("gaussian", "MI of the Gaussian with the sample covariance, bias-corrected (options: bias, shrinkage)");
        DESCRIPTIONS.put("gaussian-copula", "gaussian on normal scores (ranks): exact for monotone maps of Gaussians (options: bias, shrinkage)");
        DESCRIPTIONS.put("mixture", "noise-regularised MI of the samples' distribution, computed exactly up to Monte Carlo "
                + "error (needs noise: --noise, or Estimators.withRelativeNoise; options: samples, components)");
        DESCRIPTIONS.put("ksg", "Kraskov–Stögbauer–Grassberger k-NN, algorithm 1, max-norm; low dimensions (options: k, warndim, maxdim)");
        DESCRIPTIONS.put("discrete-exact", "exact MI of the distinct rows' joint counts, Miller–Madow corrected (option: threshold)");
        DESCRIPTIONS.put("mine", "MINE: DV bound, moving-average gradient, minibatches, early stopping, held-out estimate");
        DESCRIPTIONS.put("smile", "SMILE: clipped DV bound (Song & Ermon 2020), same training loop (option: clip)");
        DESCRIPTIONS.put("infonce", "InfoNCE bound, same training loop; ceiling ln(batch)");
        DESCRIPTIONS.put("mine-paper", "MINE as in Chen et al. 2024: 10-layer critic, full batch, max over steps (options: steps, n, widths, lr)");
        DESCRIPTIONS.put("auto", "discrete-exact when distinct (x, y) pairs <= threshold·n, else " + DEFAULT + " (options: threshold, base)");
    }

    /** Known names with one-line descriptions, in display order. */
    public static Map<String, String> descriptions() {
        return java.util.Collections.unmodifiableMap(DESCRIPTIONS);
    }

    /** The estimator for a spec; a UserError names unknown estimators or options. */
    public static Estimator get(String spec) {
        Options o = Options.parse(spec);
        Estimator e = switch (o.name()) {
            case "gaussian" -> GaussianEstimator.fromOptions(o, false);
            case "gaussian-copula" -> GaussianEstimator.fromOptions(o, true);
            case "ksg" -> Ksg.fromOptions(o);
            case "mixture" -> NoisyMixture.fromOptions(o);
            case "discrete-exact" -> new DiscreteExact(o.real("threshold", DEFAULT_DISCRETE_FRACTION, 0, 1));
            case "mine", "smile", "infonce" -> org.emergence.mi.neural.NeuralEstimator.fromOptions(o);
            case "mine-paper" -> org.emergence.mi.neural.MinePaper.fromOptions(o);
            case "auto" -> auto(get(o.string("base", DEFAULT)), o.real("threshold", DEFAULT_DISCRETE_FRACTION, 0, 1));
            default -> throw new UserError("unknown estimator '" + o.name() + "' (known: "
                    + String.join(", ", DESCRIPTIONS.keySet()) + ")");
        };
        o.rejectUnknown();
        return e;
    }

    /** {@code discrete-exact} for samples with at most maxDistinctFraction·n distinct pairs, else {@code base}. */
    public static AutoEstimator auto(Estimator base, double maxDistinctFraction) {
        return new AutoEstimator(base, maxDistinctFraction);
    }

    /**
     * Noise-regularised MI (see {@link NoiseRegularized}); sigma 0 leaves the estimator unchanged.
     *
     * @param absolute σ in the variables' own units; false: σ × each variable's RMS
     * @throws IllegalArgumentException when sigma is negative, NaN or infinite
     */
    public static Estimator withNoise(Estimator base, double sigma, boolean absolute) {
        return new NoiseRegularized(base, sigma, absolute);
    }

    /**
     * I(X + σx·Z; Y + σy·Z′) with σx = factor × RMS(X), σy = factor × RMS(Y) (RMS: root mean squared deviation from the
     * column means over every coordinate), e.g. {@code withRelativeNoise(get("mixture"), 2.0)}.
     */
    public static Estimator withRelativeNoise(Estimator base, double factor) {
        return withNoise(base, factor, false);
    }

    /** I(X + σ·Z; Y + σ·Z′) with σ in the variables' own units. */
    public static Estimator withAbsoluteNoise(Estimator base, double sigma) {
        return withNoise(base, sigma, true);
    }

    /** Whether an estimator computes noise-regularised MI only and must be wrapped with noise ({@code mixture}, alone or as auto's base). */
    public static boolean needsNoise(Estimator e) {
        return e instanceof NoisyMixture || e instanceof AutoEstimator a && a.base() instanceof NoisyMixture;
    }
}
