package org.emergence.mi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RowIdsTest {
    @Test
    void numbersDistinctRowsInOrderOfFirstAppearanceWithCounts() {
        float[] a = {1, 2, 3, 4, 1, 2, 5, 6, 3, 4, 1, 2};
        RowIds r = RowIds.of(new Matrix(a, 6, 2));
        assertEquals(3, r.distinct);
        assertArrayEquals(new int[] {0, 1, 0, 2, 1, 0}, r.ids);
        assertArrayEquals(new int[] {3, 2, 1}, r.counts);
    }

    @Test
    void negativeZeroIsTheSameValueAsZeroButOneUlpIsNot() {
        float eps = Math.nextUp(1f);
        float[] a = {
            0f, 1f, 2f,
            -0f, 1f, 2f, // the same row by value, though its bits differ
            0f, eps, 2f, // one ulp away in one column
            -0f, 1f, -0f,
            0f, 1f, 0f,
        };
        RowIds r = RowIds.of(new Matrix(a, 5, 3));
        assertArrayEquals(new int[] {0, 0, 1, 2, 2}, r.ids);
        assertEquals(3, r.distinct);
    }

    @Test
    void wideRowsDifferingInTheirLastValueStayApart() {
        int n = 200, d = 777; // wider than any vector register, odd length: the comparison's tail counts
        float[] a = new float[n * d];
        java.util.Random rnd = new java.util.Random(3);
        float[] base = new float[d];
        for (int j = 0; j < d; j++) base[j] = (float) rnd.nextGaussian();
        for (int i = 0; i < n; i++) {
            System.arraycopy(base, 0, a, i * d, d);
            if (i % 2 == 1) a[i * d + d - 1] = Math.nextUp(base[d - 1]);
        }
        RowIds r = RowIds.of(new Matrix(a, n, d));
        assertEquals(2, r.distinct);
        assertArrayEquals(new int[] {n / 2, n / 2}, r.counts);
    }
}
