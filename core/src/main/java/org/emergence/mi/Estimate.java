package org.emergence.mi;

import java.util.List;
import java.util.Map;

/**
 * One mutual-information estimate. Values are in nats; {@link #bits()} converts. The interval is the
 * estimator's own uncertainty (e.g. a bootstrap or a standard error; {@code intervalMethod} says which).
 *
 * @param estimator    name of the estimator that produced the value (e.g. "gaussian", "discrete-exact")
 * @param warnings     human-readable warnings (saturation near the ceiling, too few samples …); never null
 * @param diagnostics  numbers worth keeping next to the value (distinct rows, ranks, steps, ceiling …)
 * @param replicates   resampled values over row groups (jackknife, halves, quarters) when the estimate was
 *                     asked for them ({@link Estimator#estimateWithReplicates}), else null;
 *                     the interval then includes their sampling variance
 */
public record Estimate(String estimator, int n, int dx, int dy, double nats, double ciLowNats, double ciHighNats,
                       String intervalMethod, double seconds, List<String> warnings, Map<String, Object> diagnostics,
                       Replicates replicates) {

    public static final double LOG2E = 1.4426950408889634;

    public double bits() {
        return nats * LOG2E;
    }

    public double ciLowBits() {
        return ciLowNats * LOG2E;
    }

    public double ciHighBits() {
        return ciHighNats * LOG2E;
    }
}
