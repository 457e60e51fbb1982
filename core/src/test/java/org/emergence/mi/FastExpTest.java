package org.emergence.mi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The log-sum-exp's exp against Math.exp over its whole range [−40, 0]. */
class FastExpTest {
    @Test
    void withinOnePartIn10To15OfMathExp() {
        double worst = 0;
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i <= 4_000_000; i++) {
            double x = i < 2_000_001 ? -40.0 * i / 2_000_000 : -40 * r.nextDouble();
            double want = Math.exp(x), got = FastExp.exp(x);
            worst = Math.max(worst, Math.abs(got - want) / want);
        }
        assertTrue(worst < 1e-15, "worst relative error " + worst);
        assertEquals(1.0, FastExp.exp(0), 0.0);
        // the reduction's boundaries (n changes at odd multiples of ln 2 / 512)
        for (int n = 0; n < 14800; n++) {
            for (double e : new double[] {-1e-12, 0, 1e-12}) {
                double x = -(n + 0.5) * Math.log(2) / 256 + e;
                if (x > 0 || x < -40) continue;
                assertEquals(Math.exp(x), FastExp.exp(x), 1e-15 * Math.exp(x), "x = " + x);
            }
        }
    }
}
