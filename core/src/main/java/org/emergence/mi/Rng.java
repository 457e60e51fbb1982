package org.emergence.mi;

import java.util.SplittableRandom;

/** Seeded random numbers for estimators and tasks: uniform, standard normal (polar method), permutations. */
public final class Rng {
    private final SplittableRandom r;
    private double spare;
    private boolean hasSpare;

    public Rng(long seed) {
        r = new SplittableRandom(seed);
    }

    /** An independent stream derived from this one (for a sub-task), deterministic. */
    public Rng split() {
        return new Rng(r.nextLong());
    }

    public double uniform() {
        return r.nextDouble();
    }

    public int nextInt(int bound) {
        return r.nextInt(bound);
    }

    public double gaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spare;
        }
        double u, v, s;
        do {
            u = 2 * r.nextDouble() - 1;
            v = 2 * r.nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double f = Math.sqrt(-2 * Math.log(s) / s);
        spare = v * f;
        hasSpare = true;
        return u * f;
    }

    /** Fills a with a uniformly random permutation of 0..a.length−1 (Fisher–Yates). */
    public int[] permutation(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }
}
