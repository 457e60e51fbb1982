package org.emergence.mi;

/**
 * A mutual-information estimator I(X; Y) from paired samples X [n, dx] and Y [n, dy]. Deterministic
 * for a given seed. Implementations never return NaN or infinity: degenerate input gives a finite
 * value with a warning, or a {@link org.emergence.common.UserError} with one clear line.
 */
public interface Estimator {
    String name();

    Estimate estimate(Matrix x, Matrix y, long seed);

    /**
     * The estimate with {@link Replicates} over the row groups, and an interval that covers the
     * sampling variability of a fresh draw of the rows (delete-a-group jackknife) as well as the
     * estimator's own Monte Carlo error. The default recomputes the estimate G + 6 times; estimators
     * with a one-pass form ({@code mixture}) override it.
     */
    default Estimate estimateWithReplicates(Matrix x, Matrix y, long seed, RowGroups groups) {
        Estimate e = estimate(x, y, seed);
        if (groups == null) return e;
        double mc = (e.ciHighNats() - e.ciLowNats()) / (2 * 1.959963984540054);
        Replicates r = Replicates.byRecomputation(this, x, y, seed, groups);
        return Estimates.withReplicates(e, new Replicates(r.leaveOutNats(), r.halfNats(), r.quarterNats(), mc));
    }
}
