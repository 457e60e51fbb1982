package org.emergence.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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
        LinearSpec pooler) {

    /** How {@code init} fills a tensor. */
    public enum Role { MATRIX, EMBEDDING, NORM_ONE, NORM_ZERO, BIAS }

    /** One named tensor with its expected shape. */
    public record Tensor(String name, long[] shape, Role role) {
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
     * PyTorch Linear's [out, in].
     */
    public record LinearSpec(Tensor weight, Tensor bias, boolean inOut, int in, int out) {
        public static LinearSpec linear(String prefix, int in, int out, boolean bias) {
            return new LinearSpec(Tensor.of(prefix + ".weight", Role.MATRIX, out, in),
                    bias ? Tensor.of(prefix + ".bias", Role.BIAS, out) : null, false, in, out);
        }

        public static LinearSpec conv1d(String prefix, int in, int out) {
            return new LinearSpec(Tensor.of(prefix + ".weight", Role.MATRIX, in, out),
                    Tensor.of(prefix + ".bias", Role.BIAS, out), true, in, out);
        }
    }

    /** A norm's weight and optional bias; role NORM_ZERO for (1 + w) norms. */
    public record NormSpec(Tensor weight, Tensor bias) {
        public static NormSpec layerNorm(String prefix, int n) {
            return new NormSpec(Tensor.of(prefix + ".weight", Role.NORM_ONE, n), Tensor.of(prefix + ".bias", Role.BIAS, n));
        }

        public static NormSpec rms(String prefix, int n, boolean unitOffset) {
            return new NormSpec(Tensor.of(prefix + ".weight", unitOffset ? Role.NORM_ZERO : Role.NORM_ONE, n), null);
        }
    }

    /** Column layout of the fused q|k|v activation [rows, (nH + 2·nKV)·D]. */
    public enum QkvLayout {
        /** q for all heads, then k for all kv heads, then v. */
        BLOCKED,
        /** per head h: q_h, k_h, v_h (GPT-NeoX fused query_key_value). */
        PER_HEAD
    }

    /**
     * One block. {@code qkv} holds one fused projection (GPT-2, NeoX) or q, k, v in that order,
     * whose outputs are written side by side into the fused activation.
     */
    public record Block(NormSpec norm1, NormSpec norm2, NormSpec norm1Post, NormSpec norm2Post,
                        List<LinearSpec> qkv, QkvLayout qkvLayout, LinearSpec out,
                        LinearSpec up, LinearSpec gate, LinearSpec down) {}

    /** Every tensor of the layout, in a stable order (embeddings, blocks, final norm, head). */
    public List<Tensor> all() {
        List<Tensor> out = new ArrayList<>();
        add(out, tokens);
        add(out, positions);
        add(out, tokenTypes);
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
            add(out, b.norm2Post);
        }
        add(out, finalNorm);
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
