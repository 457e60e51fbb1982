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
 * Phi-3 ({@code model_type} phi3): the Llama block with fused projections — qkv_proj holds q, k, v
 * rows one after another (BLOCKED), gate_up_proj holds the gate rows then the up rows, each used
 * as a view of its rows. RMSNorm, rotate-half rotary over the whole head, grouped-query attention,
 * SwiGLU, no biases. sliding_window, when set, limits every layer as for Mistral.
 */
final class Phi3Family implements Family {
    @Override
    public List<String> modelTypes() {
        return List.of("phi3");
    }

    @Override
    public List<String> basePrefixes() {
        return List.of("model.");
    }

    @Override
    public ModelConfig parse(ConfigReader c) {
        ConfigReader.DecoderSizes z = c.decoderSizes(false);
        int layers = z.layers(), d = z.headDim();
        Activation act = c.activation("hidden_act", "silu");
        if (c.has("rope_scaling")) {
            throw c.unsupported("rope_scaling", "Phi-3's su/yarn/LongRoPE scalings (128k models) are not implemented");
        }
        double partial = c.doubleOpt("partial_rotary_factor", 1.0);
        if (partial != 1.0) throw c.unsupported("partial_rotary_factor=" + partial, "phi3 rotates whole heads only");
        Rope rope = RopeConfig.parse(c, d, c.doubleOpt("rope_theta", 10000.0), false);
        int[] window = new int[layers];
        java.util.Arrays.fill(window, Math.max(0, c.intOpt("sliding_window", 0)));
        return ModelConfig.builder("phi3").sizes(z)
                .norm(Norm.RMS_NORM, (float) c.doubleOpt("rms_norm_eps", 1e-5)).wiring(Wiring.PRE_NORM).rope(rope)
                .activation(act, true).slidingWindow(window).tiedHead(c.boolOpt("tie_word_embeddings", false))
                .biases(false, false, false).build();
    }

    @Override
    public Layout layout(ModelConfig c) {
        int h = c.hidden(), d = c.headDim(), i = c.intermediate();
        Block[] blocks = new Block[c.layers()];
        for (int l = 0; l < c.layers(); l++) {
            String p = "model.layers." + l + ".";
            String gateUp = p + "mlp.gate_up_proj";
            blocks[l] = new Block(NormSpec.rms(p + "input_layernorm", h, false), NormSpec.rms(p + "post_attention_layernorm", h, false),
                    null, null, List.of(LinearSpec.linear(p + "self_attn.qkv_proj", h, c.qkvWidth(), false)), QkvLayout.BLOCKED,
                    LinearSpec.linear(p + "self_attn.o_proj", c.heads() * d, h, false),
                    LinearSpec.rowsOf(gateUp, h, 2 * i, i, i), LinearSpec.rowsOf(gateUp, h, 2 * i, 0, i),
                    LinearSpec.linear(p + "mlp.down_proj", i, h, false));
        }
        return new Layout(Tensor.of("model.embed_tokens.weight", Role.EMBEDDING, c.vocab(), h), null, null, null, blocks,
                NormSpec.rms("model.norm", h, false), c.tiedHead() ? null : LinearSpec.linear("lm_head", h, c.vocab(), false), null);
    }

    @Override
    public ObjectNode initConfig(InitSpec s) {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.putArray("architectures").add("Phi3ForCausalLM");
        o.put("model_type", "phi3");
        o.put("hidden_size", s.hidden());
        o.put("num_hidden_layers", s.layers());
        o.put("num_attention_heads", s.heads());
        o.put("num_key_value_heads", s.kvHeads() > 0 ? s.kvHeads() : s.heads());
        o.put("intermediate_size", s.intermediate() > 0 ? s.intermediate() : ((s.hidden() * 8 / 3 + 63) / 64) * 64);
        o.put("vocab_size", s.vocab());
        int positions = s.maxPositions() > 0 ? s.maxPositions() : 4096;
        o.put("max_position_embeddings", positions);
        o.put("original_max_position_embeddings", positions);
        o.put("rope_theta", 10000.0);
        o.putNull("rope_scaling");
        o.putNull("sliding_window");
        o.put("hidden_act", "silu");
        o.put("rms_norm_eps", 1e-5);
        o.put("resid_pdrop", 0.0);
        o.put("embd_pdrop", 0.0);
        o.put("attention_dropout", 0.0);
        o.put("initializer_range", 0.02);
        o.put("tie_word_embeddings", false);
        o.put("bos_token_id", 1);
        o.put("eos_token_id", 32000 < s.vocab() ? 32000 : s.vocab() - 1);
        o.put("pad_token_id", 0);
        return o;
    }
}
