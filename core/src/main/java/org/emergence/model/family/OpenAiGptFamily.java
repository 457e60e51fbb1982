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
 * GPT-1 ({@code model_type} openai-gpt): learned positions, post-LayerNorm blocks
 * (h = ln_1(h + attn(h)); h = ln_2(h + mlp(h))), no final norm, Conv1D weights stored [in, out],
 * MLP width 4·H, head tied to tokens_embed. Its activation names are its own: "gelu" is the tanh
 * approximation (gelu_new), and only relu, silu, swish and gelu exist.
 */
final class OpenAiGptFamily implements Family {
    @Override
    public List<String> modelTypes() {
        return List.of("openai-gpt");
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
        int vocab = c.positive("vocab_size", c.intReq("vocab_size"));
        int positions = c.positive("n_positions", c.intAnyReq("n_positions", "max_position_embeddings"));
        String afn = c.stringOpt("afn", "gelu");
        Activation act = switch (afn) {
            case "gelu" -> Activation.GELU_TANH; // GPT-1's own table maps "gelu" to the tanh form
            case "relu" -> Activation.RELU;
            case "silu", "swish" -> Activation.SILU;
            default -> throw c.unsupported("afn=" + afn, "supported: gelu, relu, silu, swish");
        };
        return ModelConfig.builder("openai-gpt").sizes(layers, hidden, heads, heads, hidden / heads, 4 * hidden, vocab, positions)
                .norm(Norm.LAYER_NORM, (float) c.doubleOpt("layer_norm_epsilon", 1e-5)).wiring(Wiring.POST_NORM)
                .learnedPositions(true).activation(act, false).finalNorm(false)
                .tiedHead(c.boolOpt("tie_word_embeddings", true)).biases(true, true, true).build();
    }

    @Override
    public Layout layout(ModelConfig c) {
        int h = c.hidden();
        Block[] blocks = new Block[c.layers()];
        for (int l = 0; l < c.layers(); l++) {
            String p = "transformer.h." + l + ".";
            // post-LN: norm1 follows attention, norm2 follows the MLP
            blocks[l] = new Block(NormSpec.layerNorm(p + "ln_1", h), NormSpec.layerNorm(p + "ln_2", h), null, null,
                    List.of(LinearSpec.conv1d(p + "attn.c_attn", h, 3 * h)), QkvLayout.BLOCKED,
                    LinearSpec.conv1d(p + "attn.c_proj", h, h),
                    LinearSpec.conv1d(p + "mlp.c_fc", h, c.intermediate()), null,
                    LinearSpec.conv1d(p + "mlp.c_proj", c.intermediate(), h));
        }
        return new Layout(Tensor.of("transformer.tokens_embed.weight", Role.EMBEDDING, c.vocab(), h),
                Tensor.of("transformer.positions_embed.weight", Role.EMBEDDING, c.maxPositions(), h), null, null, blocks,
                null, c.tiedHead() ? null : LinearSpec.linear("lm_head", h, c.vocab(), false), null);
    }

    @Override
    public ObjectNode initConfig(InitSpec s) {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.putArray("architectures").add("OpenAIGPTLMHeadModel");
        o.put("model_type", "openai-gpt");
        o.put("afn", "gelu");
        o.put("n_embd", s.hidden());
        o.put("n_layer", s.layers());
        o.put("n_head", s.heads());
        o.put("n_positions", s.maxPositions() > 0 ? s.maxPositions() : 512);
        o.put("vocab_size", s.vocab());
        o.put("layer_norm_epsilon", 1e-5);
        o.put("initializer_range", 0.02);
        o.put("attn_pdrop", 0.0);
        o.put("embd_pdrop", 0.0);
        o.put("resid_pdrop", 0.0);
        return o;
    }
}
