package org.emergence.mi.neural;

import org.emergence.mi.Rng;
import org.emergence.tensor.Gemm;

/**
 * The separable critic T(x, y) = f(x)·g(y) with two MLPs into a k-dimensional embedding: all b×b scores
 * of a batch are one GEMM, F·Gᵀ. Only the all-pairs layout is supported (negatives are free).
 */
final class SeparableCritic extends Critic {
    private final Mlp f, g;
    private final int k;
    private float[] fo, go;
    private int b;

    /** widths = hidden widths; embed = k. */
    SeparableCritic(int dx, int dy, int[] widths, int embed, float slope, Rng r) {
        f = new Mlp(concat(dx, widths, embed), slope, r);
        g = new Mlp(concat(dy, widths, embed), slope, r);
        k = embed;
        f.params(params, grads);
        g.params(params, grads);
    }

    private static int[] concat(int in, int[] hidden, int out) {
        int[] w = new int[hidden.length + 2];
        w[0] = in;
        System.arraycopy(hidden, 0, w, 1, hidden.length);
        w[w.length - 1] = out;
        return w;
    }

    @Override
    float[] forward(float[] xb, float[] yb, int b, int[] pi, int[] pj) {
        if (pi != null) throw new IllegalArgumentException("the separable critic scores all pairs");
        this.b = b;
        fo = f.forward(xb, b).clone();
        go = g.forward(yb, b).clone();
        float[] s = new float[b * b];
        Gemm.sgemm(false, true, b, b, k, 1f, fo, k, go, k, 0f, s, b);
        return s;
    }

    @Override
    void backward(float[] dScores) {
        float[] df = new float[b * k], dg = new float[b * k];
        Gemm.sgemm(false, false, b, k, b, 1f, dScores, b, go, k, 0f, df, k);
        Gemm.sgemm(true, false, b, k, b, 1f, dScores, b, fo, k, 0f, dg, k);
        f.backward(df, false);
        g.backward(dg, false);
    }
}
