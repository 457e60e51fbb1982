package org.emergence.model;

import java.util.Arrays;

/**
 * Everything the shared transformer core needs to know about one checkpoint, parsed from
 * config.json by its {@link Family}. Shapes: hidden H, query heads nH, key/value heads nKV,
 * head size D (not always H/nH), MLP width I, vocabulary V.
 *
 * @param embedScale   multiplier of the token embedding (1, or √H rounded to fp32 for Gemma)
 * @param attnScale    per layer, multiplier of q·k (1/√D; query_pre_attn_scalar^-½ for Gemma 2; GPT-2 may also divide by layer+1)
 * @param attnSoftcap  0, or c in c·tanh(score / c) applied to attention scores (Gemma 2)
 * @param finalSoftcap 0, or c applied the same way to the logits (Gemma 2)
 * @param slidingWindow per layer: 0 = full attention, w = a query sees only the last w keys (itself included)
 * @param positionOffset learned position p is row p + offset of the table (OPT keeps 2 rows before position 0)
 * @param clipQkv      0, or c: q, k and v are clamped to [−c, c] after their projection (OLMo clip_qkv)
 * @param embedWidth   width of the token embeddings: H, or OPT's word_embed_proj_dim (projected to and from H)
 * @param experts      0 (a plain MLP), or the number of routed experts per layer (Mixtral); each I wide
 * @param expertsPerToken experts each token is routed to (top k)
 */
public record ModelConfig(
        String modelType,
        int layers,
        int hidden,
        int heads,
        int kvHeads,
        int headDim,
        int intermediate,
        int vocab,
        int maxPositions,
        int typeVocab,
        Norm norm,
        float normEps,
        Wiring wiring,
        Rope rope,
        boolean learnedPositions,
        Activation activation,
        boolean gatedMlp,
        boolean causal,
        float embedScale,
        float[] attnScale,
        float attnSoftcap,
        float finalSoftcap,
        int[] slidingWindow,
        boolean tiedHead,
        boolean embeddingNorm,
        boolean finalNorm,
        boolean qkvBias,
        boolean outBias,
        boolean mlpBias,
        int positionOffset,
        float clipQkv,
        int embedWidth,
        int experts,
        int expertsPerToken) {

    /** A builder, so families set only what differs from the common decoder defaults. */
    public static Builder builder(String modelType) {
        return new Builder(modelType);
    }

    /** Mutable builder for {@link ModelConfig}; defaults: causal pre-norm decoder, no biases, no windows. */
    public static final class Builder {
        private final String modelType;
        private int layers, hidden, heads, kvHeads, headDim, intermediate, vocab, maxPositions, typeVocab;
        private Norm norm = Norm.LAYER_NORM;
        private float normEps = 1e-5f;
        private Wiring wiring = Wiring.PRE_NORM;
        private Rope rope;
        private boolean learnedPositions;
        private Activation activation = Activation.GELU_TANH;
        private boolean gatedMlp;
        private boolean causal = true;
        private float embedScale = 1f;
        private float[] attnScale;
        private float attnSoftcap, finalSoftcap;
        private int[] slidingWindow;
        private boolean tiedHead, embeddingNorm, finalNorm = true, qkvBias, outBias, mlpBias;
        private int positionOffset;
        private float clipQkv;
        private int embedWidth, experts, expertsPerToken;

        private Builder(String modelType) {
            this.modelType = modelType;
        }

        public Builder sizes(int layers, int hidden, int heads, int kvHeads, int headDim, int intermediate, int vocab,
                             int maxPositions) {
            this.layers = layers;
            this.hidden = hidden;
            this.heads = heads;
            this.kvHeads = kvHeads;
            this.headDim = headDim;
            this.intermediate = intermediate;
            this.vocab = vocab;
            this.maxPositions = maxPositions;
            return this;
        }

        /** The sizes as {@link ConfigReader#decoderSizes} read them. */
        public Builder sizes(ConfigReader.DecoderSizes z) {
            return sizes(z.layers(), z.hidden(), z.heads(), z.kvHeads(), z.headDim(), z.intermediate(), z.vocab(), z.positions());
        }

        public Builder typeVocab(int n) { this.typeVocab = n; return this; }
        public Builder norm(Norm n, float eps) { this.norm = n; this.normEps = eps; return this; }
        public Builder wiring(Wiring w) { this.wiring = w; return this; }
        public Builder rope(Rope r) { this.rope = r; return this; }
        public Builder learnedPositions(boolean b) { this.learnedPositions = b; return this; }
        public Builder activation(Activation a, boolean gated) { this.activation = a; this.gatedMlp = gated; return this; }
        public Builder causal(boolean b) { this.causal = b; return this; }
        public Builder embedScale(float s) { this.embedScale = s; return this; }
        public Builder attnScale(float[] s) { this.attnScale = s; return this; }
        public Builder softcaps(float attn, float fin) { this.attnSoftcap = attn; this.finalSoftcap = fin; return this; }
        public Builder slidingWindow(int[] w) { this.slidingWindow = w; return this; }
        public Builder tiedHead(boolean b) { this.tiedHead = b; return this; }
        public Builder embeddingNorm(boolean b) { this.embeddingNorm = b; return this; }
        public Builder finalNorm(boolean b) { this.finalNorm = b; return this; }
        public Builder positionOffset(int n) { this.positionOffset = n; return this; }
        public Builder clipQkv(float c) { this.clipQkv = c; return this; }
        public Builder embedWidth(int n) { this.embedWidth = n; return this; }
        public Builder experts(int n, int perToken) { this.experts = n; this.expertsPerToken = perToken; return this; }
        public Builder biases(boolean qkv, boolean out, boolean mlp) {
            this.qkvBias = qkv;
            this.outBias = out;
            this.mlpBias = mlp;
            return this;
        }

        public ModelConfig build() {
            float[] scale = attnScale;
            if (scale == null) {
                scale = new float[layers];
                java.util.Arrays.fill(scale, (float) (1.0 / Math.sqrt(headDim)));
            }
            int[] window = slidingWindow == null ? new int[layers] : slidingWindow;
            return new ModelConfig(modelType, layers, hidden, heads, kvHeads, headDim, intermediate, vocab, maxPositions,
                    typeVocab, norm, normEps, wiring, rope, learnedPositions, activation, gatedMlp, causal, embedScale,
                    scale, attnSoftcap, finalSoftcap, window, tiedHead, embeddingNorm, finalNorm, qkvBias, outBias, mlpBias,
                    positionOffset, clipQkv, embedWidth == 0 ? hidden : embedWidth, experts, expertsPerToken);
        }
    }

    /** How normalisation layers compute. */
    public enum Norm {
        /** (x − mean)/√(var + ε)·w + b. */
        LAYER_NORM,
        /** x/√(mean(x²) + ε)·w (Llama). */
        RMS_NORM,
        /** x/√(mean(x²) + ε)·(1 + w) (Gemma). */
        RMS_NORM_UNIT_OFFSET
    }

    /** How a block combines attention, MLP, norms and the residual stream h. */
    public enum Wiring {
        /** h += attn(n1(h)); h += mlp(n2(h)) — GPT-2, Llama, Gemma, NeoX sequential. */
        PRE_NORM,
        /** h += attn(n1(h)) + mlp(n2(h)) — GPT-NeoX/Pythia parallel residual. */
        PARALLEL_TWO_NORMS,
        /** x = n1(h); h += attn(x) + mlp(x) — GPT-J. */
        PARALLEL_ONE_NORM,
        /** h += n1post(attn(n1(h))); h += n2post(mlp(n2(h))) — Gemma 2. */
        SANDWICH,
        /** h = n1(h + attn(h)); h = n2(h + mlp(h)) — BERT. */
        POST_NORM
    }

    public int qkvWidth() {
        return (heads + 2 * kvHeads) * headDim;
    }

    public int attnWidth() {
        return heads * headDim;
    }

    public boolean anySlidingWindow() {
        for (int w : slidingWindow) if (w > 0) return true;
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelConfig c && c.toString().equals(toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    @Override
    public String toString() {
        return "ModelConfig[" + modelType + " L=" + layers + " H=" + hidden + " heads=" + heads + "/" + kvHeads
                + " D=" + headDim + " I=" + intermediate + " V=" + vocab + " P=" + maxPositions + " norm=" + norm
                + " eps=" + normEps + " wiring=" + wiring + " rope=" + rope + " act=" + activation
                + (gatedMlp ? " gated" : "") + (causal ? " causal" : " bidirectional") + " embedScale=" + embedScale
                + " attnScale=" + Arrays.toString(attnScale) + " softcap=" + attnSoftcap + "/" + finalSoftcap + " window="
                + Arrays.toString(slidingWindow) + (tiedHead ? " tied" : "") + " bias=" + qkvBias + "/" + outBias + "/" + mlpBias
                + (positionOffset != 0 ? " posOffset=" + positionOffset : "") + (clipQkv > 0 ? " clipQkv=" + clipQkv : "")
                + (embedWidth != hidden ? " embedWidth=" + embedWidth : "")
                + (experts > 0 ? " experts=" + expertsPerToken + "/" + experts : "") + "]";
    }
}
