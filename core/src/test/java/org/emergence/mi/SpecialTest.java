package org.emergence.mi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Reference values from SciPy (digamma, gammaln, ndtr, ndtri). */
class SpecialTest {
    @Test
    void digammaAndLogGammaMatchReference() {
        double[][] ref = {
            {0.1, -10.423754940411076, 2.252712651734206},
            {0.5, -1.9635100260214235, 0.5723649429247},
            {1, -0.5772156649015329, 0.0},
            {3.7, 1.1671535393615113, 1.428072326665388},
            {123.4, 4.8113737751162775, 469.3360974421906}};
        for (double[] r : ref) {
            assertEquals(r[1], Special.digamma(r[0]), 1e-12 * Math.max(1, Math.abs(r[1])), "digamma " + r[0]);
            assertEquals(r[2], Special.logGamma(r[0]), 1e-12 * Math.max(1, Math.abs(r[2])), "logGamma " + r[0]);
        }
    }

    @Test
    void normalCdfAndQuantileMatchReference() {
        double[][] cdf = {{-8, 6.22096057427174e-16}, {-3, 0.0013498980316300933}, {-0.3, 0.3820885778110474},
            {0, 0.5}, {1.96, 0.9750021048517795}, {2.6, 0.9953388119762813}, {5, 0.9999997133484281}};
        for (double[] r : cdf) assertEquals(r[1], Special.normalCdf(r[0]), 1e-13 * Math.max(1e-3, r[1]), "cdf " + r[0]);
        double[][] q = {{1e-12, -7.034483825301131}, {1e-05, -4.264890793922825}, {0.3, -0.5244005127080409},
            {0.5, 0.0}, {0.975, 1.959963984540054}, {0.999999999, 5.997807019601637}};
        for (double[] r : q) assertEquals(r[1], Special.normalQuantile(r[0]), 1e-9, "quantile " + r[0]);
    }
}
