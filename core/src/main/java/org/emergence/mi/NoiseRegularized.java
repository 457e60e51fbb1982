package org.emergence.mi;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Noise-regularised MI: I(X + σx·Z; Y + σy·Z′) with independent standard normal Z, Z′. Finite even for
 * deterministic or discrete relations, and dependent on the geometry of the point clouds (Goldfeld et
 * al., ICML 2019). By default σ is relative: σx = σ·RMS(X), where
 * RMS(X) = sqrt( (1/(n·dx)) Σ_i Σ_c (x_ic − x̄_c)² ) is the root of the mean squared deviation from the
 * column means over all coordinates; with {@code absolute} σx = σy = σ.
 *
 * <p>The plain {@code gaussian} estimator adds σ² to the covariance diagonal analytically; every other
 * estimator gets a noise draw seeded from the estimate's seed. Diagnostics describe the original
 * (noise-free) samples.
 */
public final class NoiseRegularized implements Estimator {
    private final Estimator base;
    private final double sigma;
    private final boolean absolute;
    /** Fixed standard deviations for X and Y (set by {@link #fixed}); NaN when σ is relative or shared. */
    private final double fixedX, fixedY;

    public NoiseRegularized(Estimator base, double sigma, boolean absolute) {
        this(base, sigma, absolute, Double.NaN, Double.NaN);
    }

    private NoiseRegularized(Estimator base, double sigma, boolean absolute, double fixedX, double fixedY) {
        if (!(sigma >= 0) || Double.isInfinite(sigma)) throw new IllegalArgumentException("noise σ must be a finite number >= 0, got " + sigma);
        this.base = base;
        this.sigma = sigma;
        this.absolute = absolute;
        this.fixedX = fixedX;
        this.fixedY = fixedY;
    }

    /**
     * Noise with given absolute standard deviations for X and Y, e.g. scales computed once for a whole
     * layer and shared by every position and level; {@code sigma} is recorded as the setting they came from.
     */
    public static NoiseRegularized fixed(Estimator base, double sigma, double sigmaX, double sigmaY) {
        if (!(sigmaX > 0) || !(sigmaY > 0) || Double.isInfinite(sigmaX) || Double.isInfinite(sigmaY)) {
            throw new IllegalArgumentException("noise standard deviations must be finite and > 0, got " + sigmaX + ", " + sigmaY);
        }
        return new NoiseRegularized(base, sigma, true, sigmaX, sigmaY);
    }

    @Override
    public String name() {
        return base.name();
    }

    /** sqrt of the mean squared deviation from the column means, over all n·d coordinates. */
    public static double rms(Matrix m) {
        int n = m.rows(), d = m.cols();
        float[] a = m.data();
        double[] mean = org.emergence.tensor.DoubleLinalg.means(n, new org.emergence.tensor.DoubleLinalg.Block(a, d));
        double s = 0; // one sum in row-major order: the value every earlier run computed
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double v = a[i * d + j] - mean[j];
                s += v * v;
            }
        }
        return Math.sqrt(s / ((double) n * d));
    }

    @Override
    public Estimate estimate(Matrix x, Matrix y, long seed) {
        return estimate(x, y, seed, null);
    }

    @Override
    public Estimate estimateWithReplicates(Matrix x, Matrix y, long seed, RowGroups groups) {
        return estimate(x, y, seed, groups);
    }

    private Estimate estimate(Matrix x, Matrix y, long seed, RowGroups groups) {
        return estimate(x, y, seed, groups, null);
    }

    /**
     * The estimate (with replicates over {@code groups} when not null), reusing the diagnostics of exactly these x and
     * y when {@code known} is not null — e.g. computed once for the several noise scales of a band, whose samples are
     * the same (their covariances and row hashes are a third of a band's work otherwise spent three times).
     */
    public Estimate estimate(Matrix x, Matrix y, long seed, RowGroups groups, Diagnostics known) {
        long t0 = System.nanoTime();
        Inputs.requirePair(x, y, 1);
        boolean fixed = !Double.isNaN(fixedX);
        double sx = fixed ? fixedX : absolute ? sigma : sigma * rms(x), sy = fixed ? fixedY : absolute ? sigma : sigma * rms(y);
        Diagnostics original = known != null ? known : Diagnostics.of(x, y);
        Map<String, Object> extra = new LinkedHashMap<>(original.toMap());
        extra.put("noise_sigma", sigma);
        extra.put("noise_mode", fixed ? "fixed" : absolute ? "absolute" : "relative to RMS");
        extra.put("noise_sigma_x", sx);
        extra.put("noise_sigma_y", sy);
        Estimate e;
        if (sigma == 0 && !fixed) {
            e = groups == null ? base.estimate(x, y, seed) : base.estimateWithReplicates(x, y, seed, groups);
        } else if (base instanceof GaussianEstimator g && g.name().equals("gaussian")) {
            e = g.withNoiseVariances(sx * sx, sy * sy).estimate(x, y, seed, original, groups);
        } else if (base instanceof NoisyMixture mix) {
            // the mixture computes the noisy MI of the samples' distribution directly: no noise draw here
            e = mix.withNoise(sx, sy).estimate(x, y, seed, original, groups);
        } else {
            Rng r = new Rng(seed ^ 0x5DEECE66DL);
            Matrix nx = noisy(x, sx, r), ny = noisy(y, sy, r);
            e = groups == null ? base.estimate(nx, ny, seed) : base.estimateWithReplicates(nx, ny, seed, groups);
            extra.put("noise", "sampled (seeded)");
        }
        return Estimates.with(e, extra, List.of(), (System.nanoTime() - t0) / 1e9);
    }

    static Matrix noisy(Matrix m, double sigma, Rng r) {
        float[] a = m.data(), out = new float[a.length];
        for (int i = 0; i < a.length; i++) out[i] = (float) (a[i] + sigma * r.gaussian());
        return new Matrix(out, m.rows(), m.cols());
    }
}
