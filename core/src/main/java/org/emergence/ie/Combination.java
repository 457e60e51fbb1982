package org.emergence.ie;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.emergence.mi.Estimate;
import org.emergence.mi.Replicates;

/**
 * A linear combination Σ a_k·MI_k of a run's estimates (E(l, t), E(l), IE(t), IE, …) with its
 * uncertainty. When every term carries {@link Replicates} over the run's row groups, the
 * combination's replicates are the same combination of the terms' replicates — computed on the same
 * sequences, so covariances between terms (macro and micro of one sequence, positions of one layer)
 * are accounted for — and the interval is value ± t(G−1)·SE_jackknife. Terms without replicates (old
 * runs, {@code --groups 0}) fall back to combining each estimate's own interval in quadrature, which
 * assumes independent errors and ignores sampling error; {@link #method()} says which was used.
 *
 * <p>Also carried: the value at N/2 and N/4 (means over halves and quarters of the sequences), the
 * finite-N convergence diagnostic, and the part of the value contributed by constant-token positions.
 */
final class Combination {
    double value;
    private double[] leave, half, quarter;
    private double lowSq, highSq;
    private boolean missing, anyWithout, anyWith;
    /** Σ a_k·MI_k over the terms whose position holds the same token in every sequence. */
    double constantPart;
    /** Variance from the untrained twins' seeds (the spread of the quantity over the twins / K), added to the jackknife's. */
    private double twinVar;
    private int twinDf;

    static final String JACKKNIFE = "jackknife";
    static final String QUADRATURE = "quadrature";

    /** Adds a·MI for a run's estimate (est/*.json); {@code constantPosition} tags the term for the split. */
    Combination add(EstimateFile f, double a, boolean constantPosition) {
        if (f == null) {
            missing = true;
            return this;
        }
        Estimate e = f.estimate();
        double v = e.bits();
        value += a * v;
        if (constantPosition) constantPart += a * v;
        Replicates r = e.replicates();
        if (r == null) {
            anyWithout = true;
            double lo = v - e.ciLowBits(), hi = e.ciHighBits() - v;
            double down = a >= 0 ? a * lo : -a * hi, up = a >= 0 ? a * hi : -a * lo;
            lowSq += down * down;
            highSq += up * up;
            return this;
        }
        anyWith = true;
        if (leave == null) {
            leave = new double[r.groups()];
            half = new double[2];
            quarter = new double[4];
        } else if (leave.length != r.groups()) {
            anyWithout = true; // replicates over different groupings cannot be combined
            return this;
        }
        for (int g = 0; g < leave.length; g++) leave[g] += a * r.leaveOutNats()[g] * Estimate.LOG2E;
        for (int i = 0; i < 2; i++) half[i] += a * r.halfNats()[i] * Estimate.LOG2E;
        for (int i = 0; i < 4; i++) quarter[i] += a * r.quarterNats()[i] * Estimate.LOG2E;
        return this;
    }

    /** Adds a·c for another combination of the same run. */
    Combination add(Combination c, double a) {
        if (c.missing) {
            missing = true;
            return this;
        }
        value += a * c.value;
        constantPart += a * c.constantPart;
        lowSq += a * a * (a >= 0 ? c.lowSq : c.highSq);
        highSq += a * a * (a >= 0 ? c.highSq : c.lowSq);
        anyWithout |= c.anyWithout;
        anyWith |= c.anyWith;
        if (c.leave != null) {
            if (leave == null) {
                leave = new double[c.leave.length];
                half = new double[2];
                quarter = new double[4];
            }
            if (leave.length != c.leave.length) {
                anyWithout = true;
            } else {
                for (int g = 0; g < leave.length; g++) leave[g] += a * c.leave[g];
                for (int i = 0; i < 2; i++) half[i] += a * c.half[i];
                for (int i = 0; i < 4; i++) quarter[i] += a * c.quarter[i];
            }
        }
        return this;
    }

    boolean missing() {
        return missing;
    }

    /**
     * Widens the interval by the variance a fresh draw of the untrained twins' seeds would add, estimated from
     * {@code twins} twins (so with {@code twins − 1} degrees of freedom).
     */
    void twinVariance(double v, int twins) {
        twinVar = v;
        twinDf = twins - 1;
    }

    /**
     * The 97.5% t quantile of the interval: t(G − 1) for the jackknife alone; with the twins' variance added, the
     * Welch–Satterthwaite degrees of freedom of the sum (rounded down), because a spread estimated from K = 2 twins has
     * one degree of freedom and a normal or t(G − 1) quantile would make the interval too narrow.
     */
    private double tQuantile() {
        int dfj = leave.length - 1;
        if (!(twinVar > 0) || twinDf < 1) return Replicates.t975(dfj);
        double vj = Replicates.jackknifeVariance(leave);
        double df = (vj + twinVar) * (vj + twinVar) / (vj * vj / dfj + twinVar * twinVar / twinDf);
        return Replicates.t975((int) Math.max(1, Math.min(dfj + twinDf, Math.floor(df))));
    }

    /** Whether the interval is the jackknife's (every term resampled on the same groups). */
    boolean resampled() {
        return anyWith && !anyWithout;
    }

    String method() {
        return resampled() ? JACKKNIFE : QUADRATURE;
    }

    /** The number of row groups behind the jackknife interval (0 unless {@link #resampled()}). */
    int groups() {
        return resampled() ? leave.length : 0;
    }

    /** Jackknife standard error (NaN unless {@link #resampled()}). */
    double se() {
        return resampled() ? Math.sqrt(Replicates.jackknifeVariance(leave) + twinVar) : Double.NaN;
    }

    double low() {
        return resampled() ? value - tQuantile() * se() : value - Math.sqrt(lowSq + 1.96 * 1.96 * twinVar);
    }

    double high() {
        return resampled() ? value + tQuantile() * se() : value + Math.sqrt(highSq + 1.96 * 1.96 * twinVar);
    }

    /** The leave-one-group-out values (for differences between runs), or null. */
    double[] leaveOut() {
        return resampled() ? leave.clone() : null;
    }

    /** The combination as the summary's value ({@link RunSummary.Val#MISSING} when a term is missing). */
    RunSummary.Val val() {
        if (missing) return RunSummary.Val.MISSING;
        boolean r = resampled();
        // a plug-in estimate of a finite-sample quantity drifts with N: finite_n_shift is the last doubling's step; the
        // leave-one-group-out values let differences between runs on the same sequences be resampled
        RunSummary.Spread spread = new RunSummary.Spread(method(), twinVar > 0 ? Math.sqrt(twinVar) : Double.NaN,
                twinVar > 0 && r ? tQuantile() : Double.NaN, r ? se() : Double.NaN,
                r ? new RunSummary.Convergence(Replicates.mean(quarter), Replicates.mean(half), value) : null,
                r ? value - Replicates.mean(half) : Double.NaN, r ? leave.clone() : null);
        return new RunSummary.Val(value, low(), high(), null, null, spread, null);
    }

    /** {bits, ci_low, ci_high, interval, se, n_convergence…} as summary.json writes them; nulls when a term is missing. */
    ObjectNode json(ObjectNode o) {
        o.setAll(RunSummaryWriter.json(val()));
        return o;
    }
}
