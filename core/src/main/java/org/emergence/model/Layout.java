package org.emergence.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.emergence.model.io.TensorShape;

/**
 * The tensors an architecture expects, by Hugging Face name and shape, organised the way the
 * shared core uses them. One description serves both loading (each name is looked up and its
 * shape checked) and {@code emergence init} (each name is written with random values), so the two
 * can never disagree.
 */
public record Layout(
        Tensor tokens,
        Tensor positions,
        Tensor tokenTypes,
        NormSpec embeddingNorm,
        Block[] blocks,
        NormSpec finalNorm,
        LinearSpec head,
        LinearSpec pooler,
        LinearSpec embedProj,
        LinearSpec headProj) {

    /**
     * Most architectures: token embeddings as wide as the residual stream. {@code embedProj} and
     * {@code headProj} are OPT's project_in / project_out, for embeddings narrower than the stream.
     */
    public Layout(Tensor tokens, Tensor positions, Tensor tokenTypes, NormSpec embeddingNorm, Block[] blocks,
                  NormSpec finalNorm, LinearSpec head, LinearSpec pooler) {
        this(tokens, positions, tokenTypes, embeddingNorm, blocks, finalNorm, head, pooler, null, null);
    }

    /** How {@code init} fills a tensor. */
    public enum Role { MATRIX, EMBEDDING, NORM_ONE, NORM_ZERO, BIAS }

    /** One named tensor with its expected shape. */
    public record Tensor(String name, long[] shape, Role role) implements TensorShape {
        public static Tensor of(String name, Role role, long... shape) {
            return new Tensor(name, shape, role);
        }

        @Override
        public String toString() {
            return name + Arrays.toString(shape);
        }
    }

    /**
     * y = x·Wᵀ + b. {@code inOut}: stored [in, out] (GPT-2 Conv1D, ONNX MatMul) rather than
     * PyTorch Linear's [out, in]. {@code rowOffset}: the layer is rows [rowOffset, rowOffset + out) of
     * a larger [rows, in] tensor (one half of a fused projection); 0 otherwise.
     */
    public record LinearSpec(Tensor weight, Tensor bias, boolean inOut, int in, int out, int rowOffset) {
        public LinearSpec(Tensor weight, Tensor bias, boolean inOut, int in, int out) {
            this(weight, bias, inOut, in, out, 0);
        }

        public static LinearSpec linear(String prefix, int in, int out, boolean bias) {
            return new LinearSpec(Tensor.of(prefix + ".weight", Role.MATRIX, out, in),
                    bias ? Tensor.of(prefix + ".bias", Role.BIAS, out) : null, false, in, out);
        }

        /** Rows [from, from + out) of the bias-free Linear {@code prefix} of shape [rows, in]. */
        public static LinearSpec rowsOf(String prefix, int in, int rows, int from, int out) {
            return new LinearSpec(Tensor.of(prefix + ".weight", Role.MATRIX, rows, in), null, false, in, out, from);
        }

        public static LinearSpec conv1d(String prefix, int in, int out) {
            return new LinearSpec(Tensor.of(prefix + ".weight", Role.MATRIX, in, out),
                    Tensor.of(prefix + ".bias", Role.BIAS, out), true, in, out);
        }
    }

    /**
     * A norm's weight and optional bias; role NORM_ZERO for (1 + w) norms. Both null: a norm without
     * parameters (OLMo's LayerNorm, OPT with layer_norm_elementwise_affine=false).
     */
    public record NormSpec(Tensor weight, Tensor bias) {
        public static final NormSpec NO_PARAMETERS = new NormSpec(null, null);

        public static NormSpec layerNorm(String prefix, int n) {
            return new NormSpec(Tensor.of(prefix + ".weight", Role.NORM_ONE, n), Tensor.of(prefix + ".bias", Role.BIAS, n));
        }

        public static NormSpec rms(String prefix, int n, boolean unitOffset) {
            return new NormSpec(Tensor.of(prefix + ".weight", unitOffset ? Role.NORM_ZERO : Role.NORM_ONE, n), null);
        }
    }

    /** Column layout of the fused q|k|v activation [rows, (nH + 2·nKV)·D]; offsets in units of features. */
    public enum QkvLayout {
        /** q for all heads, then k for all kv heads, then v. */
        BLOCKED,
        /**
         * per key/value group g: its nH/nKV query heads, then k_g, then v_g. GPT-NeoX's fused
         * query_key_value (one query per group: q_h, k_h, v_h) and Falcon's new_decoder_architecture.
         */
        PER_HEAD;

        /** Offset of query head h. */
        public int q(int h, int nH, int nKV, int d) {
            if (this == BLOCKED) return h * d;
            int r = nH / nKV;
            return ((h / r) * (r + 2) + h % r) * d;
        }

        /** Offset of key head g. */
        public int k(int g, int nH, int nKV, int d) {
            if (this == BLOCKED) return (nH + g) * d;
            int r = nH / nKV;
            return (g * (r + 2) + r) * d;
        }

        /** Offset of value head g. */
        public int v(int g, int nH, int nKV, int d) {
            if (this == BLOCKED) return (nH + nKV + g) * d;
            int r = nH / nKV;
            return (g * (r + 2) + r + 1) * d;
        }
    }

    /** One expert of a mixture-of-experts MLP: down(act(gate(x)) · up(x)). */
    public record Expert(LinearSpec up, LinearSpec gate, LinearSpec down) {}

    /** A routed MLP (Mixtral): router logits [E] per token, the top-k experts weighted by their renormalised softmax. */
    public record Moe(LinearSpec router, List<Expert> experts, int topK) {}

    /**
     * One block. {@code qkv} holds one fused projection (GPT-2, NeoX) or q, k, v in that order,
     * whose outputs are written side by side into the fused activation. {@code moe}, when set,
     * replaces the MLP (up, gate and down are then null).
     */
    public record Block(NormSpec norm1, NormSpec norm2, NormSpec norm1Post, NormSpec norm2Post,
                        List<LinearSpec> qkv, QkvLayout qkvLayout, LinearSpec out,
                        LinearSpec up, LinearSpec gate, LinearSpec down, Moe moe) {
        public Block(NormSpec norm1, NormSpec norm2, NormSpec norm1Post, NormSpec norm2Post, List<LinearSpec> qkv,
                     QkvLayout qkvLayout, LinearSpec out, LinearSpec up, LinearSpec gate, LinearSpec down) {
            this(norm1, norm2, norm1Post, norm2Post, qkv, qkvLayout, out, up, gate, down, null);
        }
    }

    /** Every tensor of the layout, in a stable order (embeddings, blocks, final norm, head). */
    public List<Tensor> all() {
        List<Tensor> out = new ArrayList<>();
        add(out, tokens);
        add(out, positions);
        add(out, tokenTypes);
        add(out, embedProj);
        add(out, embeddingNorm);
        for (Block b : blocks) {
            add(out, b.norm1);
            for (LinearSpec l : b.qkv) add(out, l);
            add(out, b.out);
            add(out, b.norm1Post);
            add(out, b.norm2);
            add(out, b.gate);
            add(out, b.up);
            add(out, b.down);
            if (b.moe != null) {
                add(out, b.moe.router());
                for (Expert e : b.moe.experts()) {
                    add(out, e.gate());
                    add(out, e.up());
                    add(out, e.down());
                }
            }
            add(out, b.norm2Post);
        }
        add(out, finalNorm);
        add(out, headProj);
        add(out, head);
        add(out, pooler);
        return out;
    }

    private static void add(List<Tensor> out, Tensor t) {
        if (t != null) out.add(t);
    }

    private static void add(List<Tensor> out, NormSpec n) {
        if (n != null) {
            add(out, n.weight);
            add(out, n.bias);
        }
    }

    private static void add(List<Tensor> out, LinearSpec l) {
        if (l != null) {
            add(out, l.weight);
            add(out, l.bias);
        }
    }
}
