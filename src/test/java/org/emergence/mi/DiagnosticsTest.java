package org.emergence.mi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DiagnosticsTest {
    @Test
    void countsDistinctRowsRanksAndDuplicates() {
        int n = 1000;
        Matrix x = TestData.gaussian(n, 6, 1);
        float[] xa = x.data();
        // rows 0..99 all equal row 0: 901 distinct rows, the largest duplicate share 100/1000
        for (int i = 1; i < 100; i++) System.arraycopy(xa, 0, xa, i * 6, 6);
        // Y = [x0 + x1, x0 − x1, 2·x0, const]: rank 2 with one constant column
        float[] y = new float[n * 4];
        for (int i = 0; i < n; i++) {
            y[i * 4] = xa[i * 6] + xa[i * 6 + 1];
            y[i * 4 + 1] = xa[i * 6] - xa[i * 6 + 1];
            y[i * 4 + 2] = 2 * xa[i * 6];
            y[i * 4 + 3] = 7;
        }
        Diagnostics d = Diagnostics.of(x, new Matrix(y, n, 4));
        assertEquals(901, d.distinctX());
        assertEquals(901, d.distinctY());
        assertEquals(901, d.distinctXY());
        assertEquals(6, d.rankX());
        assertEquals(2, d.rankY());
        assertEquals(0, d.constantColumnsX());
        assertEquals(1, d.constantColumnsY());
        assertEquals(0.1, d.maxDuplicateFraction(), 1e-12);
        assertEquals(Diagnostics.csvHeader().size(), d.csvValues().size());
    }

    @Test
    void negativeZeroEqualsZeroAndHashCollisionsNeverMerge() {
        float[] a = {0f, -0f, 1f, 1f, Float.MIN_VALUE, 0f};
        RowIds ids = RowIds.of(new Matrix(a, 6, 1));
        assertEquals(3, ids.distinct);
        assertEquals(ids.ids[0], ids.ids[1]);
        assertEquals(ids.ids[0], ids.ids[5]);
    }
}
