package org.emergence.mi;

import java.util.Arrays;
import java.util.Locale;
import org.emergence.tensor.DoubleLinalg;
import org.emergence.tensor.Gemm;
import org.emergence.tensor.Parallel;

/**
 * MI of the Gaussian with the sample covariance: I = ½ (log det Σx + log det Σy − log det Σ) with
 * Σ the covariance of [X Y]. Exact for jointly Gaussian data; with {@code copula} each column is first
 * replaced by its normal scores Φ⁻¹(rank/(n+1)), which makes it exact for any data whose copula is
 * Gaussian (Gaussian data pushed through strictly monotone maps of each coordinate).
 *
 * <p>Finite-sample bias: for an unbiased sample covariance S of p dimensions from n samples,
 * E[log det S] = log det Σ + Σ_{i=1..p} ψ((n−i)/2) + p·ln(2/(n−1)). Subtracting that offset from each
 * of the three log-determinants removes the (large, positive) bias of the plug-in MI in high dimension
 * (about dx·dy/(2n) nats). When a diagonal term is added to the covariance (noise regularisation or a
 * ridge for singular covariances) the offset is replaced by its second-order expansion
 * −[(tr M⁻¹S)² + tr (M⁻¹S)²] / (2(n−1)) with M = S + Δ, which equals the leading term of the exact
 * offset when Δ = 0.
 *
 * <p>Everything is computed on the correlation scale (MI does not depend on the scale of any
 * coordinate), in double precision; constant columns are dropped (they carry no information).
 * Options: {@code bias} (default true), {@code shrinkage} α ∈ [0, 1] (correlation → (1−α)R + αI;
 * turns the bias correction off).
 */
public final class GaussianEstimator extends AbstractEstimator {
    /** Ridge (on the correlation scale) added when a covariance is numerically singular. */
    public static final double RIDGE = 1e-6;

    private final boolean copula;
    private final boolean bias;
    private final double shrinkage;
    private final double noiseVarX, noiseVarY;

    public GaussianEstimator(boolean copula, boolean bias, double shrinkage) {
        this(copula, bias, shrinkage, 0, 0);
    }

    private GaussianEstimator(boolean copula, boolean bias, double shrinkage, double noiseVarX, double noiseVarY) {
        super(copula ? "gaussian-copula" : "gaussian");
        this.copula = copula;
        this.bias = bias;
        this.shrinkage = shrinkage;
        this.noiseVarX = noiseVarX;
        this.noiseVarY = noiseVarY;
    }

    static GaussianEstimator fromOptions(Options o, boolean copula) {
        return new GaussianEstimator(copula, o.bool("bias", true), o.real("shrinkage", 0, 0, 1));
    }

    /**
     * The same estimator for X + σx·Z, Y + σy·Z′ with independent standard normal Z, Z′: the noise
     * variances are added to the covariance diagonal analytically instead of being sampled. With
     * {@code copula} the variances are on the normal-score scale (unit variance per column).
     */
    public GaussianEstimator withNoiseVariances(double varX, double varY) {
        return new GaussianEstimator(copula, bias, shrinkage, varX, varY);
    }

    @Override
    protected Result compute(Matrix x, Matrix y, long seed, Context ctx) {
        int n = x.rows();
        int[] kx = varyingColumns(x), ky = varyingColumns(y);
        Matrix xs = selectColumns(x, kx), ys = selectColumns(y, ky);
        if (copula) {
            xs = normalScores(xs);
            ys = normalScores(ys);
        }
        int px = xs.cols(), py = ys.cols(), p = px + py;
        DoubleLinalg.Block bx = new DoubleLinalg.Block(xs.data(), px), by = new DoubleLinalg.Block(ys.data(), py);
        double[] cov = DoubleLinalg.covariance(n, DoubleLinalg.means(n, bx, by), bx, by);
        int[] ix = range(0, px), iy = range(px, p);
        if (!copula) ctx.diagnostics(DoubleLinalg.sub(cov, p, ix), DoubleLinalg.sub(cov, p, iy));
        Diagnostics diag = ctx.diagnostics();
        if (noiseVarX > 0 || noiseVarY > 0) {
            if (diag.distinctX() < 0.99 * n || diag.distinctY() < 0.99 * n) {
                ctx.warn("noise-regularised Gaussian MI of a point cloud (" + diag.distinctX() + " distinct rows in X, "
                        + diag.distinctY() + " in Y): exact only for Gaussian X and Y; for clustered data it is the MI of "
                        + "the Gaussians with the same covariances and is not bounded by H(X) or H(Y)");
            }
        } else {
            for (String w : diag.continuousWarnings()) ctx.warn(w);
        }
        if (n < 10 * (x.cols() + y.cols())) {
            ctx.warn("few samples for a Gaussian estimate: n = " + n + " < 10·(dx + dy) = " + 10 * (x.cols() + y.cols())
                    + "; the covariance and its bias correction are unreliable");
        }

        // correlation scale, with the noise variances (if any) carried along as a diagonal Δ
        double[] delta = new double[p];
        double[] scale = new double[p];
        for (int i = 0; i < p; i++) {
            double v = cov[i * p + i] + (i < px ? noiseVarX : noiseVarY);
            scale[i] = 1 / Math.sqrt(v);
            delta[i] = (i < px ? noiseVarX : noiseVarY) / v;
        }
        double[] r = new double[p * p]; // S on the correlation scale, without Δ
        for (int i = 0; i < p; i++) for (int j = 0; j < p; j++) r[i * p + j] = cov[i * p + j] * scale[i] * scale[j];
        if (shrinkage > 0) {
            for (int i = 0; i < p; i++) {
                for (int j = 0; j < p; j++) r[i * p + j] *= 1 - shrinkage;
                r[i * p + i] += shrinkage * (1 - delta[i]);
            }
        }
        boolean noisy = noiseVarX > 0 || noiseVarY > 0;
        double[] m = withDiagonal(r, p, delta, 0);
        int rank = DoubleLinalg.rank(m, p, Diagnostics.RANK_TOL);
        boolean ridged = false;
        double[] lj = m.clone();
        if (rank < p || !DoubleLinalg.cholesky(lj, p)) {
            ridged = true;
            for (int i = 0; i < p; i++) delta[i] += RIDGE;
            m = withDiagonal(r, p, delta, 0);
            lj = m.clone();
            if (!DoubleLinalg.cholesky(lj, p)) throw new IllegalStateException("ridge-regularised covariance not positive definite");
            ctx.warn(String.format(Locale.ROOT, "the covariance of [X Y] is singular (numerical rank %d of %d): a ridge of %.0e "
                    + "(relative to each variance) was added; a deterministic linear relation makes the true MI infinite, "
                    + "so the value reflects the ridge (use --noise to choose the regularisation)", rank, p, RIDGE));
        }
        ctx.put("joint_rank", rank);
        double[] mx = DoubleLinalg.sub(m, p, ix), my = DoubleLinalg.sub(m, p, iy);
        double[] lx = mx.clone(), ly = my.clone();
        if (!DoubleLinalg.cholesky(lx, px) || !DoubleLinalg.cholesky(ly, py)) {
            throw new IllegalStateException("principal block of a positive-definite matrix not positive definite");
        }
        double ldx = DoubleLinalg.logDetFromCholesky(lx, px), ldy = DoubleLinalg.logDetFromCholesky(ly, py);
        double ld = DoubleLinalg.logDetFromCholesky(lj, p);
        double mi = 0.5 * (ldx + ldy - ld);

        double[] invX = DoubleLinalg.inverseFromCholesky(lx, px), invY = DoubleLinalg.inverseFromCholesky(ly, py);
        double correction = 0;
        if (bias && shrinkage == 0) {
            if (!noisy && !ridged) {
                if (n - 1 > p) {
                    correction = 0.5 * (logDetBias(px, n) + logDetBias(py, n) - logDetBias(p, n));
                } else {
                    ctx.warn("no bias correction: n − 1 = " + (n - 1) + " does not exceed dx + dy = " + p);
                }
            } else {
                double[] deltaX = Arrays.copyOfRange(delta, 0, px), deltaY = Arrays.copyOfRange(delta, px, p);
                double bj = secondOrderBias(DoubleLinalg.inverseFromCholesky(lj, p), delta, n);
                correction = 0.5 * (secondOrderBias(invX, deltaX, n) + secondOrderBias(invY, deltaY, n) - bj);
            }
        }
        mi -= correction;
        ctx.put("bias_correction_nats", correction);
        ctx.put("plugin_nats", 0.5 * (ldx + ldy - ld));
        if (noisy) ctx.put("noise", "analytic (variance added to the covariance diagonal)");

        // Σρ² = tr(Mx⁻¹·Mxy·My⁻¹·Myx): the asymptotic variance of the plug-in MI is Σρ²/n
        double[] mxy = new double[px * py];
        for (int i = 0; i < px; i++) System.arraycopy(m, i * p + px, mxy, i * py, py);
        double[] t = new double[px * py], u = new double[px * py];
        Gemm.dgemm(false, false, px, py, px, 1, invX, px, mxy, py, 0, t, py);
        Gemm.dgemm(false, false, px, py, py, 1, mxy, py, invY, py, 0, u, py);
        double rho2 = 0;
        for (int i = 0; i < t.length; i++) rho2 += t[i] * u[i];
        double se = Math.sqrt(Math.max(0, rho2) / n + (double) px * py / (2.0 * n * n));
        ctx.put("sum_squared_canonical_correlations", rho2);
        return Result.of(mi, se, "asymptotic normal 95% (Σρ²/n + dx·dy/2n²)");
    }

    /** E[log det S] − log det Σ for an unbiased sample covariance of p dimensions from n samples. */
    public static double logDetBias(int p, int n) {
        double s = p * Math.log(2.0 / (n - 1));
        for (int i = 1; i <= p; i++) s += Special.digamma((n - i) / 2.0);
        return s;
    }

    /**
     * Second-order bias of log det(S + Δ) for a Wishart S (n − 1 degrees of freedom) and diagonal Δ:
     * −[(tr M⁻¹S)² + tr((M⁻¹S)²)] / (2(n−1)) with M⁻¹S = I − M⁻¹Δ.
     */
    static double secondOrderBias(double[] inv, double[] delta, int n) {
        int p = delta.length;
        double tr = p, tr2 = p;
        for (int i = 0; i < p; i++) {
            tr -= delta[i] * inv[i * p + i];
            tr2 -= 2 * delta[i] * inv[i * p + i];
        }
        for (int i = 0; i < p; i++) {
            if (delta[i] == 0) continue;
            for (int j = 0; j < p; j++) {
                double v = inv[i * p + j];
                tr2 += delta[i] * delta[j] * v * v;
            }
        }
        return -(tr * tr + tr2) / (2.0 * (n - 1));
    }

    private static double[] withDiagonal(double[] r, int p, double[] delta, double extra) {
        double[] m = r.clone();
        for (int i = 0; i < p; i++) m[i * p + i] += delta[i] + extra;
        return m;
    }

    static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) r[i] = from + i;
        return r;
    }

    static Matrix selectColumns(Matrix m, int[] cols) {
        if (cols.length == m.cols()) return m;
        int n = m.rows(), d = m.cols(), q = cols.length;
        float[] out = new float[n * q];
        float[] a = m.data();
        for (int i = 0; i < n; i++) for (int j = 0; j < q; j++) out[i * q + j] = a[i * d + cols[j]];
        return new Matrix(out, n, q);
    }

    /**
     * Each column replaced by its normal scores Φ⁻¹(rank/(n+1)) (ties get their average rank), which
     * keeps the copula and makes every marginal standard normal.
     */
    public static Matrix normalScores(Matrix m) {
        int n = m.rows(), d = m.cols();
        float[] a = m.data();
        float[] out = new float[n * d];
        double[] table = new double[n + 1];
        for (int r = 1; r <= n; r++) table[r] = Special.normalQuantile(r / (n + 1.0));
        Parallel.range(d, 4, (from, to) -> {
            long[] keys = new long[n];
            for (int c = from; c < to; c++) {
                for (int i = 0; i < n; i++) {
                    int b = Float.floatToIntBits(a[i * d + c] == 0f ? 0f : a[i * d + c]);
                    b ^= (b >> 31) & 0x7fffffff; // order-preserving as a signed int
                    keys[i] = ((long) b << 32) | i;
                }
                Arrays.sort(keys);
                int s = 0;
                while (s < n) {
                    int e = s + 1;
                    while (e < n && (keys[e] >>> 32) == (keys[s] >>> 32)) e++;
                    // ranks s+1 … e share the average (s + 1 + e) / 2
                    double score = e - s == 1 ? table[s + 1] : Special.normalQuantile((s + 1 + e) / 2.0 / (n + 1.0));
                    for (int k = s; k < e; k++) out[(int) keys[k] * d + c] = (float) score;
                    s = e;
                }
            }
        });
        return new Matrix(out, n, d);
    }
}
