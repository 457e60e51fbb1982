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
 * GPT-J ({@code gptj}): one LayerNorm feeding attention and MLP in parallel
 * (h + attn(n(h)) + mlp(n(h))), rotary on interleaved pairs (2i, 2i + 1) of the first rotary_dim
 * features of each head, q/k/v/out without bias, MLP with bias, lm_head with bias.
 */
final class GptjFamily implements Family {
    @Override
    public List<String> modelTypes() {
        return List.of("gptj");
    }

    @Override
    public List<String> basePrefixes() {
        return List.of("transformer.");
    }

    @Override
    public ModelConfig parse(ConfigReader c) {
        int hidden = c.positive("n_embd", c.intAnyReq("n_embd", "hidden_size"));
        int layers = c.positive("n_layer", c.intAnyReq("n_layer", "num_hidden_layers"));
        int heads = c.positive("n_head", c.intAnyReq("n_head", "num_attention_heads"));
        if (hidden % heads != 0) throw c.error("n_embd " + hidden + " is not divisible by n_head " + heads);
        int d = hidden / heads;
        int inner = c.intOpt("n_inner", 4 * hidden);
        int vocab = c.positive("vocab_size", c.intReq("vocab_size"));
        int positions = c.positive("n_positions", c.intAnyReq("n_positions", "max_position_embeddings"));
        String actName = c.stringOpt("activation_function", "gelu_new");
        Activation act = Activation.fromHf(actName);
        if (act == null) throw c.unsupported("activation_function=" + actName, "supported: " + Activation.SUPPORTED);
        int rot = c.intOpt("rotary_dim", d);
        if (rot > d) throw c.error("rotary_dim " + rot + " exceeds the head size " + d);
        if (c.has("rope_scaling")) throw c.unsupported("rope_scaling", "GPT-J has no rotary scaling");
        Rope rope = RopeConfig.parse(c, rot, 10000.0, true);
        return ModelConfig.builder("gptj").sizes(layers, hidden, heads, heads, d, inner, vocab, positions)
                .norm(Norm.LAYER_NORM, (float) c.doubleOpt("layer_norm_epsilon", 1e-5)).wiring(Wiring.PARALLEL_ONE_NORM)
                .rope(rope).activation(act, false).tiedHead(c.boolOpt("tie_word_embeddings", false))
                .biases(false, false, true).build();
    }

    @Override
    public Layout layout(ModelConfig c) {
        int h = c.hidden(), i = c.intermediate();
        Block[] blocks = new Block[c.layers()];
        for (int l = 0; l < c.layers(); l++) {
            String p = "transformer.h." + l + ".";
            blocks[l] = new Block(NormSpec.layerNorm(p + "ln_1", h), null, null, null,
                    List.of(LinearSpec.linear(p + "attn.q_proj", h, h, false), LinearSpec.linear(p + "attn.k_proj", h, h, false),
                            LinearSpec.linear(p + "attn.v_proj", h, h, false)), QkvLayout.BLOCKED,
                    LinearSpec.linear(p + "attn.out_proj", h, h, false),
                    LinearSpec.linear(p + "mlp.fc_in", h, i, true), null, LinearSpec.linear(p + "mlp.fc_out", i, h, true));
        }
        return new Layout(Tensor.of("transformer.wte.weight", Role.EMBEDDING, c.vocab(), h), null, null, null, blocks,
                NormSpec.layerNorm("transformer.ln_f", h),
                c.tiedHead() ? null : LinearSpec.linear("lm_head", h, c.vocab(), true), null);
    }

    @Override
    public ObjectNode initConfig(InitSpec s) {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.putArray("architectures").add("GPTJForCausalLM");
        o.put("model_type", "gptj");
        o.put("n_embd", s.hidden());
        o.put("n_layer", s.layers());
        o.put("n_head", s.heads());
        if (s.intermediate() > 0) o.put("n_inner", s.intermediate());
        else o.putNull("n_inner");
        o.put("rotary_dim", Math.min(64, s.hidden() / s.heads()));
        o.put("n_positions", s.maxPositions() > 0 ? s.maxPositions() : 2048);
        o.put("vocab_size", s.vocab());
        o.put("layer_norm_epsilon", 1e-5);
        o.put("activation_function", "gelu_new");
        o.put("tie_word_embeddings", false);
        o.put("initializer_range", 0.02);
        o.put("bos_token_id", s.vocab() - 1);
        o.put("eos_token_id", s.vocab() - 1);
        return o;
    }
}
