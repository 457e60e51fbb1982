package org.emergence.mi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.emergence.common.UserError;
import org.junit.jupiter.api.Test;

class KsgTest {
    @Test
    void recoversLowDimensionalGaussianMi() {
        Matrix[] xy = TestData.correlated(4000, 2, 2, 0.7, 8);
        Estimate e = Estimators.get("ksg").estimate(xy[0], xy[1], 0);
        assertEquals(TestData.trueMi(2, 0.7), e.nats(), 0.05);
        Matrix[] ind = TestData.correlated(4000, 2, 0, 0, 9);
        assertEquals(0, Estimators.get("ksg").estimate(ind[0], ind[1], 0).nats(), 0.05);
    }

    @Test
    void warnsInModerateAndRefusesInHighDimension() {
        Matrix[] xy = TestData.correlated(300, 8, 2, 0.7, 8);
        Estimate e = Estimators.get("ksg").estimate(xy[0], xy[1], 0);
        assertTrue(e.warnings().stream().anyMatch(w -> w.contains("biased strongly downward")));
        Matrix[] big = TestData.correlated(300, 40, 2, 0.7, 8);
        UserError err = assertThrows(UserError.class, () -> Estimators.get("ksg").estimate(big[0], big[1], 0));
        assertTrue(err.getMessage().contains("exceeds 64"), err.getMessage());
    }
}
