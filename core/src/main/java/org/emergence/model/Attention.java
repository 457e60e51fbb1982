package org.emergence.model;

import java.nio.FloatBuffer;
import org.emergence.tensor.Parallel;

/**
 * Scaled dot-product attention for every (sequence, query head) pair, in parallel across pairs.
 * Reads q, k, v from the fused activation [B·T, (nH + 2·nKV)·D] and writes [B·T, nH·D].
 * Query head h uses key/value head h / (nH / nKV) (grouped-query and multi-query attention).
 *
 * <p>Which keys a query i may see: all keys (bidirectional encoders) or keys j ≤ i (causal); with a
 * sliding window w only keys with i − j < w; with a padding mask only real tokens. Scores are
 * (q·k)·scale, optionally soft-capped as c·tanh(s/c), then soft-maxed over the visible keys.
 */
final class Attention {
    private Attention() {}

    static void run(ModelConfig c, int layer, TokenBatch b, FloatBuffer qkv, int ld, Layout.QkvLayout lay, FloatBuffer out) {
        int t = b.length(), nH = c.heads(), nKV = c.kvHeads(), d = c.headDim();
        int group = nH / nKV;
        float scale = c.attnScale()[layer];
        float cap = c.attnSoftcap();
        int window = c.slidingWindow()[layer];
        boolean causal = c.causal();
        int[] mask = b.mask();
        int ow = nH * d;
        Parallel.range(b.batch() * nH, 1, (t0, t1) -> {
            // the sequence's whole fused q|k|v block is contiguous: load it once per sequence
            float[] rows = new float[t * ld];
            // k transposed, [D, T]: a query's scores against all keys then advance together over the
            // dimension (independent sums, each still added in dimension order: the same bits as one
            // dot product at a time, without waiting on one long chain of dependent additions)
            float[] q = new float[t * d], kT = new float[d * t], v = new float[t * d];
            float[] s = new float[t], o = new float[d];
            int loadedRows = -1, loadedSeq = -1, loadedKv = -1;
            for (int task = t0; task < t1; task++) {
                int seq = task / nH, h = task % nH, g = h / group;
                int row0 = seq * t;
                if (seq != loadedRows) {
                    qkv.get(row0 * ld, rows, 0, t * ld);
                    loadedRows = seq;
                }
                int qo = lay.q(h, nH, nKV, d);
                for (int i = 0; i < t; i++) System.arraycopy(rows, i * ld + qo, q, i * d, d);
                if (seq != loadedSeq || g != loadedKv) {
                    int ko = lay.k(g, nH, nKV, d), vo = lay.v(g, nH, nKV, d);
                    for (int j = 0; j < t; j++) {
                        for (int e = 0; e < d; e++) kT[e * t + j] = rows[j * ld + ko + e];
                        System.arraycopy(rows, j * ld + vo, v, j * d, d);
                    }
                    loadedSeq = seq;
                    loadedKv = g;
                }
                for (int i = 0; i < t; i++) {
                    int hi = causal ? i : t - 1;
                    int lo = window > 0 ? Math.max(0, i - window + 1) : 0;
                    float max = Float.NEGATIVE_INFINITY;
                    boolean any = false;
                    java.util.Arrays.fill(s, lo, hi + 1, 0f);
                    int qi = i * d;
                    for (int e = 0; e < d; e++) {
                        float qe = q[qi + e];
                        int ke = e * t;
                        for (int j = lo; j <= hi; j++) s[j] += qe * kT[ke + j];
                    }
                    for (int j = lo; j <= hi; j++) {
                        if (mask != null && mask[row0 + j] == 0) {
                            s[j] = Float.NEGATIVE_INFINITY;
                            continue;
                        }
                        float sc = s[j] * scale;
                        if (cap > 0) sc = cap * FastMath.tanh(sc / cap);
                        s[j] = sc;
                        if (sc > max) max = sc;
                        any = true;
                    }
                    java.util.Arrays.fill(o, 0f);
                    if (any) {
                        double sum = 0;
                        for (int j = lo; j <= hi; j++) {
                            float e = s[j] == Float.NEGATIVE_INFINITY ? 0f : (float) Math.exp(s[j] - max);
                            s[j] = e;
                            sum += e;
                        }
                        float inv = (float) (1.0 / sum);
                        for (int j = lo; j <= hi; j++) {
                            float p = s[j] * inv;
                            if (p == 0f) continue;
                            int vj = j * d;
                            for (int e = 0; e < d; e++) o[e] += p * v[vj + e];
                        }
                    }
                    out.put((row0 + i) * ow + h * d, o, 0, d);
                }
            }
        });
    }
}
