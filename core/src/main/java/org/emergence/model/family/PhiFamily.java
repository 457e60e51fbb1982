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
 * Phi-1, Phi-1.5 and Phi-2 ({@code model_type} phi): one LayerNorm feeding attention and MLP in
 * parallel (h + dense(attn(n(h))) + fc2(act(fc1(n(h))))), rotate-half rotary on the first
 * partial_rotary_factor of each head, q/k/v/dense/fc1/fc2 all with bias, grouped-query attention,
 * a final LayerNorm and an untied lm_head with bias.
 */
final class PhiFamily implements Family {
    @Override
    public List<String> modelTypes() {
        return List.of("phi");
    }

    @Override
    public List<String> basePrefixes() {
        return List.of("model.");
    }

    @Override
    public ModelConfig parse(ConfigReader c) {
        ConfigReader.DecoderSizes z = c.decoderSizes(false);
        int d = z.headDim();
        Activation act = c.activation("hidden_act", "gelu_new");
        if (c.boolOpt("qk_layernorm", false)) throw c.unsupported("qk_layernorm=true", "LayerNorm on queries and keys");
        if (c.has("rope_scaling")) throw c.unsupported("rope_scaling", "only unscaled rotary embeddings are implemented for phi");
        double partial = c.doubleOpt("partial_rotary_factor", 0.5);
        if (!(partial > 0 && partial <= 1)) throw c.error("'partial_rotary_factor' must be in (0, 1], found " + partial);
        Rope rope = RopeConfig.parse(c, (int) (d * partial), c.doubleOpt("rope_theta", 10000.0), false);
        return ModelConfig.builder("phi").sizes(z)
                .norm(Norm.LAYER_NORM, (float) c.doubleOpt("layer_norm_eps", 1e-5)).wiring(Wiring.PARALLEL_ONE_NORM)
                .rope(rope).activation(act, false).tiedHead(c.boolOpt("tie_word_embeddings", false))
                .biases(true, true, true).build();
    }

    @Override
    public Layout layout(ModelConfig c) {
        int h = c.hidden(), d = c.headDim(), i = c.intermediate();
        Block[] blocks = new Block[c.layers()];
        for (int l = 0; l < c.layers(); l++) {
            String p = "model.layers." + l + ".";
            blocks[l] = new Block(NormSpec.layerNorm(p + "input_layernorm", h), null, null, null,
                    List.of(LinearSpec.linear(p + "self_attn.q_proj", h, c.heads() * d, true),
                            LinearSpec.linear(p + "self_attn.k_proj", h, c.kvHeads() * d, true),
                            LinearSpec.linear(p + "self_attn.v_proj", h, c.kvHeads() * d, true)), QkvLayout.BLOCKED,
                    LinearSpec.linear(p + "self_attn.dense", c.heads() * d, h, true),
                    LinearSpec.linear(p + "mlp.fc1", h, i, true), null, LinearSpec.linear(p + "mlp.fc2", i, h, true));
        }
        return new Layout(Tensor.of("model.embed_tokens.weight", Role.EMBEDDING, c.vocab(), h), null, null, null, blocks,
                NormSpec.layerNorm("model.final_layernorm", h),
                c.tiedHead() ? null : LinearSpec.linear("lm_head", h, c.vocab(), true), null);
    }

    @Override
    public ObjectNode initConfig(InitSpec s) {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.putArray("architectures").add("PhiForCausalLM");
        o.put("model_type", "phi");
        o.put("hidden_size", s.hidden());
        o.put("num_hidden_layers", s.layers());
        o.put("num_attention_heads", s.heads());
        o.put("num_key_value_heads", s.kvHeads() > 0 ? s.kvHeads() : s.heads());
        o.put("intermediate_size", s.intermediate() > 0 ? s.intermediate() : 4 * s.hidden());
        o.put("vocab_size", s.vocab());
        o.put("max_position_embeddings", s.maxPositions() > 0 ? s.maxPositions() : 2048);
        o.put("partial_rotary_factor", 0.5);
        o.put("rope_theta", 10000.0);
        o.putNull("rope_scaling");
        o.put("qk_layernorm", false);
        o.put("hidden_act", "gelu_new");
        o.put("layer_norm_eps", 1e-5);
        o.put("resid_pdrop", 0.0);
        o.put("embd_pdrop", 0.0);
        o.put("attention_dropout", 0.0);
        o.put("initializer_range", 0.02);
        o.put("tie_word_embeddings", false);
        o.put("bos_token_id", 1);
        o.put("eos_token_id", 2);
        return o;
    }
}
