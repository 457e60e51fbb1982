package org.emergence.common;

import java.util.SplittableRandom;

/**
 * Deterministic seeding: derived seeds for independent streams (so results never depend on thread
 * count or order of work) and normal draws from a stream.
 */
public final class Seeds {
    private Seeds() {}

    /** A well-mixed 64-bit seed derived from two values (SplitMix64 finaliser). */
    public static long mix(long a, long b) {
        long z = a * 0x9E3779B97F4A7C15L + b + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** dst[off, off+n) ← N(0, sd²) draws (Box–Muller, two per pair of uniforms). */
    public static void gaussians(SplittableRandom r, double sd, float[] dst, int off, int n) {
        for (int i = 0; i < n; i += 2) {
            double u1 = 1.0 - r.nextDouble(), u2 = r.nextDouble();
            double rad = Math.sqrt(-2 * Math.log(u1)) * sd;
            dst[off + i] = (float) (rad * Math.cos(2 * Math.PI * u2));
            if (i + 1 < n) dst[off + i + 1] = (float) (rad * Math.sin(2 * Math.PI * u2));
        }
    }
}
