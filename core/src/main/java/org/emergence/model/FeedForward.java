package org.emergence.model;

import java.nio.FloatBuffer;
import org.emergence.model.BoundWeights.BlockP;
import org.emergence.model.BoundWeights.LinearP;
import org.emergence.model.BoundWeights.MoeP;
import org.emergence.tensor.Gemm;
import org.emergence.tensor.Kernels;

/**
 * A block's feed-forward half: the dense (optionally gated) MLP, or Mixtral's routed mixture of
 * such MLPs. Reads x [m, H] and writes (beta = 0) or adds to (beta = 1, the residual) y [m, H].
 */
final class FeedForward {
    private final ModelConfig cfg;
    private final Fp32Weights fp32;
    private FloatBuffer moeX, moeY, moeLogits; // the routed rows of one expert, and the router's logits [m, E]

    FeedForward(ModelConfig cfg, Fp32Weights fp32) {
        this.cfg = cfg;
        this.fp32 = fp32;
    }

    /** MLP of x [m, H] into y (beta = 1 adds to y: the residual), including the down bias. */
    void apply(BlockP p, FloatBuffer x, int m, FloatBuffer y, float beta, Workspace w) {
        if (p.moe() != null) {
            moe(p.moe(), x, m, y, beta, w);
            return;
        }
        dense(p.up(), p.gate(), p.down(), x, m, y, beta, w);
    }

    /** One (possibly gated) MLP: y = down(act(gate(x)) · up(x)) or down(act(up(x))), plus beta·y. */
    private void dense(LinearP up, LinearP gate, LinearP down, FloatBuffer x, int m, FloatBuffer y, float beta, Workspace w) {
        int inter = cfg.intermediate();
        Activation act = cfg.activation();
        if (gate != null) {
            fp32.gemm(gate, x, m, w.gate, 0, inter, 0f);
            fp32.gemm(up, x, m, w.mlp, 0, inter, 0f);
            float[] bg = gate.bias(), bu = up.bias();
            Kernels.mapRows2(w.mlp, 0, inter, w.gate, 0, inter, m, inter, (r, u, g, n) -> {
                if (bg != null) for (int j = 0; j < n; j++) g[j] += bg[j];
                act.apply(g, 0, n);
                if (bu != null) for (int j = 0; j < n; j++) u[j] += bu[j];
                for (int j = 0; j < n; j++) u[j] *= g[j];
            });
        } else {
            fp32.gemm(up, x, m, w.mlp, 0, inter, 0f);
            float[] bu = up.bias();
            Kernels.mapRows(w.mlp, 0, m, inter, inter, 0, (r, u, n) -> {
                if (bu != null) for (int j = 0; j < n; j++) u[j] += bu[j];
                act.apply(u, 0, n);
            });
        }
        fp32.linear(down, w.mlp, m, y, beta);
    }

    /**
     * Mixtral's routed MLP: per token, softmax over the router's expert logits, keep the top k and
     * renormalise them to sum to 1; y (+)= Σ weight_e · expert_e(x). Each expert runs once, over the
     * rows routed to it (gathered into a contiguous block), as the reference does.
     */
    private void moe(MoeP p, FloatBuffer x, int m, FloatBuffer y, float beta, Workspace w) {
        int n = cfg.hidden(), experts = p.up().length, k = p.topK();
        if (moeLogits == null || moeLogits.capacity() < (long) m * experts) moeLogits = Gemm.allocate((long) m * experts);
        if (moeX == null || moeX.capacity() < (long) m * n) {
            moeX = Gemm.allocate((long) m * n);
            moeY = Gemm.allocate((long) m * n);
        }
        fp32.gemm(p.router(), x, m, moeLogits, 0, experts, 0f);
        ExpertRouting routing = ExpertRouting.route(moeLogits, m, experts, k);
        int[][] chosen = routing.chosen();
        float[][] weight = routing.weight();
        if (beta == 0f) {
            float[] zero = new float[n];
            for (int r = 0; r < m; r++) y.put(r * n, zero, 0, n);
        }
        int[] rows = new int[m];
        float[] rowWeight = new float[m];
        float[] a = new float[n], o = new float[n];
        for (int e = 0; e < experts; e++) {
            int cnt = 0;
            for (int r = 0; r < m; r++) {
                for (int i = 0; i < k; i++) {
                    if (chosen[r][i] == e) {
                        rows[cnt] = r;
                        rowWeight[cnt++] = weight[r][i];
                    }
                }
            }
            if (cnt == 0) continue;
            for (int i = 0; i < cnt; i++) moeX.put(i * n, x, rows[i] * n, n);
            dense(p.up()[e], p.gate()[e], p.down()[e], moeX, cnt, moeY, 0f, w);
            for (int i = 0; i < cnt; i++) {
                y.get(rows[i] * n, a, 0, n);
                moeY.get(i * n, o, 0, n);
                for (int j = 0; j < n; j++) a[j] += rowWeight[i] * o[j];
                y.put(rows[i] * n, a, 0, n);
            }
        }
    }
}
