package org.emergence.model.family;

import com.fasterxml.jackson.databind.JsonNode;
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
 * The Llama lineage, which shares Hugging Face's {@code model.layers.{l}.self_attn/mlp} naming:
 * <ul>
 *   <li>{@code llama} (Llama 2/3/3.1/3.2, OpenLLaMA, TinyLlama): RMSNorm, rotate-half rotary with
 *       rope_theta and rope_scaling (linear, llama3), grouped-query attention, SwiGLU,
 *       attention_bias, mlp_bias, tied or untied head;</li>
 *   <li>{@code mistral}: llama plus sliding_window on every layer;</li>
 *   <li>{@code qwen2}: llama with q/k/v biases; sliding window on layers ≥ max_window_layers when
 *       use_sliding_window is set;</li>
 *   <li>{@code gemma}: RMSNorm x/rms·(1 + w), embeddings × √H (rounded to fp32), free head_dim,
 *       GeGLU with tanh gelu, tied head;</li>
 *   <li>{@code gemma2}: gemma plus norms after attention and MLP, query_pre_attn_scalar,
 *       attention and final logit soft-capping, sliding window on alternate layers.</li>
 * </ul>
 */
final class LlamaFamily implements Family {
    enum Variant { LLAMA, MISTRAL, QWEN2, GEMMA, GEMMA2 }

    private final Variant variant;

    LlamaFamily(Variant v) {
        this.variant = v;
    }

    @Override
    public List<String> modelTypes() {
        return List.of(variant.name().toLowerCase(java.util.Locale.ROOT));
    }

    @Override
    public List<String> basePrefixes() {
        return List.of("model.");
    }

    private boolean gemma() {
        return variant == Variant.GEMMA || variant == Variant.GEMMA2;
    }

    @Override
    public ModelConfig parse(ConfigReader c) {
        String type = modelTypes().get(0);
        ConfigReader.DecoderSizes z = c.decoderSizes(true);
        int layers = z.layers(), hidden = z.hidden(), headDim = z.headDim();
        float eps = (float) c.doubleOpt("rms_norm_eps", 1e-6);

        // gemma: hidden_activation, gelu_pytorch_tanh when unset (the reference's choice)
        Activation act = gemma() ? c.activation("hidden_activation", "gelu_pytorch_tanh") : c.activation("hidden_act", "silu");

        double partial = c.doubleOpt("partial_rotary_factor", 1.0);
        int ropeDims = (int) (headDim * partial);
        Rope rope = RopeConfig.parse(c, ropeDims, c.doubleOpt("rope_theta", 10000.0), false);

        float[] scale = new float[layers];
        float s = (float) (1.0 / Math.sqrt(headDim));
        if (variant == Variant.GEMMA2) {
            double q = c.doubleOpt("query_pre_attn_scalar", headDim);
            if (!(q > 0)) throw c.error("'query_pre_attn_scalar' must be > 0");
            s = (float) Math.pow(q, -0.5);
        }
        java.util.Arrays.fill(scale, s);

        int[] window = slidingWindows(c, layers);
        float attnCap = 0f, finalCap = 0f;
        if (variant == Variant.GEMMA2) {
            attnCap = (float) c.doubleOpt("attn_logit_softcapping", 0.0);
            finalCap = (float) c.doubleOpt("final_logit_softcapping", 0.0);
            if (attnCap < 0 || finalCap < 0) throw c.error("soft-capping values must be positive");
        }
        boolean tied = c.boolOpt("tie_word_embeddings", gemma());
        float embedScale = gemma() ? (float) Math.sqrt(hidden) : 1f;
        boolean attnBias = c.boolOpt("attention_bias", false);
        return ModelConfig.builder(type).sizes(z)
                .norm(gemma() ? Norm.RMS_NORM_UNIT_OFFSET : Norm.RMS_NORM, eps)
                .wiring(variant == Variant.GEMMA2 ? Wiring.SANDWICH : Wiring.PRE_NORM).rope(rope).activation(act, true)
                .embedScale(embedScale).attnScale(scale).softcaps(attnCap, finalCap).slidingWindow(window).tiedHead(tied)
                .biases(variant == Variant.QWEN2 || attnBias, variant != Variant.QWEN2 && attnBias, c.boolOpt("mlp_bias", false))
                .build();
    }

    /** Per-layer sliding windows (0 = full attention). */
    private int[] slidingWindows(ConfigReader c, int layers) {
        int[] w = new int[layers];
        JsonNode types = c.get("layer_types");
        switch (variant) {
            case MISTRAL -> {
                int sw = c.intOpt("sliding_window", 0);
                java.util.Arrays.fill(w, Math.max(0, sw));
            }
            case QWEN2 -> {
                if (c.boolOpt("use_sliding_window", false)) {
                    int sw = c.intOpt("sliding_window", 0);
                    int from = c.intOpt("max_window_layers", 0);
                    for (int l = 0; l < layers; l++) if (l >= from) w[l] = Math.max(0, sw);
                }
            }
            case GEMMA2 -> {
                int sw = c.intOpt("sliding_window", 4096);
                for (int l = 0; l < layers; l++) if (l % 2 == 0) w[l] = sw; // even layers are local
            }
            default -> {
                if (c.has("sliding_window") && variant == Variant.LLAMA && c.intOpt("sliding_window", 0) > 0) {
                    throw c.unsupported("sliding_window", "llama has no sliding-window attention");
                }
            }
        }
        if (types != null) {
            // newer configs spell the per-layer pattern out; it overrides the defaults above
            if (!types.isArray() || types.size() != layers) throw c.error("'layer_types' must list " + layers + " entries");
            int sw = c.intOpt("sliding_window", 0);
            for (int l = 0; l < layers; l++) {
                String t = types.get(l).asText();
                if (t.equals("sliding_attention")) w[l] = sw;
                else if (t.equals("full_attention")) w[l] = 0;
                else throw c.unsupported("layer_types entry '" + t + "'", "supported: full_attention, sliding_attention");
            }
        }
        return w;
    }

    @Override
    public Layout layout(ModelConfig c) {
        int h = c.hidden(), d = c.headDim(), i = c.intermediate();
        boolean unit = c.norm() == Norm.RMS_NORM_UNIT_OFFSET;
        boolean qkvBias = c.qkvBias(), oBias = c.outBias(), mlpBias = c.mlpBias();
        Block[] blocks = new Block[c.layers()];
        for (int l = 0; l < c.layers(); l++) {
            String p = "model.layers." + l + ".";
            List<LinearSpec> qkv = new ArrayList<>();
            qkv.add(LinearSpec.linear(p + "self_attn.q_proj", h, c.heads() * d, qkvBias));
            qkv.add(LinearSpec.linear(p + "self_attn.k_proj", h, c.kvHeads() * d, qkvBias));
            qkv.add(LinearSpec.linear(p + "self_attn.v_proj", h, c.kvHeads() * d, qkvBias));
            NormSpec n1 = NormSpec.rms(p + "input_layernorm", h, unit);
            NormSpec n2, n1Post = null, n2Post = null;
            if (variant == Variant.GEMMA2) {
                n1Post = NormSpec.rms(p + "post_attention_layernorm", h, unit);
                n2 = NormSpec.rms(p + "pre_feedforward_layernorm", h, unit);
                n2Post = NormSpec.rms(p + "post_feedforward_layernorm", h, unit);
            } else {
                n2 = NormSpec.rms(p + "post_attention_layernorm", h, unit);
            }
            blocks[l] = new Block(n1, n2, n1Post, n2Post, qkv, QkvLayout.BLOCKED,
                    LinearSpec.linear(p + "self_attn.o_proj", c.heads() * d, h, oBias),
                    LinearSpec.linear(p + "mlp.up_proj", h, i, mlpBias),
                    LinearSpec.linear(p + "mlp.gate_proj", h, i, mlpBias),
                    LinearSpec.linear(p + "mlp.down_proj", i, h, mlpBias));
        }
        return new Layout(Tensor.of("model.embed_tokens.weight", Role.EMBEDDING, c.vocab(), h), null, null, null,
                blocks, NormSpec.rms("model.norm", h, unit),
                c.tiedHead() ? null : LinearSpec.linear("lm_head", h, c.vocab(), false), null);
    }

    @Override
    public ObjectNode initConfig(InitSpec s) {
        ObjectNode o = new ObjectMapper().createObjectNode();
        String type = modelTypes().get(0);
        o.putArray("architectures").add(switch (variant) {
            case LLAMA -> "LlamaForCausalLM";
            case MISTRAL -> "MistralForCausalLM";
            case QWEN2 -> "Qwen2ForCausalLM";
            case GEMMA -> "GemmaForCausalLM";
            case GEMMA2 -> "Gemma2ForCausalLM";
        });
        o.put("model_type", type);
        o.put("hidden_size", s.hidden());
        o.put("num_hidden_layers", s.layers());
        o.put("num_attention_heads", s.heads());
        o.put("num_key_value_heads", s.kvHeads() > 0 ? s.kvHeads() : s.heads());
        int headDim = s.headDim() > 0 ? s.headDim() : s.hidden() / s.heads();
        if (gemma() || s.headDim() > 0) o.put("head_dim", headDim);
        int inter = s.intermediate() > 0 ? s.intermediate()
                : gemma() ? 8 * s.hidden() : ((s.hidden() * 8 / 3 + 63) / 64) * 64;
        o.put("intermediate_size", inter);
        o.put("vocab_size", s.vocab());
        o.put("max_position_embeddings", s.maxPositions() > 0 ? s.maxPositions() : 2048);
        o.put("rms_norm_eps", 1e-6);
        o.put("rope_theta", 10000.0);
        o.putNull("rope_scaling");
        o.put("initializer_range", 0.02);
        o.put("attention_dropout", 0.0);
        o.put("attention_bias", false);
        if (gemma()) {
            o.put("hidden_act", "gelu_pytorch_tanh");
            o.put("hidden_activation", "gelu_pytorch_tanh");
            o.put("tie_word_embeddings", true);
        } else {
            o.put("hidden_act", "silu");
            o.put("tie_word_embeddings", false);
        }
        switch (variant) {
            case LLAMA -> o.put("mlp_bias", false);
            case MISTRAL -> o.putNull("sliding_window");
            case QWEN2 -> {
                o.put("use_sliding_window", false);
                o.put("sliding_window", 4096);
                o.put("max_window_layers", s.layers());
            }
            case GEMMA2 -> {
                o.put("query_pre_attn_scalar", headDim);
                o.put("attn_logit_softcapping", 50.0);
                o.put("final_logit_softcapping", 30.0);
                o.put("sliding_window", 4096);
            }
            default -> { }
        }
        o.put("bos_token_id", 1);
        o.put("eos_token_id", 2);
        return o;
    }
}
