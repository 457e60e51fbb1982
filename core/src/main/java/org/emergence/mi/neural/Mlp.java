package org.emergence.mi.neural;

import java.util.List;
import org.emergence.mi.Rng;
import org.emergence.tensor.Gemm;
import org.emergence.tensor.Parallel;

/**
 * A multilayer perceptron on row batches [rows, width]: dense layers with LeakyReLU between them and
 * none after the last (optionally after the input layer of a caller's own first layer, see
 * {@link ConcatCritic}). Forward keeps every activation for the backward pass; buffers are reused
 * while the batch size stays the same. Products run on {@link Gemm}.
 */
final class Mlp {
    final Dense[] layers;
    final float slope;
    private final float[][] acts;
    private int rows = -1;

    /** widths = [in, h1, …, out]. */
    Mlp(int[] widths, float slope, Rng r) {
        this.slope = slope;
        layers = new Dense[widths.length - 1];
        for (int l = 0; l < layers.length; l++) {
            layers[l] = new Dense(widths[l], widths[l + 1], r, Dense.xavier(widths[l], widths[l + 1]));
        }
        acts = new float[layers.length + 1][];
    }

    int outWidth() {
        return layers[layers.length - 1].out;
    }

    /** Output [rows, out]; the returned array is owned by the MLP (valid until the next forward). */
    float[] forward(float[] input, int rows) {
        if (rows != this.rows) {
            this.rows = rows;
            for (int l = 0; l < layers.length; l++) acts[l + 1] = new float[rows * layers[l].out];
        }
        acts[0] = input;
        for (int l = 0; l < layers.length; l++) {
            Dense d = layers[l];
            float[] z = acts[l + 1];
            Gemm.sgemm(false, false, rows, d.out, d.in, 1f, acts[l], d.in, d.w, d.out, 0f, z, d.out);
            boolean act = l < layers.length - 1;
            biasAndActivate(z, rows, d.out, d.b, act ? slope : 1f);
        }
        return acts[layers.length];
    }

    /**
     * Accumulates parameter gradients for dLoss/dOutput = dOut and returns dLoss/dInput (null when
     * {@code inputGrad} is false). dOut may be overwritten.
     */
    float[] backward(float[] dOut, boolean inputGrad) {
        float[] d = dOut;
        for (int l = layers.length - 1; l >= 0; l--) {
            Dense layer = layers[l];
            if (l < layers.length - 1) leakyGrad(d, acts[l + 1], slope);
            Gemm.sgemm(true, false, layer.in, layer.out, rows, 1f, acts[l], layer.in, d, layer.out, 1f, layer.gw, layer.out);
            columnSums(d, rows, layer.out, layer.gb);
            if (l > 0 || inputGrad) {
                float[] prev = new float[rows * layer.in];
                Gemm.sgemm(false, true, rows, layer.in, layer.out, 1f, d, layer.out, layer.w, layer.out, 0f, prev, layer.in);
                d = prev;
            } else {
                d = null;
            }
        }
        return d;
    }

    void params(List<float[]> p, List<float[]> g) {
        for (Dense d : layers) {
            p.add(d.w);
            g.add(d.gw);
            p.add(d.b);
            g.add(d.gb);
        }
    }

    /** z += b per row, then LeakyReLU with the given slope (slope 1 = identity). */
    static void biasAndActivate(float[] z, int rows, int w, float[] b, float slope) {
        Parallel.range(rows, Math.max(1, 65536 / Math.max(1, w)), (from, to) -> {
            for (int i = from; i < to; i++) {
                int base = i * w;
                for (int j = 0; j < w; j++) {
                    float v = z[base + j] + b[j];
                    z[base + j] = v > 0 ? v : v * slope;
                }
            }
        });
    }

    /** d *= LeakyReLU'(z), read from the activation's sign (the same as the pre-activation's for slope > 0). */
    static void leakyGrad(float[] d, float[] act, float slope) {
        int n = d.length;
        Parallel.range(n, 1 << 16, (from, to) -> {
            for (int i = from; i < to; i++) if (act[i] <= 0) d[i] *= slope;
        });
    }

    static void columnSums(float[] d, int rows, int w, float[] acc) {
        double[] s = new double[w];
        for (int i = 0; i < rows; i++) {
            int base = i * w;
            for (int j = 0; j < w; j++) s[j] += d[base + j];
        }
        for (int j = 0; j < w; j++) acc[j] += (float) s[j];
    }
}
