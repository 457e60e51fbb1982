package org.emergence.model.family;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;
import org.emergence.model.Activation;
import org.emergence.model.ConfigReader;
import org.emergence.model.Family;
import org.emergence.model.InitSpec;
import org.emergence.model.Layout;
import org.emergence.model.Layout.Block;
import org.emergence.model.Layout.LinearSpec;
import org.emergence.model.Layout.NormSpec;
import org.emergence.model.Layout.QkvLayout;
import org.emergence.model.Layout.Role;
import org.emergence.model.Layout.Tensor;
import org.emergence.model.ModelConfig;
import org.emergence.model.ModelConfig.Norm;
import org.emergence.model.ModelConfig.Wiring;

/**
 * BERT encoders ({@code model_type} bert — also MiniLM, BGE, E5 and other BERT-shaped checkpoints):
 * word + learned absolute position + token type embeddings followed by a LayerNorm, post-LN
 * blocks (h = LN(h + attn(h)); h = LN(h + mlp(h))), bidirectional attention with an optional
 * padding mask, exact (erf) gelu, and the pooler tanh(W·h[CLS] + b) when the checkpoint has one.
 * No language-model head: BERT has no logits here.
 *
 * <p>Tensor names are BertModel's ({@code embeddings.word_embeddings.weight},
 * {@code encoder.layer.0.attention.self.query.weight} …); checkpoints of the task classes
 * (BertForMaskedLM …) that prefix them with {@code bert.} load too. Matrices are PyTorch Linear
 * [out, in] except those named in {@code inOut} (stored [in, out], as ONNX MatMul initializers are).
 */
public final class BertFamily implements Family {
    private final Set<String> inOut;

    /** The Hugging Face (safetensors) layout: every matrix [out, in]. */
    BertFamily() {
        this(Set.of());
    }

    /** A layout where the named matrices are stored [in, out] (weights read from an ONNX graph). */
    public BertFamily(Set<String> inOutMatrices) {
        this.inOut = Set.copyOf(inOutMatrices);
    }

    @Override
    public List<String> modelTypes() {
        return List.of("bert");
    }

    @Override
    public List<String> basePrefixes() {
        return List.of("bert.");
    }

    @Override
    public ModelConfig parse(ConfigReader c) {
        int hidden = c.positive("hidden_size", c.intReq("hidden_size"));
        int layers = c.positive("num_hidden_layers", c.intReq("num_hidden_layers"));
        int heads = c.positive("num_attention_heads", c.intReq("num_attention_heads"));
        if (hidden % heads != 0) {
            throw c.error("hidden_size " + hidden + " is not divisible by num_attention_heads " + heads);
        }
        int inter = c.positive("intermediate_size", c.intOpt("intermediate_size", 4 * hidden));
        int vocab = c.positive("vocab_size", c.intReq("vocab_size"));
        int positions = c.positive("max_position_embeddings", c.intOpt("max_position_embeddings", 512));
        int types = c.positive("type_vocab_size", c.intOpt("type_vocab_size", 2));
        String actName = c.stringOpt("hidden_act", "gelu");
        Activation act = Activation.fromHf(actName);
        if (act == null) throw c.unsupported("hidden_act=" + actName, "supported: " + Activation.SUPPORTED);
        String posType = c.stringOpt("position_embedding_type", "absolute");
        if (!posType.equals("absolute")) {
            throw c.unsupported("position_embedding_type=" + posType, "only absolute position embeddings are implemented");
        }
        if (c.boolOpt("is_decoder", false)) throw c.unsupported("is_decoder=true", "BERT as a causal decoder");
        if (c.boolOpt("add_cross_attention", false)) throw c.unsupported("add_cross_attention=true", "encoder-decoder BERT");
        if (c.has("embedding_size") && c.intReq("embedding_size") != hidden) {
            throw c.unsupported("embedding_size=" + c.intReq("embedding_size"), "factorised embeddings (ALBERT-style)");
        }
        int d = hidden / heads;
        // no final norm (the last block's output is the last hidden state) and no language-model head
        return ModelConfig.builder("bert").sizes(layers, hidden, heads, heads, d, inter, vocab, positions).typeVocab(types)
                .norm(Norm.LAYER_NORM, (float) c.doubleOpt("layer_norm_eps", 1e-12)).wiring(Wiring.POST_NORM)
                .learnedPositions(true).activation(act, false).causal(false).embeddingNorm(true).finalNorm(false)
                .biases(true, true, true).build();
    }

    private LinearSpec linear(String prefix, int in, int out) {
        String w = prefix + ".weight";
        boolean io = inOut.contains(w);
        return new LinearSpec(io ? Tensor.of(w, Role.MATRIX, in, out) : Tensor.of(w, Role.MATRIX, out, in),
                Tensor.of(prefix + ".bias", Role.BIAS, out), io, in, out);
    }

    @Override
    public Layout layout(ModelConfig c) {
        int h = c.hidden(), inter = c.intermediate();
        Block[] blocks = new Block[c.layers()];
        for (int l = 0; l < c.layers(); l++) {
            String p = "encoder.layer." + l + ".";
            blocks[l] = new Block(
                    NormSpec.layerNorm(p + "attention.output.LayerNorm", h),
                    NormSpec.layerNorm(p + "output.LayerNorm", h), null, null,
                    List.of(linear(p + "attention.self.query", h, h), linear(p + "attention.self.key", h, h),
                            linear(p + "attention.self.value", h, h)),
                    QkvLayout.BLOCKED,
                    linear(p + "attention.output.dense", h, h),
                    linear(p + "intermediate.dense", h, inter), null,
                    linear(p + "output.dense", inter, h));
        }
        return new Layout(Tensor.of("embeddings.word_embeddings.weight", Role.EMBEDDING, c.vocab(), h),
                Tensor.of("embeddings.position_embeddings.weight", Role.EMBEDDING, c.maxPositions(), h),
                Tensor.of("embeddings.token_type_embeddings.weight", Role.EMBEDDING, c.typeVocab(), h),
                NormSpec.layerNorm("embeddings.LayerNorm", h), blocks, null, null,
                linear("pooler.dense", h, h));
    }

    @Override
    public ObjectNode initConfig(InitSpec s) {
        if (s.kvHeads() > 0 && s.kvHeads() != s.heads()) {
            throw new org.emergence.common.UserError("--kv-heads: BERT has no grouped-query attention (kv heads = heads)");
        }
        if (s.headDim() > 0 && s.headDim() * s.heads() != s.hidden()) {
            throw new org.emergence.common.UserError("--head-dim: BERT's head size is hidden/heads");
        }
        if (s.hidden() % s.heads() != 0) {
            throw new org.emergence.common.UserError("--hidden " + s.hidden() + " is not divisible by --heads " + s.heads());
        }
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.putArray("architectures").add("BertModel");
        o.put("model_type", "bert");
        o.put("attention_probs_dropout_prob", 0.1);
        o.putNull("classifier_dropout");
        o.put("hidden_act", "gelu");
        o.put("hidden_dropout_prob", 0.1);
        o.put("hidden_size", s.hidden());
        o.put("initializer_range", 0.02);
        o.put("intermediate_size", s.intermediate() > 0 ? s.intermediate() : 4 * s.hidden());
        o.put("layer_norm_eps", 1e-12);
        o.put("max_position_embeddings", s.maxPositions() > 0 ? s.maxPositions() : 512);
        o.put("num_attention_heads", s.heads());
        o.put("num_hidden_layers", s.layers());
        o.put("pad_token_id", 0);
        o.put("position_embedding_type", "absolute");
        o.put("type_vocab_size", 2);
        o.put("use_cache", true);
        o.put("vocab_size", s.vocab());
        return o;
    }
}
