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
import org.emergence.model.Rope;

/**
 * OLMo ({@code model_type} olmo, the first OLMo release): the Llama block with LayerNorms that have
 * no weight and no bias (ε fixed at 1e-5, whatever the config says), optional clip_qkv clamping q, k
 * and v after their projections, optional attention_bias, rotate-half rotary (rope_scaling linear
 * or dynamic), SwiGLU, tied or untied head.
 */
final class OlmoFamily implements Family {
    @Override
    public List<String> modelTypes() {
        return List.of("olmo");
    }

    @Override
    public List<String> basePrefixes() {
        return List.of("model.");
    }

    @Override
    public ModelConfig parse(ConfigReader c) {
        ConfigReader.DecoderSizes z = c.decoderSizes(false);
        int d = z.headDim();
        Activation act = c.activation("hidden_act", "silu");
        double clip = c.doubleOpt("clip_qkv", 0.0);
        if (c.has("clip_qkv") && !(clip > 0)) throw c.error("'clip_qkv' must be > 0 or null, found " + clip);
        RopeConfig.requireType(c, "OLMo", "linear", "dynamic");
        Rope rope = RopeConfig.parse(c, d, c.doubleOpt("rope_theta", 10000.0), false);
        boolean bias = c.boolOpt("attention_bias", false);
        // the norms have no parameters and always use ε = 1e-5
        return ModelConfig.builder("olmo").sizes(z)
                .norm(Norm.LAYER_NORM, 1e-5f).wiring(Wiring.PRE_NORM).rope(rope).activation(act, true)
                .clipQkv((float) clip).tiedHead(c.boolOpt("tie_word_embeddings", false)).biases(bias, bias, false).build();
    }

    @Override
    public Layout layout(ModelConfig c) {
        int h = c.hidden(), d = c.headDim(), i = c.intermediate();
        boolean b = c.qkvBias();
        Block[] blocks = new Block[c.layers()];
        for (int l = 0; l < c.layers(); l++) {
            String p = "model.layers." + l + ".";
            blocks[l] = new Block(NormSpec.NO_PARAMETERS, NormSpec.NO_PARAMETERS, null, null,
                    List.of(LinearSpec.linear(p + "self_attn.q_proj", h, c.heads() * d, b),
                            LinearSpec.linear(p + "self_attn.k_proj", h, c.kvHeads() * d, b),
                            LinearSpec.linear(p + "self_attn.v_proj", h, c.kvHeads() * d, b)), QkvLayout.BLOCKED,
                    LinearSpec.linear(p + "self_attn.o_proj", c.heads() * d, h, b),
                    LinearSpec.linear(p + "mlp.up_proj", h, i, false), LinearSpec.linear(p + "mlp.gate_proj", h, i, false),
                    LinearSpec.linear(p + "mlp.down_proj", i, h, false));
        }
        return new Layout(Tensor.of("model.embed_tokens.weight", Role.EMBEDDING, c.vocab(), h), null, null, null, blocks,
                NormSpec.NO_PARAMETERS, c.tiedHead() ? null : LinearSpec.linear("lm_head", h, c.vocab(), false), null);
    }

    @Override
    public ObjectNode initConfig(InitSpec s) {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.putArray("architectures").add("OlmoForCausalLM");
        o.put("model_type", "olmo");
        o.put("hidden_size", s.hidden());
        o.put("num_hidden_layers", s.layers());
        o.put("num_attention_heads", s.heads());
        o.put("num_key_value_heads", s.kvHeads() > 0 ? s.kvHeads() : s.heads());
        o.put("intermediate_size", s.intermediate() > 0 ? s.intermediate() : ((s.hidden() * 8 / 3 + 63) / 64) * 64);
        o.put("vocab_size", s.vocab());
        o.put("max_position_embeddings", s.maxPositions() > 0 ? s.maxPositions() : 2048);
        o.put("rope_theta", 10000.0);
        o.putNull("rope_scaling");
        o.put("attention_bias", false);
        o.putNull("clip_qkv");
        o.put("hidden_act", "silu");
        o.put("attention_dropout", 0.0);
        o.put("initializer_range", 0.02);
        o.put("tie_word_embeddings", false);
        o.put("pad_token_id", 1);
        o.put("eos_token_id", s.vocab() - 1);
        return o;
    }
}
