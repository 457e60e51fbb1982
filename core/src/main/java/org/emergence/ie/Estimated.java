package org.emergence.ie;

import org.emergence.mi.Replicates;

/**
 * A reported quantity of a run (IE, E(l), …) as summary.json gives it: value, interval, jackknife
 * standard error and leave-one-group-out values. Differences between quantities come with an
 * interval from the same jackknife: paired (both runs on the same sequences, with the same groups, so
 * the difference is resampled group by group and what the two runs share cancels) or, for runs on
 * different sequences, independent (variances add).
 *
 * @param leaveOut null when the run had no replicates (then se is NaN and only quadrature intervals exist)
 */
public record Estimated(double bits, double low, double high, double se, double[] leaveOut) {

    public boolean present() {
        return Double.isFinite(bits);
    }

    public int groups() {
        return leaveOut == null ? 0 : leaveOut.length;
    }

    /** The mean of several quantities computed on the same sequences (e.g. several untrained seeds). */
    public static Estimated mean(java.util.List<Estimated> xs) {
        int k = xs.size();
        double b = 0;
        double[] lo = xs.get(0).leaveOut == null ? null : new double[xs.get(0).leaveOut.length];
        for (Estimated x : xs) {
            b += x.bits / k;
            if (lo != null && x.leaveOut != null && x.leaveOut.length == lo.length) {
                for (int g = 0; g < lo.length; g++) lo[g] += x.leaveOut[g] / k;
            } else {
                lo = null;
            }
        }
        if (lo == null) return new Estimated(b, Double.NaN, Double.NaN, Double.NaN, null);
        double se = Math.sqrt(Replicates.jackknifeVariance(lo)), h = Replicates.halfWidth(se, lo.length);
        return new Estimated(b, b - h, b + h, se, lo);
    }

    /** a − b with its 95% interval and the method used. */
    public record Difference(double bits, double se, double low, double high, String method) {
        /** Whether the interval excludes 0 on the positive side. */
        public boolean positive() {
            return low > 0;
        }

        public boolean containsZero() {
            return low <= 0 && high >= 0;
        }
    }

    /**
     * @param paired the two quantities come from runs on the same sequences with the same groups
     *               (same dataset spec rows, seed and N): the jackknife of the group-wise differences
     */
    public static Difference difference(Estimated a, Estimated b, boolean paired) {
        double d = a.bits - b.bits;
        if (paired && a.leaveOut != null && b.leaveOut != null && a.leaveOut.length == b.leaveOut.length) {
            double[] lo = new double[a.leaveOut.length];
            for (int g = 0; g < lo.length; g++) lo[g] = a.leaveOut[g] - b.leaveOut[g];
            double se = Math.sqrt(Replicates.jackknifeVariance(lo)), h = Replicates.halfWidth(se, lo.length);
            return new Difference(d, se, d - h, d + h, "paired delete-a-group jackknife over the same " + lo.length
                    + " groups of sequences, t(" + (lo.length - 1) + ")");
        }
        if (Double.isFinite(a.se) && Double.isFinite(b.se)) {
            double se = Math.hypot(a.se, b.se);
            int df = Math.max(1, Math.min(a.groups(), b.groups()) - 1);
            double h = Replicates.t975(df) * se;
            return new Difference(d, se, d - h, d + h, "independent runs: jackknife variances added, t(" + df + ")");
        }
        // no replicates: the runs' own intervals in quadrature (sampling error of the datasets not included)
        double lo = Math.hypot(a.bits - a.low, b.high - b.bits), hi = Math.hypot(a.high - a.bits, b.bits - b.low);
        return new Difference(d, Double.NaN, d - lo, d + hi, "intervals in quadrature (no replicates: sampling error omitted)");
    }
}
