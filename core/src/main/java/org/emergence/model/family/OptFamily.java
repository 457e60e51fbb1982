package org.emergence.model.family;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
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
 * OPT ({@code model_type} opt): learned positions whose table keeps two rows before position 0
 * (position p reads row p + 2), q/k/v/out and fc1/fc2 with biases (enable_bias), relu MLP, head
 * tied to embed_tokens. do_layer_norm_before picks the block: pre-LN with a final LayerNorm
 * (opt-125m and ≥ 1.3b) or post-LN without one (opt-350m). When word_embed_proj_dim differs from
 * hidden_size (opt-350m), embeddings are projected up by project_in and the last hidden state down
 * by project_out before the tied head.
 */
final class OptFamily implements Family {
    /** OPT's learned position table starts at row 2 (rows 0 and 1 are a fairseq padding legacy). */
    static final int POSITION_OFFSET = 2;

    @Override
    public List<String> modelTypes() {
        return List.of("opt");
    }

    @Override
    public List<String> basePrefixes() {
        return List.of("model.");
    }

    /** word_embed_proj_dim (embedding width), which defaults to hidden_size. */
    private static int embedWidth(ConfigReader c, int hidden) {
        return c.positive("word_embed_proj_dim", c.intOpt("word_embed_proj_dim", hidden));
    }

    @Override
    public ModelConfig parse(ConfigReader c) {
        int hidden = c.positive("hidden_size", c.intReq("hidden_size"));
        int layers = c.positive("num_hidden_layers", c.intReq("num_hidden_layers"));
        int heads = c.positive("num_attention_heads", c.intReq("num_attention_heads"));
        if (hidden % heads != 0) throw c.error("hidden_size " + hidden + " is not divisible by num_attention_heads " + heads);
        int ffn = c.positive("ffn_dim", c.intReq("ffn_dim"));
        int vocab = c.positive("vocab_size", c.intReq("vocab_size"));
        int positions = c.positive("max_position_embeddings", c.intReq("max_position_embeddings"));
        int embed = embedWidth(c, hidden);
        if (!c.boolOpt("layer_norm_elementwise_affine", true)) {
            throw c.unsupported("layer_norm_elementwise_affine=false", "OPT LayerNorms without weight and bias");
        }
        String actName = c.stringOpt("activation_function", "relu");
        Activation act = Activation.fromHf(actName);
        if (act == null) throw c.unsupported("activation_function=" + actName, "supported: " + Activation.SUPPORTED);
        boolean pre = c.boolOpt("do_layer_norm_before", true);
        // the final LayerNorm exists only in pre-LN models (and not in checkpoints fine-tuned before it was added)
        boolean finalNorm = pre && !c.boolOpt("_remove_final_layer_norm", false);
        boolean bias = c.boolOpt("enable_bias", true);
        return ModelConfig.builder("opt").sizes(layers, hidden, heads, heads, hidden / heads, ffn, vocab, positions)
                .norm(Norm.LAYER_NORM, 1e-5f).wiring(pre ? Wiring.PRE_NORM : Wiring.POST_NORM)
                .learnedPositions(true).positionOffset(POSITION_OFFSET).embedWidth(embed).activation(act, false).finalNorm(finalNorm)
                .tiedHead(c.boolOpt("tie_word_embeddings", true)).biases(bias, bias, bias).build();
    }

    @Override
    public Layout layout(ModelConfig c) {
        int h = c.hidden(), i = c.intermediate(), e = c.embedWidth();
        boolean b = c.qkvBias();
        Block[] blocks = new Block[c.layers()];
        for (int l = 0; l < c.layers(); l++) {
            String p = "model.decoder.layers." + l + ".";
            // pre-LN: norm1 before attention, norm2 before the MLP; post-LN (POST_NORM wiring): after each
            blocks[l] = new Block(NormSpec.layerNorm(p + "self_attn_layer_norm", h), NormSpec.layerNorm(p + "final_layer_norm", h),
                    null, null, List.of(LinearSpec.linear(p + "self_attn.q_proj", h, h, b),
                            LinearSpec.linear(p + "self_attn.k_proj", h, h, b), LinearSpec.linear(p + "self_attn.v_proj", h, h, b)),
                    QkvLayout.BLOCKED, LinearSpec.linear(p + "self_attn.out_proj", h, h, b),
                    LinearSpec.linear(p + "fc1", h, i, b), null, LinearSpec.linear(p + "fc2", i, h, b));
        }
        boolean proj = e != h;
        return new Layout(Tensor.of("model.decoder.embed_tokens.weight", Role.EMBEDDING, c.vocab(), e),
                Tensor.of("model.decoder.embed_positions.weight", Role.EMBEDDING, c.maxPositions() + POSITION_OFFSET, h),
                null, null, blocks, c.finalNorm() ? NormSpec.layerNorm("model.decoder.final_layer_norm", h) : null,
                c.tiedHead() ? null : LinearSpec.linear("lm_head", e, c.vocab(), false), null,
                proj ? LinearSpec.linear("model.decoder.project_in", e, h, false) : null,
                proj ? LinearSpec.linear("model.decoder.project_out", h, e, false) : null);
    }

    @Override
    public ObjectNode initConfig(InitSpec s) {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.putArray("architectures").add("OPTForCausalLM");
        o.put("model_type", "opt");
        o.put("hidden_size", s.hidden());
        o.put("word_embed_proj_dim", s.hidden());
        o.put("num_hidden_layers", s.layers());
        o.put("num_attention_heads", s.heads());
        o.put("ffn_dim", s.intermediate() > 0 ? s.intermediate() : 4 * s.hidden());
        o.put("vocab_size", s.vocab());
        o.put("max_position_embeddings", s.maxPositions() > 0 ? s.maxPositions() : 2048);
        o.put("do_layer_norm_before", true);
        o.put("_remove_final_layer_norm", false);
        o.put("activation_function", "relu");
        o.put("enable_bias", true);
        o.put("layer_norm_elementwise_affine", true);
        o.put("dropout", 0.0);
        o.put("attention_dropout", 0.0);
        o.put("init_std", 0.02);
        o.put("pad_token_id", 1);
        o.put("bos_token_id", 2);
        o.put("eos_token_id", 2);
        return o;
    }
}
