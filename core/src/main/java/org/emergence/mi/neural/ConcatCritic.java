package org.emergence.mi.neural;

import org.emergence.mi.Rng;
import org.emergence.tensor.Gemm;
import org.emergence.tensor.Parallel;

/**
 * The concatenation critic T(x, y) = MLP([x; y]). Its first layer is linear in the concatenation,
 * W·[x; y] = Wx·x + Wy·y, so for any set of pairs the products Ux = xb·Wx and Uy = yb·Wy are computed
 * once per batch row and each pair's pre-activation is Ux[i] + Uy[j] + b: shuffled and all-pairs
 * negatives cost no extra first-layer GEMMs.
 */
final class ConcatCritic extends Critic {
    private final int dx, dy, h1;
    private final float slope;
    private final Dense wx, wy; // [dx, h1], [dy, h1]; wy's bias is unused, wx's is the layer bias
    private final Mlp rest; // h1 → … → 1
    private float[] xb, yb, ux, uy, hidden;
    private int b;
    private int[] pi, pj;
    private int pairs;

    /** widths = hidden widths [h1, …, hL]; the output width 1 is added. */
    ConcatCritic(int dx, int dy, int[] widths, float slope, Rng r) {
        this.dx = dx;
        this.dy = dy;
        this.h1 = widths[0];
        this.slope = slope;
        double std = Dense.xavier(dx + dy, h1); // the same initialisation as one [dx+dy, h1] layer
        wx = new Dense(dx, h1, r, std);
        wy = new Dense(dy, h1, r, std);
        int[] w = new int[widths.length + 1];
        System.arraycopy(widths, 0, w, 0, widths.length);
        w[widths.length] = 1;
        rest = new Mlp(w, slope, r);
        params.add(wx.w);
        grads.add(wx.gw);
        params.add(wy.w);
        grads.add(wy.gw);
        params.add(wx.b);
        grads.add(wx.gb);
        rest.params(params, grads);
    }

    @Override
    float[] forward(float[] xb, float[] yb, int b, int[] pi, int[] pj) {
        if (pi == null) {
            pi = new int[b * b];
            pj = new int[b * b];
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < b; j++) {
                    pi[i * b + j] = i;
                    pj[i * b + j] = j;
                }
            }
        }
        this.xb = xb;
        this.yb = yb;
        this.b = b;
        this.pi = pi;
        this.pj = pj;
        this.pairs = pi.length;
        ux = new float[b * h1];
        uy = new float[b * h1];
        Gemm.sgemm(false, false, b, h1, dx, 1f, xb, dx, wx.w, h1, 0f, ux, h1);
        Gemm.sgemm(false, false, b, h1, dy, 1f, yb, dy, wy.w, h1, 0f, uy, h1);
        if (hidden == null || hidden.length != pairs * h1) hidden = new float[pairs * h1];
        final int[] fi = pi, fj = pj;
        final float[] bias = wx.b, h = hidden, a = ux, c = uy;
        Parallel.range(pairs, 512, (from, to) -> {
            for (int k = from; k < to; k++) {
                int oi = fi[k] * h1, oj = fj[k] * h1, ok = k * h1;
                for (int t = 0; t < h1; t++) {
                    float v = a[oi + t] + c[oj + t] + bias[t];
                    h[ok + t] = v > 0 ? v : v * slope;
                }
            }
        });
        return rest.forward(hidden, pairs);
    }

    @Override
    void backward(float[] dScores) {
        float[] dh = rest.backward(dScores, true);
        Mlp.leakyGrad(dh, hidden, slope);
        Mlp.columnSums(dh, pairs, h1, wx.gb);
        float[] dux = new float[b * h1], duy = new float[b * h1];
        // scatter-add per pair: sequential over pairs so the sums never depend on thread timing
        for (int k = 0; k < pairs; k++) {
            int oi = pi[k] * h1, oj = pj[k] * h1, ok = k * h1;
            for (int t = 0; t < h1; t++) {
                float g = dh[ok + t];
                dux[oi + t] += g;
                duy[oj + t] += g;
            }
        }
        Gemm.sgemm(true, false, dx, h1, b, 1f, xb, dx, dux, h1, 1f, wx.gw, h1);
        Gemm.sgemm(true, false, dy, h1, b, 1f, yb, dy, duy, h1, 1f, wy.gw, h1);
    }
}
