package org.emergence.mi;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The policy for activations: {@code discrete-exact} when the samples are a point cloud with few
 * distinct (x, y) pairs (at most {@code maxDistinctFraction}·n), otherwise the continuous base
 * estimator. The estimate names the estimator actually used; diagnostics say why.
 */
public final class AutoEstimator implements Estimator {
    private final Estimator base;
    private final DiscreteExact discrete;
    private final double maxDistinctFraction;

    public AutoEstimator(Estimator base, double maxDistinctFraction) {
        this.base = base;
        this.maxDistinctFraction = maxDistinctFraction;
        this.discrete = new DiscreteExact(maxDistinctFraction);
    }

    @Override
    public String name() {
        return "auto(" + base.name() + ")";
    }

    /** The continuous estimator used for samples with many distinct pairs. */
    public Estimator base() {
        return base;
    }

    /** The estimator this policy uses for samples with these diagnostics. */
    public Estimator choose(Diagnostics d) {
        return d.distinctXY() <= maxDistinctFraction * d.n() ? discrete : base;
    }

    public Estimator choose(Matrix x, Matrix y) {
        Inputs.requireShapes(x, y, 1);
        return choose(Diagnostics.of(x, y));
    }

    @Override
    public Estimate estimate(Matrix x, Matrix y, long seed) {
        long t0 = System.nanoTime();
        Inputs.requirePair(x, y, 1);
        Diagnostics d = Diagnostics.of(x, y);
        Estimator e = choose(d);
        Estimate r = e instanceof AbstractEstimator a ? a.estimate(x, y, seed, d) : e.estimate(x, y, seed);
        String why = String.format(Locale.ROOT, "%d distinct (x, y) pairs %s %.3g·n = %.0f", d.distinctXY(),
                e == discrete ? "<=" : ">", maxDistinctFraction, maxDistinctFraction * d.n());
        return Estimates.with(r, Map.of("auto_choice", e.name() + " (" + why + ")"), List.of(), (System.nanoTime() - t0) / 1e9);
    }
}
