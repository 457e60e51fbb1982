package org.emergence.mi;

import java.util.Locale;
import org.emergence.tensor.Gemm;
import org.emergence.tensor.Parallel;

/**
 * {@code mixture}: the noise-regularised MI of the samples' own distribution, computed rather than
 * approximated. Take (X, Y) uniform over the n sample pairs (duplicates merged into weighted
 * components) and add independent noise: X̃ = X + σx·Z, Ỹ = Y + σy·Z′. Then X̃, Ỹ and (X̃, Ỹ) are
 * Gaussian mixtures with known components, and
 * I(X̃; Ỹ) = E[ ln p(x̃, ỹ) − ln p(x̃) − ln p(ỹ) ]
 * is a Monte Carlo average over noise draws of exactly computable log-densities (log-sum-exp over
 * components in double; squared distances from a float32 GEMM, {@link Products}). This is the "sample propagation" plug-in of
 * Goldfeld et al. (ICML 2019) for deterministic networks.
 *
 * <p>It is bounded by the entropy of the components (≤ ln n): when σ is small next to the spacing
 * of the samples, the value equals that entropy — a property of the dataset, not of the network —
 * and a warning says so. The interval is the Monte Carlo standard error of the noise average; the
 * empirical distribution itself is taken as exact (plug-in). Cost O(m·K·(dx + dy)) for m noise draws
 * and K components ({@code samples}, default 4096: every row gets the same number of draws, about samples / n,
 * each with fresh noise; and
 * {@code components}, default 8192, beyond which a seeded subsample of rows is used).
 *
 * <p>Needs noise: on the command line {@code --noise} (σ relative to RMS or absolute); from Java
 * {@link Estimators#withRelativeNoise} or {@link Estimators#withAbsoluteNoise}, which call {@link #withNoise}.
 * Without it {@link #estimate} throws {@link IllegalStateException} saying so.
 */
public final class NoisyMixture extends AbstractEstimator {
    /** What a library caller who asks the mixture for an estimate without noise is told. */
    public static final String NEEDS_NOISE = "mixture computes noise-regularised MI and needs noise σ > 0: wrap it, e.g. "
            + "Estimators.withRelativeNoise(Estimators.get(\"mixture\"), 2.0) (σ = 2 × each variable's RMS) or "
            + "Estimators.withAbsoluteNoise(Estimators.get(\"mixture\"), sigma)";
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
            throw new IllegalStateException(NEEDS_NOISE);
        }
        int n = x.rows();
        Rng rng = new Rng(seed);
        // components: distinct (x, y) pairs with their counts; capped by a seeded subsample of rows
        int[] rows = java.util.stream.IntStream.range(0, n).toArray();
        RowIds pairs = ctx.diagnostics().rowIdsXY();
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
        RowGroups groups = ctx.groups();
        int gs = groups == null ? 1 : groups.groups();
        int[] rowGroup = new int[rows.length];
        if (groups != null) for (int i = 0; i < rows.length; i++) rowGroup[i] = groups.groupOf()[rows[i]];
        int k = pairs.distinct;
        int[] first = new int[k];
        java.util.Arrays.fill(first, -1);
        for (int i = 0; i < rows.length; i++) if (first[pairs.ids[i]] < 0) first[pairs.ids[i]] = rows[i];
        double total = rows.length;
        double hComp = 0;
        for (int c = 0; c < k; c++) {
            double w = pairs.counts[c] / total;
            hComp -= w * Math.log(w);
        }
        // cells: (component, group) with their counts, ordered by group, so that each group's share of a
        // density is one log-sum-exp over a contiguous range
        int[] cellCount = new int[k * gs];
        for (int i = 0; i < rows.length; i++) cellCount[pairs.ids[i] * gs + rowGroup[i]]++;
        int cells = 0;
        for (int v : cellCount) if (v > 0) cells++;
        int[] cellComp = new int[cells], groupStart = new int[gs + 1];
        double[] cellLogW = new double[cells], groupRows = new double[gs];
        int at = 0;
        for (int g = 0; g < gs; g++) {
            groupStart[g] = at;
            for (int c = 0; c < k; c++) {
                int cnt = cellCount[c * gs + g];
                if (cnt == 0) continue;
                cellComp[at] = c;
                cellLogW[at] = Math.log(cnt / total);
                groupRows[g] += cnt;
                at++;
            }
        }
        groupStart[gs] = at;
        // noise draws come from the mixture's own rows: a draw from a row that is not a component would not be a
        // sample of the mixture whose densities are evaluated. Every row gets the same number of draws (about
        // samples / rows, at least one), so the average weighs rows exactly as the mixture does and does not depend on
        // their order; with more rows than samples, a seeded subset of the rows gets one draw each.
        int perRow = rows.length <= maxSamples ? Math.max(1, (int) Math.round((double) maxSamples / rows.length)) : 1;
        int m = rows.length <= maxSamples ? perRow * rows.length : maxSamples;
        int[] draws = new int[m], drawGroup = new int[m];
        if (rows.length <= maxSamples) {
            for (int i = 0, j = 0; i < rows.length; i++) {
                for (int c = 0; c < perRow; c++, j++) {
                    draws[j] = rows[i];
                    drawGroup[j] = rowGroup[i];
                }
            }
        } else {
            int[] perm = rng.permutation(rows.length);
            for (int j = 0; j < m; j++) {
                draws[j] = rows[perm[j]];
                drawGroup[j] = rowGroup[perm[j]];
            }
        }
        int dx = x.cols(), dy = y.cols();
        double[] mx = means(x), my = means(y);
        // components [k, d] and noisy draws [m, d], centred, in direct buffers: OpenBLAS reads them in place
        // (heap arrays are copied in and out of native memory on every call — most of a paper-scale estimate)
        int block = Math.max(1, Math.min(m, (1 << 22) / Math.max(1, k)));
        // per draw: the log-density contributions of each group, [m, G] for x, y and (x, y)
        double[] lsx = new double[m * gs], lsy = new double[m * gs], lsxy = new double[m * gs];
        Scratch sc = Scratch.borrow();
        try {
            java.nio.DoubleBuffer cx = centered(x, first, mx, sc.get(0, (long) k * dx)), cy = centered(y, first, my, sc.get(1, (long) k * dy));
            java.nio.DoubleBuffer qx = sc.get(2, (long) m * dx), qy = sc.get(3, (long) m * dy);
            noisyDraws(x, y, draws, mx, my, rng, qx, qy);
            double ax = 1 / (2 * sx * sx), ay = 1 / (2 * sy * sy);
            Products px = new Products(sc, 0, cx, k, qx, m, dx), py = new Products(sc, 1, cy, k, qy, m, dy);
            double[] nx = px.componentNorms, ny = py.componentNorms, qnx = px.drawNorms, qny = py.drawNorms;
            double[] gx = new double[block * k], gy = new double[block * k];
            final int ncells = cells;
            for (int j0 = 0; j0 < m; j0 += block) {
                int b = Math.min(block, m - j0);
                // q·cᵀ for this block of draws against every component, into arrays the loop below vectorises
                px.dot(j0, b, gx);
                py.dot(j0, b, gy);
                final int base = j0;
                Parallel.range(b, 8, (r0, r1) -> {
                    double[] ex = new double[k], ey = new double[k];
                    double[] vx = new double[ncells], vy = new double[ncells], vxy = new double[ncells];
                    for (int r = r0; r < r1; r++) {
                        int j = base + r;
                        for (int c = 0; c < k; c++) {
                            ex[c] = -ax * Math.max(0, qnx[j] + nx[c] - 2 * gx[r * k + c]);
                            ey[c] = -ay * Math.max(0, qny[j] + ny[c] - 2 * gy[r * k + c]);
                        }
                        for (int g = 0; g < gs; g++) {
                            lse3(cellComp, cellLogW, ex, ey, vx, vy, vxy, groupStart[g], groupStart[g + 1], lsx, lsy, lsxy, j * gs + g);
                        }
                    }
                });
            }
        } finally {
            sc.release();
        }
        double[] iota = new double[m];
        for (int j = 0; j < m; j++) iota[j] = pointwise(lsx, lsy, lsxy, j, gs, -1, 0, 0);
        double sum = 0, sum2 = 0;
        for (double v : iota) {
            sum += v;
            sum2 += v * v;
        }
        double mean = sum / m, var = Math.max(0, sum2 / m - mean * mean);
        double se = Math.sqrt(var / m);
        if (groups != null) ctx.replicates(replicates(lsx, lsy, lsxy, drawGroup, gs, groupRows, total, se));
        ctx.put("mixture_components", k);
        ctx.put("mixture_noise_draws", m);
        ctx.put("component_entropy_nats", hComp);
        ctx.put("noise_sigma_x_abs", sx);
        ctx.put("noise_sigma_y_abs", sy);
        ctx.put("mc_se_nats", se);
        if (mean >= 0.95 * hComp && hComp > 0) {
            ctx.warn(String.format(Locale.ROOT, "noise small next to the spacing of the samples: the estimate %.3f nats "
                    + "is within 5%% of the entropy of the %d distinct sample pairs (%.3f nats), a property of the "
                    + "dataset rather than of the network; use a larger --noise to compare geometry", mean, k, hComp));
        }
        // the value cannot exceed the components' entropy nor fall below 0 except by Monte Carlo error
        return new Result(mean, mean - 1.96 * se, mean + 1.96 * se,
                "Monte Carlo standard error of the noise average (plug-in empirical distribution), 95%", Double.NaN);
    }

    /**
     * ln p(x̃, ỹ) − ln p(x̃) − ln p(ỹ) at draw j for the mixture restricted to a set of groups: all
     * groups ({@code skip} = −1, {@code parts} = 0), all but group {@code skip}, or the groups
     * g ≡ {@code part} (mod {@code parts}), before renormalisation: each restricted density is
     * renormalised by the rows it keeps, and the three renormalisations leave −ln(total / kept) in the
     * difference, which the caller subtracts.
     */
    private static double pointwise(double[] lsx, double[] lsy, double[] lsxy, int j, int gs, int skip, int part, int parts) {
        return lseGroups(lsxy, j, gs, skip, part, parts) - lseGroups(lsx, j, gs, skip, part, parts)
                - lseGroups(lsy, j, gs, skip, part, parts);
    }

    private static double lseGroups(double[] ls, int j, int gs, int skip, int part, int parts) {
        double max = Double.NEGATIVE_INFINITY;
        for (int g = 0; g < gs; g++) {
            if (g == skip || (parts > 0 && g % parts != part)) continue;
            max = Math.max(max, ls[j * gs + g]);
        }
        if (max == Double.NEGATIVE_INFINITY) return max;
        double s = 0;
        for (int g = 0; g < gs; g++) {
            if (g == skip || (parts > 0 && g % parts != part)) continue;
            s += Math.exp(ls[j * gs + g] - max);
        }
        return max + Math.log(s);
    }

    /**
     * Leave-one-group-out, half and quarter values from the per-group densities of the same draws: each
     * averages the pointwise terms of the draws whose row it keeps, under the mixture of the rows it keeps.
     */
    private static Replicates replicates(double[] lsx, double[] lsy, double[] lsxy, int[] drawGroup, int gs,
                                         double[] groupRows, double total, double mcSe) {
        int m = drawGroup.length;
        double[] leave = new double[gs], half = new double[2], quarter = new double[4];
        double[] leaveSum = new double[gs];
        int[] leaveCnt = new int[gs];
        double[] lx = new double[gs], ly = new double[gs], lxy = new double[gs];
        for (int j = 0; j < m; j++) {
            // all leave-one-group-out log-densities of draw j in O(G): prefix and suffix sums of the groups' shares
            leaveOneOut(lsx, j, gs, lx);
            leaveOneOut(lsy, j, gs, ly);
            leaveOneOut(lsxy, j, gs, lxy);
            for (int g = 0; g < gs; g++) {
                if (drawGroup[j] == g) continue;
                leaveSum[g] += lxy[g] - lx[g] - ly[g];
                leaveCnt[g]++;
            }
        }
        for (int g = 0; g < gs; g++) {
            leave[g] = leaveCnt[g] == 0 ? Double.NaN : leaveSum[g] / leaveCnt[g] - Math.log(total / (total - groupRows[g]));
        }
        for (int parts : new int[] {2, 4}) {
            for (int p = 0; p < parts; p++) {
                double kept = 0, s = 0;
                for (int g = 0; g < gs; g++) if (g % parts == p) kept += groupRows[g];
                int cnt = 0;
                for (int j = 0; j < m; j++) {
                    if (drawGroup[j] % parts != p) continue;
                    s += pointwise(lsx, lsy, lsxy, j, gs, -1, p, parts);
                    cnt++;
                }
                double v = cnt == 0 || kept == 0 ? Double.NaN : s / cnt - Math.log(total / kept);
                if (parts == 2) half[p] = v;
                else quarter[p] = v;
            }
        }
        return new Replicates(leave, half, quarter, mcSe);
    }

    /**
     * out[g] = log Σ_{g' ≠ g} exp(ls[j·G + g']). The shares are scaled by the largest and summed as
     * prefix + suffix (no subtraction, so no cancellation); where every other share underflows at that
     * scale the exact log-sum-exp without g is taken instead.
     */
    private static void leaveOneOut(double[] ls, int j, int gs, double[] out) {
        double max = Double.NEGATIVE_INFINITY;
        for (int g = 0; g < gs; g++) max = Math.max(max, ls[j * gs + g]);
        double[] e = new double[gs], pre = new double[gs + 1], suf = new double[gs + 1];
        for (int g = 0; g < gs; g++) e[g] = max == Double.NEGATIVE_INFINITY ? 0 : Math.exp(ls[j * gs + g] - max);
        for (int g = 0; g < gs; g++) pre[g + 1] = pre[g] + e[g];
        for (int g = gs - 1; g >= 0; g--) suf[g] = suf[g + 1] + e[g];
        for (int g = 0; g < gs; g++) {
            double rest = pre[g] + suf[g + 1];
            out[g] = rest > 1e-250 ? max + Math.log(rest) : lseGroups(ls, j, gs, g, 0, 0);
        }
    }

    /**
     * The noisy draws, centred: q_x[j] = x[draws[j]] − x̄ + σx·z and q_y[j] = y[draws[j]] − ȳ + σy·z′, the normals taken from
     * {@code rng} in the order draw by draw, x's coordinates then y's (as one {@link Rng#gaussian} call per coordinate
     * would); in chunks of draws, the normals' logarithms and roots and the fill in parallel.
     */
    private void noisyDraws(Matrix x, Matrix y, int[] draws, double[] mx, double[] my, Rng rng,
                            java.nio.DoubleBuffer qx, java.nio.DoubleBuffer qy) {
        int m = draws.length, dx = x.cols(), dy = y.cols(), d = dx + dy;
        int chunk = Math.max(1, Math.min(m, (1 << 18) / d));
        double[] z = new double[chunk * d], s = new double[(chunk * d + 1) / 2];
        float[] xa = x.data(), ya = y.data();
        for (int j0 = 0; j0 < m; j0 += chunk) {
            int b = Math.min(chunk, m - j0);
            rng.gaussians(z, b * d, s);
            final int base = j0;
            Parallel.range(b, 16, (r0, r1) -> {
                for (int i = r0; i < r1; i++) {
                    int j = base + i, r = draws[j];
                    for (int a = 0; a < dx; a++) qx.put(j * dx + a, xa[r * dx + a] - mx[a] + sx * z[i * d + a]);
                    for (int a = 0; a < dy; a++) qy.put(j * dy + a, ya[r * dy + a] - my[a] + sy * z[i * d + dx + a]);
                }
            });
        }
    }

    /**
     * The three log-sum-exps of one draw over the cells [from, to) of one group — log Σ exp(v) for v = the cells'
     * log-weights plus the x, y and x + y exponents of their components — in one pass for the maxima and one for the
     * sums, three independent accumulations in one loop. Terms more than 40 below their maximum (relative weight
     * under 4.3e-18) are skipped.
     */
    private static void lse3(int[] cellComp, double[] cellLogW, double[] ex, double[] ey, double[] vx, double[] vy,
                             double[] vxy, int from, int to, double[] lsx, double[] lsy, double[] lsxy, int at) {
        double mx = Double.NEGATIVE_INFINITY, my = Double.NEGATIVE_INFINITY, mxy = Double.NEGATIVE_INFINITY;
        for (int e = from; e < to; e++) {
            int c = cellComp[e];
            double a = cellLogW[e] + ex[c], b = cellLogW[e] + ey[c], ab = a + ey[c];
            vx[e] = a;
            vy[e] = b;
            vxy[e] = ab;
            if (a > mx) mx = a;
            if (b > my) my = b;
            if (ab > mxy) mxy = ab;
        }
        double s1 = 0, s2 = 0, s3 = 0;
        for (int e = from; e < to; e++) {
            double d1 = vx[e] - mx, d2 = vy[e] - my, d3 = vxy[e] - mxy;
            s1 += d1 > -40 ? FastExp.exp(d1) : 0;
            s2 += d2 > -40 ? FastExp.exp(d2) : 0;
            s3 += d3 > -40 ? FastExp.exp(d3) : 0;
        }
        lsx[at] = mx == Double.NEGATIVE_INFINITY ? mx : mx + Math.log(s1);
        lsy[at] = my == Double.NEGATIVE_INFINITY ? my : my + Math.log(s2);
        lsxy[at] = mxy == Double.NEGATIVE_INFINITY ? mxy : mxy + Math.log(s3);
    }

    private static double[] means(Matrix m) {
        return org.emergence.tensor.DoubleLinalg.means(m.rows(), new org.emergence.tensor.DoubleLinalg.Block(m.data(), m.cols()));
    }

    /**
     * Direct buffers for the GEMM operands, kept for the next estimate (allocating ~200 MB of direct
     * memory per paper-scale estimate made the JVM stall in direct-memory reclamation); one set per
     * concurrently running estimate.
     */
    private static final class Scratch {
        private static final java.util.concurrent.ConcurrentLinkedQueue<Scratch> FREE = new java.util.concurrent.ConcurrentLinkedQueue<>();
        private final java.nio.DoubleBuffer[] bufs = new java.nio.DoubleBuffer[6];
        private final java.nio.FloatBuffer[] floats = new java.nio.FloatBuffer[6];

        static Scratch borrow() {
            Scratch s = FREE.poll();
            return s != null ? s : new Scratch();
        }

        /** Buffer i with room for n doubles (contents undefined). */
        java.nio.DoubleBuffer get(int i, long n) {
            if (bufs[i] == null || bufs[i].capacity() < n) bufs[i] = Gemm.allocateDouble(Math.max(n, bufs[i] == null ? 0 : bufs[i].capacity() * 3L / 2));
            return bufs[i];
        }

        /** Float buffer i with room for n floats (contents undefined). */
        java.nio.FloatBuffer getF(int i, long n) {
            if (floats[i] == null || floats[i].capacity() < n) floats[i] = Gemm.allocate(Math.max(n, floats[i] == null ? 0 : floats[i].capacity() * 3L / 2));
            return floats[i];
        }

        void release() {
            FREE.add(this);
        }
    }

    /** The given rows minus the column means, [rows, d], into a direct buffer. */
    private static java.nio.DoubleBuffer centered(Matrix m, int[] rows, double[] mu, java.nio.DoubleBuffer out) {
        int d = m.cols();
        for (int c = 0; c < rows.length; c++) {
            for (int j = 0; j < d; j++) out.put(c * d + j, m.data()[rows[c] * d + j] - mu[j]);
        }
        return out;
    }

    /**
     * The products q·c of one side's noisy draws with its components. In float32 (the default): the centred
     * components and draws are rounded to float once, multiplied by SGEMM (fp32 accumulation, half the memory
     * traffic of DGEMM), and the squared norms are summed in double from the same rounded values, so that
     * |q|² + |c|² − 2 q·c is the squared distance of the rounded points up to the dot product's own fp32 rounding
     * (≈ 2⁻²⁴·√d·|q||c|); exponentials and log-sum-exp stay in double. {@code -Demergence.mixture.products=double}
     * keeps every step in double (the reference path the float32 one is tested against).
     */
    static final class Products {
        /** float32 products (default) or double; tests switch it to compare the two paths on the same draws. */
        static volatile boolean defaultFloat = !"double".equals(System.getProperty("emergence.mixture.products"));
        private final boolean f32 = defaultFloat;
        private final Scratch sc;
        private final int side, k, d;
        private final java.nio.DoubleBuffer c, q;
        private final java.nio.FloatBuffer cf, qf;
        final double[] componentNorms, drawNorms;

        Products(Scratch sc, int side, java.nio.DoubleBuffer c, int k, java.nio.DoubleBuffer q, int m, int d) {
            this.sc = sc;
            this.side = side;
            this.c = c;
            this.q = q;
            this.k = k;
            this.d = d;
            if (f32) {
                cf = toFloat(c, (long) k * d, sc.getF(side * 3, (long) k * d));
                qf = toFloat(q, (long) m * d, sc.getF(side * 3 + 1, (long) m * d));
                componentNorms = NoisyMixture.rowNorms(cf::get, k, d);
                drawNorms = NoisyMixture.rowNorms(qf::get, m, d);
            } else {
                cf = qf = null;
                componentNorms = NoisyMixture.rowNorms(c::get, k, d);
                drawNorms = NoisyMixture.rowNorms(q::get, m, d);
            }
        }

        /** out[r·k + c] = q[j0 + r]·c[c] for r &lt; b. */
        void dot(int j0, int b, double[] out) {
            if (f32) {
                java.nio.FloatBuffer g = sc.getF(side * 3 + 2, (long) b * k);
                Gemm.sgemm(false, true, b, k, d, 1f, qf, (long) j0 * d, d, cf, 0, d, 0f, g, 0, k);
                float[] tmp = new float[b * k];
                g.get(0, tmp, 0, b * k);
                for (int i = 0; i < b * k; i++) out[i] = tmp[i];
            } else {
                java.nio.DoubleBuffer g = sc.get(4 + side, (long) b * k);
                Gemm.dgemm(false, true, b, k, d, 1, q, (long) j0 * d, d, c, 0, d, 0, g, 0, k);
                g.get(0, out, 0, b * k);
            }
        }

        private static java.nio.FloatBuffer toFloat(java.nio.DoubleBuffer src, long n, java.nio.FloatBuffer dst) {
            for (int i = 0; i < n; i++) dst.put(i, (float) src.get(i));
            return dst;
        }
    }

    /** Squared norms, in double, of the rows of a [rows, d] buffer (double or float), summed in index order. */
    private static double[] rowNorms(java.util.function.IntToDoubleFunction a, int rows, int d) {
        double[] out = new double[rows];
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                double v = a.applyAsDouble(r * d + j);
                s += v * v;
            }
            out[r] = s;
        }
        return out;
    }
}
