package org.emergence.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Bf16Test {
    private static int bits(float f) {
        return Bf16.bits(f) & 0xffff;
    }

    @Test
    void tiesGoToEvenAndHalfwayRoundsUpOnlyPastTheMiddle() {
        // 1 + 2^-8 lies exactly between 1 (0x3f80, even) and 1 + 2^-7 (0x3f81): ties to even -> 0x3f80
        assertEquals(0x3f80, bits(Float.intBitsToFloat(0x3f808000)));
        // between 0x3f81 (odd) and 0x3f82: ties to even -> 0x3f82
        assertEquals(0x3f82, bits(Float.intBitsToFloat(0x3f818000)));
        // just above and below the middle
        assertEquals(0x3f81, bits(Float.intBitsToFloat(0x3f808001)));
        assertEquals(0x3f80, bits(Float.intBitsToFloat(0x3f807fff)));
        assertEquals(0xbf82, bits(Float.intBitsToFloat(0xbf818000))); // sign symmetric
    }

    @Test
    void specialValues() {
        assertEquals(0x7f80, bits(Float.POSITIVE_INFINITY));
        assertEquals(0xff80, bits(Float.NEGATIVE_INFINITY));
        assertEquals(0x8000, bits(-0f));
        assertEquals(0x0000, bits(0f));
        assertTrue(Float.isNaN(Bf16.round(Float.NaN)));
        // a NaN whose payload sits only in the low 16 bits must not become infinity
        assertTrue(Float.isNaN(Bf16.round(Float.intBitsToFloat(0x7f800001))));
        // the largest float rounds past the largest bf16 (0x7f7f) to infinity, as IEEE rounding does
        assertEquals(0x7f80, bits(Float.MAX_VALUE));
        assertEquals(0x7f7f, bits(Float.intBitsToFloat(0x7f7f7fff)));
        // subnormals round like any other value
        assertEquals(0x0001, bits(Float.intBitsToFloat(0x00010000)));
        assertEquals(0x0000, bits(Float.intBitsToFloat(0x00008000))); // tie, 0 is even
        assertEquals(0x0002, bits(Float.intBitsToFloat(0x00018000))); // tie, rounds to even 2
    }

    /** Against exact arithmetic: the result is a nearest bf16, and of two nearest, the even one. */
    @Test
    void nearestEvenAgainstExactArithmetic() {
        Random r = new Random(3);
        for (int i = 0; i < 200_000; i++) {
            float f = Float.intBitsToFloat(r.nextInt());
            if (!Float.isFinite(f) || Math.abs(f) >= 0x1.fep127f) continue;
            int h = bits(f);
            float down = Float.intBitsToFloat(Float.floatToRawIntBits(f) & 0xffff0000);
            float up = Float.intBitsToFloat((Float.floatToRawIntBits(f) & 0xffff0000) + 0x10000);
            BigDecimal x = new BigDecimal(f), dd = x.subtract(new BigDecimal(down)).abs(), du = new BigDecimal(up).subtract(x).abs();
            int c = dd.compareTo(du);
            int expect = c < 0 ? Float.floatToRawIntBits(down) >>> 16 : c > 0 ? Float.floatToRawIntBits(up) >>> 16
                    : ((Float.floatToRawIntBits(down) >>> 16) & 1) == 0 ? Float.floatToRawIntBits(down) >>> 16 : Float.floatToRawIntBits(up) >>> 16;
            assertEquals(expect & 0xffff, h, () -> "value " + f);
        }
    }

    @Test
    void rowsWithStridesMatchTheScalarRounding() {
        int rows = 5, cols = 7, lds = 9, ldd = 8;
        FloatBuffer src = Gemm.allocate((long) rows * lds);
        Random r = new Random(5);
        for (int i = 0; i < rows * lds; i++) src.put(i, (float) r.nextGaussian() * 100);
        ShortBuffer bits = Bf16.allocate((long) rows * ldd);
        FloatBuffer rounded = Gemm.allocate((long) rows * ldd);
        Bf16.toBits(src, 0, lds, bits, 0, ldd, rows, cols);
        Bf16.roundRows(src, 0, lds, rounded, 0, ldd, rows, cols);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                float x = src.get(i * lds + j);
                assertEquals(Bf16.bits(x), bits.get(i * ldd + j));
                assertEquals(Bf16.round(x), rounded.get(i * ldd + j));
                assertTrue(Math.abs(rounded.get(i * ldd + j) - x) <= Math.abs(x) * 0x1p-8f);
            }
        }
    }
}
