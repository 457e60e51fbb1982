package org.emergence.mi;

import java.util.Locale;
import org.emergence.common.UserError;
import org.emergence.tensor.Gemm;
import org.emergence.tensor.Parallel;

/**
 * {@code mixture}: the noise-regularised MI of the samples' own distribution, computed rather than
 * approximated. Take (X, Y) uniform over the n sample pairs (duplicates merged into weighted
 * components) and add independent noise: X̃ = X + σx·Z, Ỹ = Y + σy·Z′. Then X̃, Ỹ and (X̃, Ỹ) are
 * Gaussian mixtures with known components, and
 * I(X̃; Ỹ) = E[ ln p(x̃, ỹ) − ln p(x̃) − ln p(ỹ) ]
 * is a Monte Carlo average over noise draws of exactly computable log-densities (log-sum-exp over
 * components; squared distances by GEMM in double). This is the "sample propagation" plug-in of
 * Goldfeld et al. (ICML 2019) for deterministic networks.
 *
 * <p>It is bounded by the entropy of the components (≤ ln n): when σ is small next to the spacing
 * of the samples, the value equals that entropy — a property of the dataset, not of the network —
 * and a warning says so. The interval is the Monte Carlo standard error of the noise average; the
 * empirical distribution itself is taken as exact (plug-in). Cost O(m·K·(dx + dy)) for m noise draws
 * and K components ({@code samples}, default 4096, cycling through the rows with fresh noise; and
 * {@code components}, default 8192, beyond which a seeded subsample of rows is used).
 *
 * <p>Needs noise: use it with {@code --noise} (σ relative to RMS or absolute), which calls
 * {@link #withNoise}.
 */
public final class NoisyMixture extends AbstractEstimator {
    public static final int DEFAULT_SAMPLES = 4096;
    public static final int DEFAULT_COMPONENTS = 8192;

    private final int maxSamples;
    private final int maxComponents;
    private final double sx, sy;

    public NoisyMixture(int maxSamples, int maxComponents) {
        this(maxSamples, maxComponents, 0, 0);
    }

    private NoisyMixture(int maxSamples, int maxComponents, double sx, double sy) {
        super("mixture");
        this.maxSamples = maxSamples;
        this.maxComponents = maxComponents;
        this.sx = sx;
        this.sy = sy;
    }

    static NoisyMixture fromOptions(Options o) {
        return new NoisyMixture(o.integer("samples", DEFAULT_SAMPLES, 16), o.integer("components", DEFAULT_COMPONENTS, 2));
    }

    /** The same estimator with absolute noise standard deviations for X and Y. */
    public NoisyMixture withNoise(double sigmaX, double sigmaY) {
        return new NoisyMixture(maxSamples, maxComponents, sigmaX, sigmaY);
    }

    @Override
    protected Result compute(Matrix x, Matrix y, long seed, Context ctx) {
        if (!(sx > 0) || !(sy > 0)) {
            throw new UserError("mixture estimates noise-regularised MI: give --noise SIGMA (> 0)");
        }
        int n = x.rows();
        Rng rng = new Rng(seed);
        // components: distinct (x, y) pairs with their counts; capped by a seeded subsample of rows
        int[] rows = java.util.stream.IntStream.range(0, n).toArray();
        RowIds pairs = RowIds.pairs(RowIds.of(x), RowIds.of(y));
        if (pairs.distinct > maxComponents) {
            int[] perm = rng.permutation(n);
            rows = java.util.Arrays.copyOf(perm, maxComponents);
            java.util.Arrays.sort(rows);
            ctx.warn(String.format(Locale.ROOT, "%d distinct pairs exceed components=%d: the mixture is built on a random "
                    + "subsample of %d rows (MI of the subsample, ceiling ln %d)", pairs.distinct, maxComponents,
                    maxComponents, maxComponents));
            Matrix xs = x.select(rows), ys = y.select(rows);
            pairs = RowIds.pairs(RowIds.of(xs), RowIds.of(ys));
        }
        int k = pairs.distinct;
        int[] first = new int[k];
        java.util.Arrays.fill(first, -1);
        for (int i = 0; i < rows.length; i++) if (first[pairs.ids[i]] < 0) first[pairs.ids[i]] = rows[i];
        double total = rows.length;
        double[] logW = new double[k];
        double hComp = 0;
        for (int c = 0; c < k; c++) {
            double w = pairs.counts[c] / total;
            logW[c] = Math.log(w);
            hComp -= w * logW[c];
        }
        // noise draws come from the mixture's own rows (all of them, or a seeded subset): a draw from a
        // row that is not a component would not be a sample of the mixture whose densities are evaluated
        // (each row in turn, several times with fresh noise when samples exceeds the rows)
        int m = maxSamples;
        int[] draws = new int[m];
        if (m >= rows.length) {
            for (int j = 0; j < m; j++) draws[j] = rows[j % rows.length];
        } else {
            int[] perm = rng.permutation(rows.length);
            for (int j = 0; j < m; j++) draws[j] = rows[perm[j]];
        }
        int dx = x.cols(), dy = y.cols();
        double[] mx = means(x), my = means(y);
        double[] cx = centered(x, first, mx), cy = centered(y, first, my); // components [k, d]
        double[] qx = new double[m * dx], qy = new double[m * dy];
        for (int j = 0; j < m; j++) {
            int r = draws[j];
            for (int a = 0; a < dx; a++) qx[j * dx + a] = x.data()[r * dx + a] - mx[a] + sx * rng.gaussian();
            for (int a = 0; a < dy; a++) qy[j * dy + a] = y.data()[r * dy + a] - my[a] + sy * rng.gaussian();
        }
        double[] iota = new double[m];
        double ax = 1 / (2 * sx * sx), ay = 1 / (2 * sy * sy);
        double[] nx = rowNorms(cx, k, dx), ny = rowNorms(cy, k, dy);
        int block = Math.max(1, Math.min(m, (1 << 22) / Math.max(1, k)));
        for (int j0 = 0; j0 < m; j0 += block) {
            int b = Math.min(block, m - j0);
            double[] gx = new double[b * k], gy = new double[b * k];
            // q·cᵀ for this block of draws against every component
            Gemm.dgemm(false, true, b, k, dx, 1, java.util.Arrays.copyOfRange(qx, j0 * dx, (j0 + b) * dx), dx, cx, dx, 0, gx, k);
            Gemm.dgemm(false, true, b, k, dy, 1, java.util.Arrays.copyOfRange(qy, j0 * dy, (j0 + b) * dy), dy, cy, dy, 0, gy, k);
            final int base = j0;
            Parallel.range(b, 8, (r0, r1) -> {
                double[] lx = new double[k], ly = new double[k], lxy = new double[k];
                for (int r = r0; r < r1; r++) {
                    int j = base + r;
                    double qnx = 0, qny = 0;
                    for (int a = 0; a < dx; a++) qnx += qx[j * dx + a] * qx[j * dx + a];
                    for (int a = 0; a < dy; a++) qny += qy[j * dy + a] * qy[j * dy + a];
                    for (int c = 0; c < k; c++) {
                        double d2x = Math.max(0, qnx + nx[c] - 2 * gx[r * k + c]);
                        double d2y = Math.max(0, qny + ny[c] - 2 * gy[r * k + c]);
                        lx[c] = logW[c] - ax * d2x;
                        ly[c] = logW[c] - ay * d2y;
                        lxy[c] = logW[c] - ax * d2x - ay * d2y;
                    }
                    iota[j] = lse(lxy, k) - lse(lx, k) - lse(ly, k);
                }
            });
        }
        double sum = 0, sum2 = 0;
        for (double v : iota) {
            sum += v;
            sum2 += v * v;
        }
        double mean = sum / m, var = Math.max(0, sum2 / m - mean * mean);
        double se = Math.sqrt(var / m);
        ctx.put("mixture_components", k);
        ctx.put("mixture_noise_draws", m);
        ctx.put("component_entropy_nats", hComp);
        ctx.put("noise_sigma_x_abs", sx);
        ctx.put("noise_sigma_y_abs", sy);
        if (mean >= 0.95 * hComp && hComp > 0) {
            ctx.warn(String.format(Locale.ROOT, "noise small next to the spacing of the samples: the estimate %.3f nats "
                    + "is within 5%% of the entropy of the %d distinct sample pairs (%.3f nats), a property of the "
                    + "dataset rather than of the network; use a larger --noise to compare geometry", mean, k, hComp));
        }
        // the value cannot exceed the components' entropy nor fall below 0 except by Monte Carlo error
        return new Result(mean, mean - 1.96 * se, mean + 1.96 * se,
                "Monte Carlo standard error of the noise average (plug-in empirical distribution), 95%", Double.NaN);
    }

    /** log Σ exp(v); terms more than 40 below the maximum (relative weight &lt; 4e-18) are skipped. */
    private static double lse(double[] v, int k) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) if (v[c] > max) max = v[c];
        double s = 0, cut = max - 40;
        for (int c = 0; c < k; c++) if (v[c] > cut) s += Math.exp(v[c] - max);
        return max + Math.log(s);
    }

    private static double[] means(Matrix m) {
        int n = m.rows(), d = m.cols();
        double[] mu = new double[d];
        float[] a = m.data();
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) mu[j] += a[i * d + j];
        for (int j = 0; j < d; j++) mu[j] /= n;
        return mu;
    }

    private static double[] centered(Matrix m, int[] rows, double[] mu) {
        int d = m.cols();
        double[] out = new double[rows.length * d];
        for (int c = 0; c < rows.length; c++) {
            for (int j = 0; j < d; j++) out[c * d + j] = m.data()[rows[c] * d + j] - mu[j];
        }
        return out;
    }

    private static double[] rowNorms(double[] a, int rows, int d) {
        double[] out = new double[rows];
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int j = 0; j < d; j++) s += a[r * d + j] * a[r * d + j];
            out[r] = s;
        }
        return out;
    }
}
