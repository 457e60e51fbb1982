package org.emergence.model.family;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
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
 * GPT-Neo ({@code model_type} gpt_neo): GPT-2's pre-LN block with learned positions, separate
 * q/k/v projections without bias, and attention scores that are not scaled by 1/√D. Each layer is
 * "global" (full causal attention) or "local" (a query sees the last window_size keys, itself
 * included), from attention_types [[["global", "local"], n], …] expanded in order.
 */
final class GptNeoFamily implements Family {
    @Override
    public List<String> modelTypes() {
        return List.of("gpt_neo");
    }

    @Override
    public List<String> basePrefixes() {
        return List.of("transformer.");
    }

    @Override
    public ModelConfig parse(ConfigReader c) {
        int hidden = c.positive("hidden_size", c.intReq("hidden_size"));
        int layers = c.positive("num_layers", c.intAnyReq("num_layers", "num_hidden_layers"));
        int heads = c.positive("num_heads", c.intAnyReq("num_heads", "num_attention_heads"));
        if (hidden % heads != 0) throw c.error("hidden_size " + hidden + " is not divisible by num_heads " + heads);
        int inner = c.positive("intermediate_size", c.intOpt("intermediate_size", 4 * hidden));
        int vocab = c.positive("vocab_size", c.intReq("vocab_size"));
        int positions = c.positive("max_position_embeddings", c.intReq("max_position_embeddings"));
        String actName = c.stringOpt("activation_function", "gelu_new");
        Activation act = Activation.fromHf(actName);
        if (act == null) throw c.unsupported("activation_function=" + actName, "supported: " + Activation.SUPPORTED);
        int window = c.positive("window_size", c.intOpt("window_size", 256));
        List<String> types = attentionLayers(c);
        if (types.size() != layers) {
            throw c.error("attention_types describe " + types.size() + " layers but num_layers is " + layers);
        }
        int[] windows = new int[layers];
        for (int l = 0; l < layers; l++) {
            switch (types.get(l)) {
                case "global" -> windows[l] = 0;
                case "local" -> windows[l] = window;
                default -> throw c.unsupported("attention type '" + types.get(l) + "'", "supported: global, local");
            }
        }
        float[] scale = new float[layers];
        java.util.Arrays.fill(scale, 1f); // GPT-Neo does not scale q·k
        return ModelConfig.builder("gpt_neo").sizes(layers, hidden, heads, heads, hidden / heads, inner, vocab, positions)
                .norm(Norm.LAYER_NORM, (float) c.doubleOpt("layer_norm_epsilon", 1e-5)).wiring(Wiring.PRE_NORM)
                .learnedPositions(true).activation(act, false).attnScale(scale).slidingWindow(windows)
                .tiedHead(c.boolOpt("tie_word_embeddings", true)).biases(false, true, true).build();
    }

    /** The per-layer attention types: attention_types expanded, else attention_layers as saved. */
    private static List<String> attentionLayers(ConfigReader c) {
        List<String> out = new ArrayList<>();
        JsonNode at = c.get("attention_types");
        if (at != null) {
            if (!at.isArray()) throw c.error("'attention_types' must be a list of [[types…], repeat] pairs");
            for (JsonNode item : at) {
                if (!item.isArray() || item.size() != 2 || !item.get(0).isArray() || !item.get(1).canConvertToInt()
                        || !item.get(1).isIntegralNumber() || item.get(1).asInt() < 0) {
                    throw c.error("'attention_types' entries must be [[types…], repeat], found " + item);
                }
                if (item.get(0).isEmpty()) continue;
                for (int i = 0; i < item.get(1).asInt(); i++) {
                    for (JsonNode t : item.get(0)) {
                        out.add(t.asText());
                        if (out.size() > 1 << 16) throw c.error("'attention_types' describe too many layers");
                    }
                }
            }
            return out;
        }
        JsonNode al = c.get("attention_layers");
        if (al == null || !al.isArray()) throw c.error("missing required key 'attention_types'");
        for (JsonNode t : al) out.add(t.asText());
        return out;
    }

    @Override
    public Layout layout(ModelConfig c) {
        int h = c.hidden(), i = c.intermediate();
        Block[] blocks = new Block[c.layers()];
        for (int l = 0; l < c.layers(); l++) {
            String p = "transformer.h." + l + ".";
            String a = p + "attn.attention.";
            blocks[l] = new Block(NormSpec.layerNorm(p + "ln_1", h), NormSpec.layerNorm(p + "ln_2", h), null, null,
                    List.of(LinearSpec.linear(a + "q_proj", h, h, false), LinearSpec.linear(a + "k_proj", h, h, false),
                            LinearSpec.linear(a + "v_proj", h, h, false)), QkvLayout.BLOCKED,
                    LinearSpec.linear(a + "out_proj", h, h, true),
                    LinearSpec.linear(p + "mlp.c_fc", h, i, true), null, LinearSpec.linear(p + "mlp.c_proj", i, h, true));
        }
        return new Layout(Tensor.of("transformer.wte.weight", Role.EMBEDDING, c.vocab(), h),
                Tensor.of("transformer.wpe.weight", Role.EMBEDDING, c.maxPositions(), h), null, null, blocks,
                NormSpec.layerNorm("transformer.ln_f", h),
                c.tiedHead() ? null : LinearSpec.linear("lm_head", h, c.vocab(), false), null);
    }

    @Override
    public ObjectNode initConfig(InitSpec s) {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.putArray("architectures").add("GPTNeoForCausalLM");
        o.put("model_type", "gpt_neo");
        o.put("hidden_size", s.hidden());
        o.put("num_layers", s.layers());
        o.put("num_heads", s.heads());
        if (s.intermediate() > 0) o.put("intermediate_size", s.intermediate());
        else o.putNull("intermediate_size");
        // alternate global and local layers, as GPT-Neo 125M … 2.7B do
        ArrayNode types = o.putArray("attention_types");
        ArrayNode pair = types.addArray();
        if (s.layers() % 2 == 0) {
            pair.addArray().add("global").add("local");
            pair.add(s.layers() / 2);
        } else {
            pair.addArray().add("global");
            pair.add(s.layers());
        }
        o.put("window_size", 256);
        o.put("max_position_embeddings", s.maxPositions() > 0 ? s.maxPositions() : 2048);
        o.put("vocab_size", s.vocab());
        o.put("activation_function", "gelu_new");
        o.put("layer_norm_epsilon", 1e-5);
        o.put("initializer_range", 0.02);
        o.put("resid_dropout", 0.0);
        o.put("embed_dropout", 0.0);
        o.put("attention_dropout", 0.0);
        o.put("bos_token_id", s.vocab() - 1);
        o.put("eos_token_id", s.vocab() - 1);
        return o;
    }
}
