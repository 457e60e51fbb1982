package org.emergence.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The interval-calibration statistic: SEs pooled as variances, the ratio's χ² interval. */
class CalibrationTest {
    @Test
    void pooledAsVariancesNotAsStandardErrors() {
        // SEs 0.1 and 0.3: RMS 0.2236 (a mean of the SEs would give 0.2); IEs 0 and 0.4: sd 0.2828
        Calibration c = Calibration.of(new double[] {0, 0.4}, new double[] {0.1, 0.3});
        assertEquals(Math.sqrt(0.05), c.se(), 1e-12);
        assertEquals(Math.sqrt(0.08), c.sd(), 1e-12);
        assertEquals(Math.sqrt(0.05 / 0.08), c.ratio(), 1e-12);
        assertTrue(c.low() < c.ratio() && c.ratio() < c.high(), c.toString());
    }

    @Test
    void oneDegreeOfFreedomSesAreCalibratedOnAverageAsVariances() {
        // each draw: IE ~ N(0, 1) and an SE estimated from two twins (|x1 − x2| / 2 of N(0, 2) draws, one degree of
        // freedom, true SE 1): pooled as variances the ratio is about 1; the mean of the SEs would be about 0.8 (√(2/π))
        Random r = new Random(7);
        int k = 4000;
        double[] ies = new double[k], ses = new double[k];
        double meanSe = 0;
        for (int i = 0; i < k; i++) {
            ies[i] = r.nextGaussian();
            ses[i] = Math.abs(r.nextGaussian() * Math.sqrt(2) - r.nextGaussian() * Math.sqrt(2)) / 2;
            meanSe += ses[i] / k;
        }
        Calibration c = Calibration.of(ies, ses);
        assertEquals(1.0, c.ratio(), 0.05, c.toString());
        assertEquals(Math.sqrt(2 / Math.PI), meanSe, 0.03, "the mean of one-df SEs is biased low");
    }

    @Test
    void theRatioIntervalNarrowsWithMoreDraws() {
        Calibration few = Calibration.of(new double[] {0, 1, 2}, new double[] {1, 1, 1});
        Calibration many = Calibration.of(new double[] {0, 1, 2, 0, 1, 2, 0, 1, 2}, new double[] {1, 1, 1, 1, 1, 1, 1, 1, 1});
        assertTrue(many.high() - many.low() < few.high() - few.low());
    }
}
