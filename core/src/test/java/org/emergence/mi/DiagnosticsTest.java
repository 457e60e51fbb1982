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

    @Test
    void rankOfManyRowsComesFromASubsampleAndStillCountsEveryDirection() {
        // 20,000 rows of 12 columns spanning 5 directions, and one direction carried by a tenth of the rows
        int n = 20000, d = 12;
        Matrix z = TestData.gaussian(n, 6, 3);
        float[] x = new float[n * d];
        float[] mixing = new float[d * 5];
        java.util.Random r = new java.util.Random(7);
        for (int q = 0; q < mixing.length; q++) mixing[q] = (float) r.nextGaussian();
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < d; c++) {
                float v = 0;
                for (int k = 0; k < 5; k++) v += z.get(i, k) * mixing[c * 5 + k];
                x[i * d + c] = v;
            }
            if (i % 10 == 3) x[i * d + 11] += z.get(i, 5); // a sixth direction, in 2,000 rows only
        }
        assertEquals(6, Diagnostics.of(new Matrix(x, n, d), new Matrix(x.clone(), n, d)).rankX());
        assertEquals(Diagnostics.RANK_ROWS, Diagnostics.rankRows(new Matrix(x, n, d)).rows());
    }

    @Test
    void rowsThatDifferInOneValueAreDistinctWhateverTheWidth() {
        for (int d : new int[] {1, 3, 4, 7, 768}) {
            int n = 64;
            float[] a = new float[n * d];
            for (int i = 0; i < n; i++) a[i * d + (i % d)] = i / 2; // rows 2k and 2k+1 differ (or not) in one place
            RowIds ids = RowIds.of(new Matrix(a, n, d));
            java.util.Set<String> rows = new java.util.HashSet<>();
            for (int i = 0; i < n; i++) rows.add(java.util.Arrays.toString(java.util.Arrays.copyOfRange(a, i * d, i * d + d)));
            assertEquals(rows.size(), ids.distinct, "d = " + d);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    boolean same = java.util.Arrays.equals(java.util.Arrays.copyOfRange(a, i * d, i * d + d),
                            java.util.Arrays.copyOfRange(a, j * d, j * d + d));
                    assertEquals(same, ids.ids[i] == ids.ids[j], "rows " + i + ", " + j + " at d = " + d);
                }
            }
        }
    }
}
