package org.emergence.mi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The noise band's scales reuse one computation of the samples' diagnostics
 * ({@link NoiseRegularized#estimate(Matrix, Matrix, long, RowGroups, Diagnostics)}): the estimate must be the one
 * computed from scratch, value, interval, replicates, warnings and diagnostics alike, on continuous samples and on
 * samples with duplicated rows (where the diagnostics' row ids decide the mixture's components).
 */
class SharedDiagnosticsTest {
    @Test
    void knownDiagnosticsGiveTheSameEstimate() {
        Matrix[] xy = TestData.correlated(300, 6, 3, 0.7, 5);
        Matrix dupX = duplicated(xy[0], 40), dupY = duplicated(xy[1], 40);
        RowGroups groups = RowGroups.random(300, 20, 9);
        for (Matrix[] s : new Matrix[][] {xy, {dupX, dupY}}) {
            Diagnostics shared = Diagnostics.of(s[0], s[1]);
            for (double sigma : new double[] {0.5, 2.0}) {
                NoiseRegularized nr = NoiseRegularized.fixed(Estimators.get("mixture"), sigma, sigma, 1.3 * sigma);
                for (RowGroups g : new RowGroups[] {null, groups}) {
                    Estimate fresh = g == null ? nr.estimate(s[0], s[1], 17) : nr.estimateWithReplicates(s[0], s[1], 17, g);
                    Estimate reused = nr.estimate(s[0], s[1], 17, g, shared);
                    assertEquals(fresh.nats(), reused.nats(), 0.0);
                    assertEquals(fresh.ciLowNats(), reused.ciLowNats(), 0.0);
                    assertEquals(fresh.ciHighNats(), reused.ciHighNats(), 0.0);
                    assertEquals(fresh.warnings(), reused.warnings());
                    assertEquals(new TreeMap<>(fresh.diagnostics()), new TreeMap<>(reused.diagnostics()));
                    if (g != null) {
                        assertArrayEquals(fresh.replicates().leaveOutNats(), reused.replicates().leaveOutNats(), 0.0);
                        assertArrayEquals(fresh.replicates().halfNats(), reused.replicates().halfNats(), 0.0);
                        assertArrayEquals(fresh.replicates().quarterNats(), reused.replicates().quarterNats(), 0.0);
                    }
                }
            }
        }
    }

    /** The rows of m with only {@code distinct} different ones (row i copies row i mod distinct). */
    private static Matrix duplicated(Matrix m, int distinct) {
        int d = m.cols();
        float[] out = new float[m.rows() * d];
        for (int i = 0; i < m.rows(); i++) System.arraycopy(m.data(), (i % distinct) * d, out, i * d, d);
        return new Matrix(out, m.rows(), d);
    }
}
