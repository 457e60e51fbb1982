package org.emergence.model;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.emergence.common.UserError;
import org.emergence.model.Layout.LinearSpec;
import org.emergence.model.Layout.NormSpec;
import org.emergence.model.io.Checkpoint;
import org.emergence.model.io.Weight;

/**
 * A checkpoint's tensors bound to the roles a {@link Layout} gives them: embeddings, per-block norms
 * and linear layers, final norm, head, pooler. Binding resolves names (with or without the family's
 * base prefixes), checks shapes, and copies the small vectors (norm parameters, biases) to the heap;
 * matrices stay as stored weights, widened to fp32 by {@link Fp32Weights} when they run.
 *
 * @param head the language-model head, the tied token embedding, or null (an encoder without one)
 * @param pooler BERT's pooler, or null when the checkpoint has none
 * @param embedProj OPT's project_in (embedding width → stream width), else null
 * @param headProj OPT's project_out, else null
 */
record BoundWeights(Weight tokens, Weight positions, Weight tokenTypes, NormP embNorm, BlockP[] blocks, NormP finalNorm,
                    LinearP head, LinearP pooler, LinearP embedProj, LinearP headProj) {

    /** A norm's parameters as small heap vectors (bias null for RMS norms; both null for a norm without parameters). */
    record NormP(float[] w, float[] b) {}

    /** A bound linear layer: stored weight, its orientation, bias vector or null. */
    record LinearP(Weight w, boolean inOut, float[] bias, int in, int out) {}

    /** A bound mixture-of-experts MLP: router [E, H] and per expert up, gate, down. */
    record MoeP(LinearP router, LinearP[] up, LinearP[] gate, LinearP[] down, int topK) {}

    /** A bound block; qkv projections write side by side into the fused activation, with one fused bias. */
    record BlockP(NormP n1, NormP n2, NormP n1Post, NormP n2Post, List<LinearP> qkv, float[] qkvBias,
                  Layout.QkvLayout qkvLayout, LinearP out, LinearP up, LinearP gate, LinearP down, MoeP moe) {
        /** Every linear layer of the block (the matrices {@link Fp32Weights} widens). */
        List<LinearP> linears() {
            List<LinearP> l = new ArrayList<>(qkv);
            l.add(out);
            if (up != null) l.add(up);
            if (gate != null) l.add(gate);
            if (down != null) l.add(down);
            if (moe != null) {
                l.add(moe.router());
                for (int e = 0; e < moe.up().length; e++) {
                    l.add(moe.up()[e]);
                    l.add(moe.gate()[e]);
                    l.add(moe.down()[e]);
                }
            }
            return l;
        }
    }

    /** Binds every tensor the layout names; a missing tensor or a wrong shape is a one-line error naming it. */
    static BoundWeights bind(Checkpoint ck, Family family, ModelConfig cfg, Layout layout) {
        Binder b = new Binder(ck, family);
        Weight tokens = b.resolve(layout.tokens());
        Weight positions = layout.positions() == null ? null : b.resolve(layout.positions());
        Weight tokenTypes = layout.tokenTypes() == null ? null : b.resolve(layout.tokenTypes());
        NormP embNorm = b.norm(layout.embeddingNorm());
        BlockP[] blocks = new BlockP[cfg.layers()];
        for (int l = 0; l < cfg.layers(); l++) {
            Layout.Block lb = layout.blocks()[l];
            List<LinearP> qkv = new ArrayList<>();
            for (LinearSpec s : lb.qkv()) qkv.add(b.linear(s));
            float[] qkvBias = null;
            int col = 0;
            for (LinearP p : qkv) {
                if (p.bias() != null) {
                    if (qkvBias == null) qkvBias = new float[cfg.qkvWidth()];
                    System.arraycopy(p.bias(), 0, qkvBias, col, p.out());
                }
                col += p.out();
            }
            if (col != cfg.qkvWidth()) throw new IllegalStateException("qkv width " + col + " != " + cfg.qkvWidth());
            blocks[l] = new BlockP(b.norm(lb.norm1()), b.norm(lb.norm2()), b.norm(lb.norm1Post()), b.norm(lb.norm2Post()), qkv,
                    qkvBias, lb.qkvLayout(), b.linear(lb.out()), b.linear(lb.up()), b.linear(lb.gate()), b.linear(lb.down()),
                    b.moe(lb.moe()));
        }
        NormP finalNorm = b.norm(layout.finalNorm());
        LinearP embedProj = b.linear(layout.embedProj());
        LinearP headProj = b.linear(layout.headProj());
        // a tied head reads the token embedding, which is narrower than the stream when there is a projection
        int embWidth = embedProj == null ? cfg.hidden() : embedProj.in();
        LinearP head = layout.head() != null ? b.linear(layout.head())
                : cfg.tiedHead() ? new LinearP(tokens, false, null, embWidth, cfg.vocab()) : null;
        // the pooler is optional: BertModel saves one, BertForMaskedLM and ONNX exports usually do not
        LinearP pooler = layout.pooler() != null && b.find(layout.pooler().weight()) != null ? b.linear(layout.pooler()) : null;
        return new BoundWeights(tokens, positions, tokenTypes, embNorm, blocks, finalNorm, head, pooler, embedProj, headProj);
    }

    /** Name resolution against one checkpoint. */
    private record Binder(Checkpoint checkpoint, Family family) {
        Weight resolve(Layout.Tensor t) {
            Weight w = find(t);
            if (w == null) throw new UserError(checkpoint.dir() + ": missing tensor '" + t.name() + "'");
            return w.expect(t.shape());
        }

        /** The tensor under its name or with/without a base prefix, or null. */
        Weight find(Layout.Tensor t) {
            Weight w = checkpoint.find(t.name());
            if (w == null) {
                for (String p : family.basePrefixes()) {
                    if (t.name().startsWith(p)) w = checkpoint.find(t.name().substring(p.length()));
                    else w = checkpoint.find(p + t.name());
                    if (w != null) break;
                }
            }
            return w;
        }

        NormP norm(NormSpec s) {
            if (s == null) return null;
            if (s.weight() == null) return new NormP(null, null);
            return new NormP(vector(resolve(s.weight())), s.bias() == null ? null : vector(resolve(s.bias())));
        }

        LinearP linear(LinearSpec s) {
            if (s == null) return null;
            Weight w = resolve(s.weight());
            // one part of a fused [rows, in] projection: a view of its rows
            if (s.rowOffset() != 0 || (!s.inOut() && w.rows() != s.out())) w = w.rows(s.rowOffset(), s.out());
            return new LinearP(w, s.inOut(), s.bias() == null ? null : vector(resolve(s.bias())), s.in(), s.out());
        }

        MoeP moe(Layout.Moe s) {
            if (s == null) return null;
            int n = s.experts().size();
            LinearP[] up = new LinearP[n], gate = new LinearP[n], down = new LinearP[n];
            for (int e = 0; e < n; e++) {
                up[e] = linear(s.experts().get(e).up());
                gate[e] = linear(s.experts().get(e).gate());
                down[e] = linear(s.experts().get(e).down());
            }
            return new MoeP(linear(s.router()), up, gate, down, s.topK());
        }

        private static float[] vector(Weight w) {
            float[] v = new float[(int) w.numel()];
            w.readF32(0, w.numel(), FloatBuffer.wrap(v), 0);
            return v;
        }
    }
}
