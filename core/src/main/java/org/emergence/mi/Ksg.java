package org.emergence.mi;

import java.util.Locale;
import java.util.SplittableRandom;
import org.emergence.common.UserError;
import org.emergence.tensor.Parallel;

/**
 * Kraskov–Stögbauer–Grassberger estimator, algorithm 1, max-norm:
 * I = ψ(k) + ψ(n) − ⟨ψ(n_x + 1) + ψ(n_y + 1)⟩, where ε_i is the distance from sample i to its k-th
 * nearest neighbour in the joint space and n_x counts the other samples with ‖x_j − x_i‖∞ &lt; ε_i.
 * Columns are standardised first (the max-norm is not scale-free). Exact search, O(n²·(dx+dy)) with
 * early exit on the coordinate loop; parallel over samples.
 *
 * <p>KSG is strongly biased downward in high dimension and under strong dependence: it warns above {@code warndim} total
 * dimensions (default 6) and refuses above {@code maxdim} (default 64). Duplicated rows (ties) break
 * its continuity assumption: they are separated by a seeded jitter of 1e-9 standard deviations, with
 * a warning.
 */
public final class Ksg extends AbstractEstimator {
    private final int k, warnDim, maxDim;

    public Ksg(int k, int warnDim, int maxDim) {
        super("ksg");
        this.k = k;
        this.warnDim = warnDim;
        this.maxDim = maxDim;
    }

    static Ksg fromOptions(Options o) {
        return new Ksg(o.integer("k", 3, 1), o.integer("warndim", 6, 1), o.integer("maxdim", 64, 1));
    }

    @Override
    protected int minSamples() {
        return k + 2;
    }

    @Override
    protected Result compute(Matrix x, Matrix y, long seed, Context ctx) {
        int n = x.rows(), dx = x.cols(), dy = y.cols(), d = dx + dy;
        if (d > maxDim) {
            throw new UserError(String.format(Locale.ROOT, "ksg: dx + dy = %d exceeds %d, where k-nearest-neighbour estimates "
                    + "are known to fail (they collapse towards 0); use gaussian-copula or a neural estimator "
                    + "(or ksg:maxdim=%d to force it)", d, maxDim, d));
        }
        if (d > warnDim) {
            ctx.warn("ksg in " + d + " dimensions: k-nearest-neighbour estimates are biased strongly downward above ~"
                    + warnDim + " dimensions");
        }
        Diagnostics diag = ctx.diagnostics();
        boolean ties = diag.distinctX() < n || diag.distinctY() < n;
        for (String w : diag.continuousWarnings()) ctx.warn(w);
        if (diag.distinctX() < 0.99 * n || diag.distinctY() < 0.99 * n) ctx.warn("duplicated rows: ties were broken with a seeded jitter of 1e-9 standard deviations; KSG "
                + "assumes continuous data (consider discrete-exact or --noise)");
        // joint row-major [n, d], standardised, x columns first
        double[] z = new double[n * d];
        standardise(x, z, d, 0);
        standardise(y, z, d, dx);
        if (ties) {
            SplittableRandom rnd = new SplittableRandom(seed);
            for (int i = 0; i < z.length; i++) z[i] += 1e-9 * gaussian(rnd);
        }
        double[] terms = new double[n];
        Parallel.range(n, 64, (from, to) -> {
            double[] best = new double[k];
            for (int i = from; i < to; i++) {
                double eps = kthDistance(z, n, d, i, best);
                int nx = count(z, n, d, i, 0, dx, eps), ny = count(z, n, d, i, dx, d, eps);
                terms[i] = Special.digamma(nx + 1) + Special.digamma(ny + 1);
            }
        });
        double mean = 0, m2 = 0;
        for (double t : terms) mean += t;
        mean /= n;
        for (double t : terms) m2 += (t - mean) * (t - mean);
        double mi = Special.digamma(k) + Special.digamma(n) - mean;
        ctx.put("k", k);
        // with every neighbour count at its minimum (k − 1) the estimate is ψ(n) − ψ(k): KSG's ceiling
        return Result.of(mi, Math.sqrt(m2 / (n - 1) / n), "per-sample standard error 95% (ignores neighbour dependence)")
                .withCeiling(Special.digamma(n) - Special.digamma(k));
    }

    private static void standardise(Matrix m, double[] z, int d, int off) {
        int n = m.rows(), c = m.cols();
        float[] a = m.data();
        for (int j = 0; j < c; j++) {
            double s = 0, s2 = 0;
            for (int i = 0; i < n; i++) s += a[i * c + j];
            double mean = s / n;
            for (int i = 0; i < n; i++) {
                double v = a[i * c + j] - mean;
                s2 += v * v;
            }
            double sd = Math.sqrt(s2 / n);
            double inv = sd > 0 ? 1 / sd : 0;
            for (int i = 0; i < n; i++) z[i * d + off + j] = (a[i * c + j] - mean) * inv;
        }
    }

    /** Distance to the k-th nearest other sample (max-norm over all d coordinates). */
    private double kthDistance(double[] z, int n, int d, int i, double[] best) {
        // best: sorted ascending, the k smallest distances so far
        java.util.Arrays.fill(best, Double.POSITIVE_INFINITY);
        int bi = i * d;
        for (int j = 0; j < n; j++) {
            if (j == i) continue;
            double bound = best[k - 1];
            double dist = 0;
            int bj = j * d;
            for (int c = 0; c < d && dist < bound; c++) {
                double v = Math.abs(z[bi + c] - z[bj + c]);
                if (v > dist) dist = v;
            }
            if (dist < bound) {
                int pos = k - 1;
                while (pos > 0 && best[pos - 1] > dist) {
                    best[pos] = best[pos - 1];
                    pos--;
                }
                best[pos] = dist;
            }
        }
        return best[k - 1];
    }

    /** Other samples strictly within eps in the max-norm over columns [c0, c1). */
    private static int count(double[] z, int n, int d, int i, int c0, int c1, double eps) {
        int cnt = 0, bi = i * d;
        for (int j = 0; j < n; j++) {
            if (j == i) continue;
            int bj = j * d;
            boolean in = true;
            for (int c = c0; c < c1; c++) {
                if (Math.abs(z[bi + c] - z[bj + c]) >= eps) {
                    in = false;
                    break;
                }
            }
            if (in) cnt++;
        }
        return cnt;
    }

    static double gaussian(SplittableRandom r) {
        // Box–Muller (one of the pair); deterministic for a seed
        double u1 = r.nextDouble(), u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }
}
