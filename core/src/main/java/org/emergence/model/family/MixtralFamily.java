package org.emergence.model.family;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.emergence.model.Activation;
import org.emergence.model.ConfigReader;
import org.emergence.model.Family;
import org.emergence.model.InitSpec;
import org.emergence.model.Layout;
import org.emergence.model.Layout.Block;
import org.emergence.model.Layout.Expert;
import org.emergence.model.Layout.LinearSpec;
import org.emergence.model.Layout.Moe;
import org.emergence.model.Layout.NormSpec;
import org.emergence.model.Layout.QkvLayout;
import org.emergence.model.Layout.Role;
import org.emergence.model.Layout.Tensor;
import org.emergence.model.ModelConfig;
import org.emergence.model.ModelConfig.Norm;
import org.emergence.model.ModelConfig.Wiring;
import org.emergence.model.Rope;

/**
 * Mixtral ({@code model_type} mixtral): the Mistral block whose MLP is a routed mixture of
 * experts — a bias-free router gives num_local_experts logits per token, the num_experts_per_tok
 * most probable experts (softmax, then renormalised over the chosen ones) each compute
 * w2(act(w1(x)) · w3(x)), weighted and summed. The block output captured is the residual stream
 * (the router logits are not part of it). sliding_window, when set, limits every layer as for Mistral.
 */
final class MixtralFamily implements Family {
    @Override
    public List<String> modelTypes() {
        return List.of("mixtral");
    }

    @Override
    public List<String> basePrefixes() {
        return List.of("model.");
    }

    @Override
    public ModelConfig parse(ConfigReader c) {
        ConfigReader.DecoderSizes z = c.decoderSizes(true);
        int layers = z.layers(), d = z.headDim();
        int e = c.positive("num_local_experts", c.intOpt("num_local_experts", 8));
        int k = c.positive("num_experts_per_tok", c.intOpt("num_experts_per_tok", 2));
        if (k > e) throw c.error("num_experts_per_tok " + k + " exceeds num_local_experts " + e);
        Activation act = c.activation("hidden_act", "silu");
        if (c.has("rope_scaling")) throw c.unsupported("rope_scaling", "Mixtral is implemented with unscaled rotary embeddings");
        Rope rope = RopeConfig.parse(c, d, c.doubleOpt("rope_theta", 1e6), false);
        int[] window = new int[layers];
        java.util.Arrays.fill(window, Math.max(0, c.intOpt("sliding_window", 0)));
        return ModelConfig.builder("mixtral").sizes(z)
                .norm(Norm.RMS_NORM, (float) c.doubleOpt("rms_norm_eps", 1e-5)).wiring(Wiring.PRE_NORM).rope(rope)
                .activation(act, true).slidingWindow(window).tiedHead(c.boolOpt("tie_word_embeddings", false))
                .experts(e, k).build();
    }

    @Override
    public Layout layout(ModelConfig c) {
        int h = c.hidden(), d = c.headDim(), i = c.intermediate();
        Block[] blocks = new Block[c.layers()];
        for (int l = 0; l < c.layers(); l++) {
            String p = "model.layers." + l + ".";
            String m = p + "block_sparse_moe.";
            List<Expert> experts = new ArrayList<>();
            for (int e = 0; e < c.experts(); e++) {
                String x = m + "experts." + e + ".";
                experts.add(new Expert(LinearSpec.linear(x + "w3", h, i, false), LinearSpec.linear(x + "w1", h, i, false),
                        LinearSpec.linear(x + "w2", i, h, false)));
            }
            blocks[l] = new Block(NormSpec.rms(p + "input_layernorm", h, false), NormSpec.rms(p + "post_attention_layernorm", h, false),
                    null, null, List.of(LinearSpec.linear(p + "self_attn.q_proj", h, c.heads() * d, false),
                            LinearSpec.linear(p + "self_attn.k_proj", h, c.kvHeads() * d, false),
                            LinearSpec.linear(p + "self_attn.v_proj", h, c.kvHeads() * d, false)), QkvLayout.BLOCKED,
                    LinearSpec.linear(p + "self_attn.o_proj", c.heads() * d, h, false), null, null, null,
                    new Moe(LinearSpec.linear(m + "gate", h, c.experts(), false), experts, c.expertsPerToken()));
        }
        return new Layout(Tensor.of("model.embed_tokens.weight", Role.EMBEDDING, c.vocab(), h), null, null, null, blocks,
                NormSpec.rms("model.norm", h, false), c.tiedHead() ? null : LinearSpec.linear("lm_head", h, c.vocab(), false), null);
    }

    @Override
    public ObjectNode initConfig(InitSpec s) {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.putArray("architectures").add("MixtralForCausalLM");
        o.put("model_type", "mixtral");
        o.put("hidden_size", s.hidden());
        o.put("num_hidden_layers", s.layers());
        o.put("num_attention_heads", s.heads());
        o.put("num_key_value_heads", s.kvHeads() > 0 ? s.kvHeads() : s.heads());
        if (s.headDim() > 0) o.put("head_dim", s.headDim());
        o.put("intermediate_size", s.intermediate() > 0 ? s.intermediate() : ((s.hidden() * 7 / 2 + 63) / 64) * 64);
        o.put("num_local_experts", 8);
        o.put("num_experts_per_tok", 2);
        o.put("vocab_size", s.vocab());
        o.put("max_position_embeddings", s.maxPositions() > 0 ? s.maxPositions() : 4096);
        o.put("rope_theta", 1e6);
        o.putNull("sliding_window");
        o.put("hidden_act", "silu");
        o.put("rms_norm_eps", 1e-5);
        o.put("router_aux_loss_coef", 0.02);
        o.put("router_jitter_noise", 0.0);
        o.put("attention_dropout", 0.0);
        o.put("initializer_range", 0.02);
        o.put("tie_word_embeddings", false);
        o.put("bos_token_id", 1);
        o.put("eos_token_id", 2);
        return o;
    }
}
