package org.emergence.validate;

/**
 * How well the reported standard error matches the spread of IE over k independent dataset draws.
 *
 * <p>The SEs are pooled as variances (root mean square): an SE resting on few degrees of freedom (with two
 * untrained twins, the twin-seed part of a relative IE rests on one) underestimates its σ on average, while its
 * square does not. The interval is a 90% interval of the ratio from the χ² distribution of (k − 1)·s²/σ², i.e. it
 * covers the uncertainty of the sd over k draws, not that of the SEs.
 *
 * @param se    root-mean-square SE over the draws
 * @param sd    sample sd of the IEs over the draws
 * @param ratio se / sd (1 when the SE is calibrated)
 * @param low   lower end of the ratio's 90% interval
 * @param high  upper end of the ratio's 90% interval
 */
record Calibration(double se, double sd, double ratio, double low, double high) {
    static Calibration of(double[] ies, double[] ses) {
        int k = ies.length;
        if (k < 2 || ses.length != k) throw new IllegalArgumentException("need at least 2 draws with one SE each");
        double mean = 0, ss = 0, seSquares = 0;
        for (double v : ies) mean += v / k;
        for (double v : ies) ss += (v - mean) * (v - mean);
        for (double e : ses) seSquares += e * e;
        double sd = Math.sqrt(ss / (k - 1)), se = Math.sqrt(seSquares / k);
        int df = k - 1;
        return new Calibration(se, sd, se / sd, se / (sd * Math.sqrt(df / chi2(0.05, df))),
                se / (sd * Math.sqrt(df / chi2(0.95, df))));
    }

    /** χ² quantile (Wilson–Hilferty): k·(1 − 2/(9k) + z_p·√(2/(9k)))³. */
    static double chi2(double p, int k) {
        double z = org.emergence.mi.Special.normalQuantile(p), a = 2.0 / (9 * k);
        double c = 1 - a + z * Math.sqrt(a);
        return k * c * c * c;
    }
}
