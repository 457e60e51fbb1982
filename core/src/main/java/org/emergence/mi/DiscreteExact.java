package org.emergence.mi;

import java.util.Locale;

/**
 * Exact MI of the empirical joint distribution of distinct rows, for samples with few distinct values
 * (activations of discrete inputs): rows are hashed to symbols, and
 * I = H(X) + H(Y) − H(X, Y) from the counts, plus the Miller–Madow correction of each entropy,
 * (m − 1)/(2n) for m occupied cells: I_MM = I_plugin + (mx + my − mxy − 1)/(2n).
 *
 * <p>The interval is the delta-method standard error of the plug-in MI, sd of the pointwise
 * information ι = ln(n·n_xy / (n_x·n_y)) over the samples divided by √n. Meaningful when the number of
 * distinct (x, y) pairs is small compared with n; a warning says when it is not.
 */
public final class DiscreteExact extends AbstractEstimator {
    private final double maxDistinctFraction;

    public DiscreteExact(double maxDistinctFraction) {
        super("discrete-exact");
        this.maxDistinctFraction = maxDistinctFraction;
    }

    @Override
    protected int minSamples() {
        return 2;
    }

    @Override
    protected Result compute(Matrix x, Matrix y, long seed, Context ctx) {
        int n = x.rows();
        Diagnostics d = ctx.diagnostics(); // its row ids are the ones needed here
        RowIds ix = d.rowIdsX(), iy = d.rowIdsY(), ixy = d.rowIdsXY();
        double hx = entropy(ix.counts, n), hy = entropy(iy.counts, n), hxy = entropy(ixy.counts, n);
        double plugin = hx + hy - hxy;
        double mm = (ix.distinct + iy.distinct - ixy.distinct - 1) / (2.0 * n);
        double sum = 0, sum2 = 0;
        for (int i = 0; i < n; i++) {
            double iota = Math.log((double) n * ixy.counts[ixy.ids[i]] / ((double) ix.counts[ix.ids[i]] * iy.counts[iy.ids[i]]));
            sum += iota;
            sum2 += iota * iota;
        }
        double mean = sum / n, var = Math.max(0, sum2 / n - mean * mean);
        if (ixy.distinct > maxDistinctFraction * n) {
            ctx.warn(String.format(Locale.ROOT, "%d distinct (x, y) pairs in %d samples (more than %.3g·n): the plug-in MI "
                    + "of the empirical distribution is biased upward, this is not a discrete sample", ixy.distinct, n,
                    maxDistinctFraction));
        }
        ctx.put("entropy_x_nats", hx);
        ctx.put("entropy_y_nats", hy);
        ctx.put("entropy_xy_nats", hxy);
        ctx.put("plugin_nats", plugin);
        ctx.put("miller_madow_nats", mm);
        return Result.of(plugin + mm, Math.sqrt(var / n), "delta-method 95% (sd of pointwise information / √n)");
    }

    static double entropy(int[] counts, int n) {
        double h = 0;
        for (int c : counts) {
            if (c > 0) h -= (double) c / n * Math.log((double) c / n);
        }
        return h;
    }
}
