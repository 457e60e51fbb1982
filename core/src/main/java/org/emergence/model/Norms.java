package org.emergence.model;

import java.nio.FloatBuffer;
import org.emergence.model.BoundWeights.NormP;
import org.emergence.model.ModelConfig.Norm;
import org.emergence.tensor.Kernels;
import org.emergence.tensor.Parallel;

/** Normalisation of one row in place, or of m rows of the residual stream: LayerNorm, RMSNorm or Gemma's (1 + w) RMSNorm, with or without parameters. */
final class Norms {
    private Norms() {}

    /**
     * x[0..n) ← norm(x)·w + b, with the row's mean and variance (or mean square) accumulated in
     * double. {@code w == null}: a norm without parameters (OLMo's LayerNorm).
     */
    static void normRow(Norm kind, float[] x, int n, float[] w, float[] b, float eps) {
        if (kind == Norm.LAYER_NORM) {
            double mean = 0;
            for (int j = 0; j < n; j++) mean += x[j];
            mean /= n;
            double var = 0;
            for (int j = 0; j < n; j++) {
                double d = x[j] - mean;
                var += d * d;
            }
            var /= n;
            float inv = (float) (1.0 / Math.sqrt(var + eps));
            float mu = (float) mean;
            if (w == null) {
                for (int j = 0; j < n; j++) x[j] = (x[j] - mu) * inv; // no parameters (OLMo)
            } else {
                for (int j = 0; j < n; j++) x[j] = (x[j] - mu) * inv * w[j] + (b == null ? 0f : b[j]);
            }
        } else {
            double ss = 0;
            for (int j = 0; j < n; j++) ss += (double) x[j] * x[j];
            float inv = (float) (1.0 / Math.sqrt(ss / n + eps));
            if (w == null) {
                for (int j = 0; j < n; j++) x[j] = x[j] * inv;
            } else if (kind == Norm.RMS_NORM) {
                for (int j = 0; j < n; j++) x[j] = w[j] * (x[j] * inv);
            } else {
                for (int j = 0; j < n; j++) x[j] = (x[j] * inv) * (1f + w[j]);
            }
        }
    }

    /** y[r] = norm(x[r]) for m rows of width H (x and y may be the same buffer). */
    static void rows(ModelConfig cfg, NormP p, FloatBuffer x, FloatBuffer y, int m) {
        int n = cfg.hidden();
        float eps = cfg.normEps();
        Norm kind = cfg.norm();
        float[] w = p.w(), bias = p.b();
        Parallel.range(m, 64, (r0, r1) -> {
            float[] row = new float[n];
            for (int r = r0; r < r1; r++) {
                x.get(r * n, row, 0, n);
                normRow(kind, row, n, w, bias, eps);
                y.put(r * n, row, 0, n);
            }
        });
    }

    /** h += norm(t) (Gemma 2's post-attention and post-MLP norms). */
    static void addRows(ModelConfig cfg, NormP p, FloatBuffer t, FloatBuffer h, int m) {
        int n = cfg.hidden();
        float eps = cfg.normEps();
        Norm kind = cfg.norm();
        Kernels.mapRows2(h, 0, n, t, 0, n, m, n, (r, hr, tr, len) -> {
            normRow(kind, tr, len, p.w(), p.b(), eps);
            for (int j = 0; j < len; j++) hr[j] += tr[j];
        });
    }
}
