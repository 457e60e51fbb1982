package org.emergence.mi;

import java.util.SplittableRandom;
import org.emergence.tensor.Parallel;

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

    /**
     * Fills {@code out[0 .. count)} with the next {@code count} standard normals: exactly the values, in the same order,
     * that {@code count} calls of {@link #gaussian} would return, and the same state afterwards (the spare of a pair
     * kept). The uniforms and the rejection step are drawn in sequence; the logarithms and square roots of the
     * accepted pairs — most of the cost — are then taken in parallel over index ranges ({@link Parallel#range}), each
     * value by the same operations as in {@link #gaussian}.
     *
     * @param s scratch for the pairs' s = u² + v², at least (count + 1) / 2 long
     */
    public void gaussians(double[] out, int count, double[] s) {
        int i = 0;
        if (count > 0 && hasSpare) {
            out[0] = spare;
            hasSpare = false;
            i = 1;
        }
        int first = i, pairs = (count - first + 1) / 2;
        double lastV = 0;
        for (int p = 0; p < pairs; p++) {
            double u, v, sp;
            do {
                u = 2 * r.nextDouble() - 1;
                v = 2 * r.nextDouble() - 1;
                sp = u * u + v * v;
            } while (sp >= 1 || sp == 0);
            s[p] = sp;
            out[first + 2 * p] = u;
            if (first + 2 * p + 1 < count) out[first + 2 * p + 1] = v;
            else lastV = v;
        }
        final double vOdd = lastV;
        final double[] oddSpare = new double[1];
        Parallel.range(pairs, 4096, (p0, p1) -> {
            for (int p = p0; p < p1; p++) {
                double f = Math.sqrt(-2 * Math.log(s[p]) / s[p]);
                int at = first + 2 * p;
                out[at] = out[at] * f;
                if (at + 1 < count) out[at + 1] = out[at + 1] * f;
                else oddSpare[0] = vOdd * f;
            }
        });
        if (first + 2 * pairs > count) {
            spare = oddSpare[0];
            hasSpare = true;
        }
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
