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
 * GPT-NeoX / Pythia ({@code gpt_neox}): LayerNorm, fused query_key_value laid out per head
 * (q_h, k_h, v_h for each head h), rotate-half rotary on the first rotary_pct of each head,
 * parallel residual (h + attn(n1(h)) + mlp(n2(h))) or sequential, exact gelu, biases, untied
 * embed_out head.
 */
final class NeoxFamily implements Family {
    @Override
    public List<String> modelTypes() {
        return List.of("gpt_neox");
    }

    @Override
    public List<String> basePrefixes() {
        return List.of("gpt_neox.");
    }

    @Override
    public ModelConfig parse(ConfigReader c) {
        int hidden = c.positive("hidden_size", c.intReq("hidden_size"));
        int layers = c.positive("num_hidden_layers", c.intReq("num_hidden_layers"));
        int heads = c.positive("num_attention_heads", c.intReq("num_attention_heads"));
        if (hidden % heads != 0) throw c.error("hidden_size " + hidden + " is not divisible by num_attention_heads " + heads);
        int d = hidden / heads;
        int inter = c.positive("intermediate_size", c.intReq("intermediate_size"));
        int vocab = c.positive("vocab_size", c.intReq("vocab_size"));
        int positions = c.positive("max_position_embeddings", c.intReq("max_position_embeddings"));
        String actName = c.stringOpt("hidden_act", "gelu");
        Activation act = Activation.fromHf(actName);
        if (act == null) throw c.unsupported("hidden_act=" + actName, "supported: " + Activation.SUPPORTED);
        double pct = c.doubleAny(0.25, "rotary_pct", "partial_rotary_factor");
        int rotDims = (int) (d * pct);
        double theta = c.doubleAny(10000.0, "rotary_emb_base", "rope_theta");
        Rope rope = RopeConfig.parse(c, rotDims, theta, false);
        boolean bias = c.boolOpt("attention_bias", true);
        return ModelConfig.builder("gpt_neox").sizes(layers, hidden, heads, heads, d, inter, vocab, positions)
                .norm(Norm.LAYER_NORM, (float) c.doubleOpt("layer_norm_eps", 1e-5))
                .wiring(c.boolOpt("use_parallel_residual", true) ? Wiring.PARALLEL_TWO_NORMS : Wiring.PRE_NORM)
                .rope(rope).activation(act, false).tiedHead(c.boolOpt("tie_word_embeddings", false))
                .biases(bias, bias, true).build();
    }

    @Override
    public Layout layout(ModelConfig c) {
        int h = c.hidden(), i = c.intermediate();
        Block[] blocks = new Block[c.layers()];
        for (int l = 0; l < c.layers(); l++) {
            String p = "gpt_neox.layers." + l + ".";
            blocks[l] = new Block(NormSpec.layerNorm(p + "input_layernorm", h), NormSpec.layerNorm(p + "post_attention_layernorm", h),
                    null, null, List.of(LinearSpec.linear(p + "attention.query_key_value", h, 3 * h, c.qkvBias())),
                    QkvLayout.PER_HEAD, LinearSpec.linear(p + "attention.dense", h, h, c.outBias()),
                    LinearSpec.linear(p + "mlp.dense_h_to_4h", h, i, true), null,
                    LinearSpec.linear(p + "mlp.dense_4h_to_h", i, h, true));
        }
        return new Layout(Tensor.of("gpt_neox.embed_in.weight", Role.EMBEDDING, c.vocab(), h), null, null, null, blocks,
                NormSpec.layerNorm("gpt_neox.final_layer_norm", h),
                c.tiedHead() ? null : LinearSpec.linear("embed_out", h, c.vocab(), false), null);
    }

    @Override
    public ObjectNode initConfig(InitSpec s) {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.putArray("architectures").add("GPTNeoXForCausalLM");
        o.put("model_type", "gpt_neox");
        o.put("hidden_size", s.hidden());
        o.put("num_hidden_layers", s.layers());
        o.put("num_attention_heads", s.heads());
        o.put("intermediate_size", s.intermediate() > 0 ? s.intermediate() : 4 * s.hidden());
        o.put("vocab_size", s.vocab());
        o.put("max_position_embeddings", s.maxPositions() > 0 ? s.maxPositions() : 2048);
        o.put("rotary_pct", 0.25);
        o.put("rotary_emb_base", 10000);
        o.put("layer_norm_eps", 1e-5);
        o.put("use_parallel_residual", true);
        o.put("hidden_act", "gelu");
        o.put("attention_bias", true);
        o.put("tie_word_embeddings", false);
        o.putNull("rope_scaling");
        o.put("initializer_range", 0.02);
        o.put("bos_token_id", 0);
        o.put("eos_token_id", 0);
        return o;
    }
}
