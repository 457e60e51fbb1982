package org.emergence.model;

import org.emergence.model.ModelConfig.Norm;

/** One row's normalisation, in place: LayerNorm, RMSNorm or Gemma's (1 + w) RMSNorm, with or without parameters. */
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
}
