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
 * GPT-2 ({@code model_type} gpt2): learned positions, pre-LayerNorm blocks, fused c_attn stored as
 * Conv1D [in, 3·H], gelu_new MLP, head tied to wte.
 */
final class Gpt2Family implements Family {
    @Override
    public List<String> modelTypes() {
        return List.of("gpt2");
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
        int inner = c.intOpt("n_inner", 4 * hidden);
        int vocab = c.positive("vocab_size", c.intReq("vocab_size"));
        int positions = c.positive("n_positions", c.intAnyReq("n_positions", "max_position_embeddings"));
        String actName = c.stringOpt("activation_function", "gelu_new");
        Activation act = Activation.fromHf(actName);
        if (act == null) throw c.unsupported("activation_function=" + actName, "supported: " + Activation.SUPPORTED);
        if (c.boolOpt("add_cross_attention", false)) throw c.unsupported("add_cross_attention=true", "encoder-decoder GPT-2");
        // reorder_and_upcast_attn only changes the precision of the score computation, which is fp32 here anyway
        boolean scale = c.boolOpt("scale_attn_weights", true);
        boolean byLayer = c.boolOpt("scale_attn_by_inverse_layer_idx", false);
        int d = hidden / heads;
        float[] attnScale = new float[layers];
        for (int l = 0; l < layers; l++) {
            double s = scale ? 1.0 / Math.sqrt(d) : 1.0;
            if (byLayer) s /= (l + 1);
            attnScale[l] = (float) s;
        }
        return ModelConfig.builder("gpt2").sizes(layers, hidden, heads, heads, d, inner, vocab, positions)
                .norm(Norm.LAYER_NORM, (float) c.doubleOpt("layer_norm_epsilon", 1e-5)).wiring(Wiring.PRE_NORM)
                .learnedPositions(true).activation(act, false).attnScale(attnScale)
                .tiedHead(c.boolOpt("tie_word_embeddings", true)).biases(true, true, true).build();
    }

    @Override
    public Layout layout(ModelConfig c) {
        int h = c.hidden();
        Block[] blocks = new Block[c.layers()];
        for (int l = 0; l < c.layers(); l++) {
            String p = "transformer.h." + l + ".";
            blocks[l] = new Block(NormSpec.layerNorm(p + "ln_1", h), NormSpec.layerNorm(p + "ln_2", h), null, null,
                    List.of(LinearSpec.conv1d(p + "attn.c_attn", h, 3 * h)), QkvLayout.BLOCKED,
                    LinearSpec.conv1d(p + "attn.c_proj", h, h),
                    LinearSpec.conv1d(p + "mlp.c_fc", h, c.intermediate()), null,
                    LinearSpec.conv1d(p + "mlp.c_proj", c.intermediate(), h));
        }
        return new Layout(Tensor.of("transformer.wte.weight", Role.EMBEDDING, c.vocab(), h),
                Tensor.of("transformer.wpe.weight", Role.EMBEDDING, c.maxPositions(), h), null, null, blocks,
                NormSpec.layerNorm("transformer.ln_f", h),
                c.tiedHead() ? null : LinearSpec.linear("lm_head", h, c.vocab(), false), null);
    }

    @Override
    public ObjectNode initConfig(InitSpec s) {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.putArray("architectures").add("GPT2LMHeadModel");
        o.put("model_type", "gpt2");
        o.put("activation_function", "gelu_new");
        o.put("n_embd", s.hidden());
        o.put("n_layer", s.layers());
        o.put("n_head", s.heads());
        if (s.intermediate() > 0) o.put("n_inner", s.intermediate());
        else o.putNull("n_inner");
        o.put("n_positions", s.maxPositions() > 0 ? s.maxPositions() : 1024);
        o.put("n_ctx", s.maxPositions() > 0 ? s.maxPositions() : 1024);
        o.put("vocab_size", s.vocab());
        o.put("layer_norm_epsilon", 1e-5);
        o.put("initializer_range", 0.02);
        o.put("attn_pdrop", 0.0);
        o.put("embd_pdrop", 0.0);
        o.put("resid_pdrop", 0.0);
        o.put("scale_attn_weights", true);
        o.put("scale_attn_by_inverse_layer_idx", false);
        o.put("reorder_and_upcast_attn", false);
        o.put("tie_word_embeddings", true);
        o.put("bos_token_id", s.vocab() - 1);
        o.put("eos_token_id", s.vocab() - 1);
        return o;
    }
}
