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
 * Falcon ({@code model_type} falcon), rotary variants only. Three layouts of the fused
 * query_key_value, all one grouping (PER_HEAD): per kv group its query heads, then its key and value head:
 * <ul>
 *   <li>new_decoder_architecture (Falcon-40B/180B): num_kv_heads groups, each its nH/nKV query heads
 *       then its key and value head; ln_attn and ln_mlp both read the block input,
 *       attention and MLP are added in parallel (num_ln_in_parallel_attn = 1: one input_layernorm);</li>
 *   <li>multi_query (Falcon-7B): all query heads, then one key and one value head (one group);</li>
 *   <li>neither: q_h, k_h, v_h per head (nH groups of one).</li>
 * </ul>
 * Without the new architecture, parallel_attn = true feeds attention and MLP from input_layernorm in
 * parallel; false runs them in sequence with post_attention_layernorm before the MLP. Exact gelu
 * MLP, biases when {@code bias}, final ln_f, head tied to word_embeddings.
 */
final class FalconFamily implements Family {
    @Override
    public List<String> modelTypes() {
        return List.of("falcon");
    }

    @Override
    public List<String> basePrefixes() {
        return List.of("transformer.");
    }

    @Override
    public ModelConfig parse(ConfigReader c) {
        int hidden = c.positive("hidden_size", c.intAnyReq("hidden_size", "n_embed"));
        int layers = c.positive("num_hidden_layers", c.intAnyReq("num_hidden_layers", "n_layer"));
        int heads = c.positive("num_attention_heads", c.intAnyReq("num_attention_heads", "n_head"));
        if (hidden % heads != 0) throw c.error("hidden_size " + hidden + " is not divisible by num_attention_heads " + heads);
        int d = hidden / heads;
        int vocab = c.positive("vocab_size", c.intReq("vocab_size"));
        int positions = c.positive("max_position_embeddings", c.intOpt("max_position_embeddings", 2048));
        int ffn = c.positive("ffn_hidden_size", c.intOpt("ffn_hidden_size", 4 * hidden));
        if (c.boolOpt("alibi", false)) throw c.unsupported("alibi=true", "ALiBi position biases (falcon-rw); only rotary Falcon is implemented");
        boolean newArch = c.boolOpt("new_decoder_architecture", false);
        boolean parallel = c.boolOpt("parallel_attn", true);
        int kv;
        Wiring wiring;
        if (newArch) {
            kv = c.positive("num_kv_heads", c.intOpt("num_kv_heads", heads));
            if (heads % kv != 0) throw c.error("num_attention_heads " + heads + " is not a multiple of num_kv_heads " + kv);
            if (!parallel) throw c.unsupported("parallel_attn=false", "with new_decoder_architecture");
            int norms = c.intOpt("num_ln_in_parallel_attn", 2);
            if (norms != 1 && norms != 2) throw c.unsupported("num_ln_in_parallel_attn=" + norms, "supported: 1, 2");
            wiring = norms == 2 ? Wiring.PARALLEL_TWO_NORMS : Wiring.PARALLEL_ONE_NORM;
        } else {
            kv = c.boolOpt("multi_query", true) ? 1 : heads;
            if (c.intOpt("num_ln_in_parallel_attn", 1) != 1) {
                throw c.unsupported("num_ln_in_parallel_attn=" + c.intOpt("num_ln_in_parallel_attn", 1),
                        "two norms need new_decoder_architecture");
            }
            wiring = parallel ? Wiring.PARALLEL_ONE_NORM : Wiring.PRE_NORM;
        }
        String actName = c.stringOpt("activation", "gelu");
        Activation act = Activation.fromHf(actName);
        if (act == null) throw c.unsupported("activation=" + actName, "supported: " + Activation.SUPPORTED);
        RopeConfig.requireType(c, "Falcon", "linear", "dynamic");
        Rope rope = RopeConfig.parse(c, d, c.doubleOpt("rope_theta", 10000.0), false);
        boolean bias = c.boolOpt("bias", false);
        return ModelConfig.builder("falcon").sizes(layers, hidden, heads, kv, d, ffn, vocab, positions)
                .norm(Norm.LAYER_NORM, (float) c.doubleOpt("layer_norm_epsilon", 1e-5)).wiring(wiring).rope(rope)
                .activation(act, false).tiedHead(c.boolOpt("tie_word_embeddings", true)).biases(bias, bias, bias).build();
    }

    @Override
    public Layout layout(ModelConfig c) {
        int h = c.hidden(), i = c.intermediate();
        boolean b = c.qkvBias();
        // one grouping covers all three: multi-query is a single group (all queries, k, v), the old layout nH groups of one
        QkvLayout qkv = QkvLayout.PER_HEAD;
        Block[] blocks = new Block[c.layers()];
        for (int l = 0; l < c.layers(); l++) {
            String p = "transformer.h." + l + ".";
            NormSpec n1, n2;
            switch (c.wiring()) {
                case PARALLEL_TWO_NORMS -> {
                    n1 = NormSpec.layerNorm(p + "ln_attn", h);
                    n2 = NormSpec.layerNorm(p + "ln_mlp", h);
                }
                case PRE_NORM -> {
                    n1 = NormSpec.layerNorm(p + "input_layernorm", h);
                    n2 = NormSpec.layerNorm(p + "post_attention_layernorm", h);
                }
                default -> {
                    n1 = NormSpec.layerNorm(p + "input_layernorm", h);
                    n2 = null;
                }
            }
            blocks[l] = new Block(n1, n2, null, null,
                    List.of(LinearSpec.linear(p + "self_attention.query_key_value", h, c.qkvWidth(), b)), qkv,
                    LinearSpec.linear(p + "self_attention.dense", h, h, b),
                    LinearSpec.linear(p + "mlp.dense_h_to_4h", h, i, b), null, LinearSpec.linear(p + "mlp.dense_4h_to_h", i, h, b));
        }
        return new Layout(Tensor.of("transformer.word_embeddings.weight", Role.EMBEDDING, c.vocab(), h), null, null, null,
                blocks, NormSpec.layerNorm("transformer.ln_f", h),
                c.tiedHead() ? null : LinearSpec.linear("lm_head", h, c.vocab(), false), null);
    }

    @Override
    public ObjectNode initConfig(InitSpec s) {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.putArray("architectures").add("FalconForCausalLM");
        o.put("model_type", "falcon");
        o.put("hidden_size", s.hidden());
        o.put("num_hidden_layers", s.layers());
        o.put("num_attention_heads", s.heads());
        // Falcon-40B's layout: kv groups, two parallel norms
        o.put("new_decoder_architecture", true);
        o.put("num_kv_heads", s.kvHeads() > 0 ? s.kvHeads() : s.heads());
        o.putNull("num_ln_in_parallel_attn");
        o.put("multi_query", true);
        o.put("parallel_attn", true);
        o.put("alibi", false);
        o.put("bias", false);
        o.put("ffn_hidden_size", s.intermediate() > 0 ? s.intermediate() : 4 * s.hidden());
        o.put("vocab_size", s.vocab());
        o.put("max_position_embeddings", s.maxPositions() > 0 ? s.maxPositions() : 2048);
        o.put("rope_theta", 10000.0);
        o.putNull("rope_scaling");
        o.put("activation", "gelu");
        o.put("layer_norm_epsilon", 1e-5);
        o.put("hidden_dropout", 0.0);
        o.put("attention_dropout", 0.0);
        o.put("initializer_range", 0.02);
        o.put("tie_word_embeddings", true);
        o.put("bos_token_id", 1);
        o.put("eos_token_id", 2);
        return o;
    }
}
