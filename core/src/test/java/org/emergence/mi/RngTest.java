package org.emergence.mi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** {@link Rng#gaussians} is the stream of {@link Rng#gaussian} calls, value for value, spare and state included. */
class RngTest {
    @Test
    void gaussiansAreTheSequenceOfGaussianCalls() {
        // counts below and above the parallel split (4096 pairs), odd and even, starting with and without a spare
        for (int count : new int[] {0, 1, 2, 7, 8, 8191, 8192, 20_001, 50_000}) {
            for (int before : new int[] {0, 1, 2}) {
                Rng a = new Rng(11 + count), b = new Rng(11 + count);
                for (int i = 0; i < before; i++) assertEquals(a.gaussian(), b.gaussian());
                double[] out = new double[count + 3], s = new double[count / 2 + 2];
                b.gaussians(out, count, s);
                for (int i = 0; i < count; i++) {
                    double want = a.gaussian();
                    assertEquals(Double.doubleToRawLongBits(want), Double.doubleToRawLongBits(out[i]),
                            "count " + count + ", " + before + " drawn before, index " + i);
                }
                // the state afterwards: the next values agree, including a pair's kept spare
                for (int i = 0; i < 3; i++) assertEquals(a.gaussian(), b.gaussian(), "after " + count);
                assertEquals(a.uniform(), b.uniform());
            }
        }
    }
}
