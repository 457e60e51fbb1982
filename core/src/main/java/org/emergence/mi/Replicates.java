package org.emergence.mi;

/**
 * Resampled values of one estimate over the same {@link RowGroups}: the value with each group left
 * out (delete-a-group jackknife) and the value on each half and each quarter of the rows. Rows keep
 * the noise draws made from them, so the jackknife spread covers both a fresh draw of the rows and
 * the Monte Carlo error of the noise average ({@code mcSeNats}, kept as a diagnostic).
 *
 * <p>Every linear combination of estimates of one run (E, IE, …) has as replicates the same
 * combination of the replicates, which is what {@link #jackknifeVariance(double, double[])} is for.
 *
 * @param leaveOutNats [G] value without group g
 * @param halfNats     [2] value on half h (groups g ≡ h mod 2): the sample at N/2
 * @param quarterNats  [4] value on quarter q (groups g ≡ q mod 4): the sample at N/4
 * @param mcSeNats     Monte Carlo standard error of the full-sample value (0 for exact estimators)
 */
public record Replicates(double[] leaveOutNats, double[] halfNats, double[] quarterNats, double mcSeNats) {
    public int groups() {
        return leaveOutNats.length;
    }

    /** (G−1)/G · Σ_g (θ_{−g} − mean)²: the delete-a-group jackknife variance of any statistic with these replicates. */
    public static double jackknifeVariance(double[] leaveOut) {
        int g = leaveOut.length;
        double mean = 0;
        for (double v : leaveOut) mean += v;
        mean /= g;
        double s = 0;
        for (double v : leaveOut) s += (v - mean) * (v - mean);
        return (g - 1.0) / g * s;
    }

    /**
     * The standard error: the jackknife's. Each row carries its own noise draws, so leaving a group out
     * removes its draws too and the jackknife variance already holds the Monte Carlo error of the noise
     * average; adding {@code mcSeNats} again would count it twice.
     */
    public double seNats() {
        return Math.sqrt(jackknifeVariance(leaveOutNats));
    }

    /** Mean of values (e.g. the halves: the estimate at N/2; the quarters: at N/4). */
    public static double mean(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s / v.length;
    }

    /**
     * The two-sided 95% quantile of Student's t with df degrees of freedom (Cornish–Fisher expansion
     * around the normal quantile; error below 2e-4 for df ≥ 5, exact limit 1.96 as df → ∞).
     */
    public static double t975(int df) {
        if (df < 1) throw new IllegalArgumentException("df must be >= 1");
        if (df == 1) return 12.706204736;
        if (df == 2) return 4.302652730;
        if (df == 3) return 3.182446305;
        if (df == 4) return 2.776445105;
        double z = 1.959963984540054, z2 = z * z, n = df;
        double g1 = (z2 + 1) * z / 4;
        double g2 = ((5 * z2 + 16) * z2 + 3) * z / 96;
        double g3 = (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384;
        double g4 = ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * z / 92160;
        return z + g1 / n + g2 / (n * n) + g3 / (n * n * n) + g4 / (n * n * n * n);
    }

    /** Half-width of the 95% interval for a standard error from G groups (t with G−1 df). */
    public static double halfWidth(double se, int groups) {
        return t975(groups - 1) * se;
    }
}
