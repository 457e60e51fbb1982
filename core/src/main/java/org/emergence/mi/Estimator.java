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
        Replicates r = byRecomputation(this, x, y, seed, groups);
        return Estimates.withReplicates(e, new Replicates(r.leaveOutNats(), r.halfNats(), r.quarterNats(), mc));
    }

    /**
     * The generic path for estimators without a one-pass implementation: recompute the estimate on
     * every leave-one-group-out subset, half and quarter (G + 6 extra estimates), without the
     * Monte Carlo error.
     */
    static Replicates byRecomputation(Estimator e, Matrix x, Matrix y, long seed, RowGroups groups) {
        int g = groups.groups();
        double[] leave = new double[g], half = new double[2], quarter = new double[4];
        for (int k = 0; k < g; k++) leave[k] = sub(e, x, y, seed, groups.without(k));
        for (int h = 0; h < 2; h++) half[h] = sub(e, x, y, seed, groups.part(h, 2));
        for (int q = 0; q < 4; q++) quarter[q] = sub(e, x, y, seed, groups.part(q, 4));
        return new Replicates(leave, half, quarter, 0);
    }

    private static double sub(Estimator e, Matrix x, Matrix y, long seed, int[] rows) {
        if (rows.length < 4) return Double.NaN;
        return e.estimate(x.select(rows), y.select(rows), seed).nats();
    }
}
