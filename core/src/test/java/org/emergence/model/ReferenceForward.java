package org.emergence.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.FloatBuffer;
import org.emergence.model.io.Checkpoint;
import org.emergence.model.io.Weight;

/**
 * An independent, deliberately naive float64 reimplementation of the Hugging Face forward passes,
 * written from the reference equations per family: one token and one head at a time, weights read
 * by their literal Hugging Face names, config.json read directly (not through ModelConfig). It
 * shares no code with {@link Transformer} beyond reading tensors, so agreement between the two is
 * evidence for families that have no golden file. It is itself validated against the goldens.
 */
final class ReferenceForward {
    final double[][][] blockIn;  // [L][T][H]
    final double[][][] blockOut; // [L][T][H]
    final double[][] logits;     // [T][V]

    private final Checkpoint ck;
    private final JsonNode cfg;
    private final String type;

    private ReferenceForward(Checkpoint ck, int[] ids) {
        this.ck = ck;
        this.cfg = ck.config();
        this.type = cfg.get("model_type").asText();
        int layers = intOf("num_hidden_layers", "n_layer");
        this.blockIn = new double[layers][][];
        this.blockOut = new double[layers][][];
        this.logits = switch (type) {
            case "gpt2" -> gpt2(ids);
            case "gptj" -> gptj(ids);
            case "gpt_neox" -> neox(ids);
            default -> llamaLike(ids);
        };
    }

    static ReferenceForward run(Checkpoint ck, int[] ids) {
        return new ReferenceForward(ck, ids);
    }

    // ---------------------------------------------------------------- families

    private double[][] llamaLike(int[] ids) {
        boolean gemma = type.startsWith("gemma"), gemma2 = type.equals("gemma2");
        int h = intOf("hidden_size"), nH = intOf("num_attention_heads");
        int nKV = cfg.has("num_key_value_heads") ? cfg.get("num_key_value_heads").asInt() : nH;
        int d = cfg.has("head_dim") && !cfg.get("head_dim").isNull() ? cfg.get("head_dim").asInt() : h / nH;
        double eps = dbl("rms_norm_eps", 1e-6);
        int layers = intOf("num_hidden_layers");
        int t = ids.length;
        double[][] x = new double[t][];
        double[][] emb = mat("model.embed_tokens.weight");
        double normalizer = gemma ? (float) Math.sqrt(h) : 1.0;
        for (int i = 0; i < t; i++) x[i] = scale(emb[ids[i]], normalizer);
        boolean qwen = type.equals("qwen2");
        boolean attnBias = bool("attention_bias", false);
        String act = gemma ? (cfg.has("hidden_activation") ? cfg.get("hidden_activation").asText() : "gelu_pytorch_tanh")
                : str("hidden_act", "silu");
        double partial = dbl("partial_rotary_factor", 1.0);
        int rot = (int) (d * partial);
        double[] inv = invFreq(rot, dbl("rope_theta", 10000.0));
        double posScale = 1.0;
        JsonNode rs = cfg.get("rope_scaling");
        if (rs != null && !rs.isNull()) {
            String rt = rs.has("rope_type") ? rs.get("rope_type").asText() : rs.get("type").asText();
            double f = rs.get("factor").asDouble();
            if (rt.equals("linear")) posScale = f;
            else if (rt.equals("llama3")) inv = llama3(inv, f, rs.get("low_freq_factor").asDouble(),
                    rs.get("high_freq_factor").asDouble(), rs.get("original_max_position_embeddings").asDouble());
        }
        double scaleQ = gemma2 ? Math.pow(dbl("query_pre_attn_scalar", d), -0.5) : 1 / Math.sqrt(d);
        double softcap = gemma2 ? dbl("attn_logit_softcapping", 0) : 0;
        for (int l = 0; l < layers; l++) {
            String p = "model.layers." + l + ".";
            blockIn[l] = copy(x);
            int window = 0;
            if (type.equals("mistral") && cfg.has("sliding_window") && !cfg.get("sliding_window").isNull()) {
                window = cfg.get("sliding_window").asInt();
            }
            if (qwen && bool("use_sliding_window", false) && l >= cfg.get("max_window_layers").asInt()) {
                window = cfg.get("sliding_window").asInt();
            }
            if (gemma2 && l % 2 == 0) window = cfg.get("sliding_window").asInt();
            double[][] a = new double[t][];
            for (int i = 0; i < t; i++) a[i] = rms(x[i], vec(p + "input_layernorm.weight"), eps, gemma);
            double[][] q = linear(a, p + "self_attn.q_proj", qwen || attnBias);
            double[][] k = linear(a, p + "self_attn.k_proj", qwen || attnBias);
            double[][] v = linear(a, p + "self_attn.v_proj", qwen || attnBias);
            for (int i = 0; i < t; i++) {
                for (int hh = 0; hh < nH; hh++) rotateHalf(q[i], hh * d, rot, i / posScale, inv);
                for (int g = 0; g < nKV; g++) rotateHalf(k[i], g * d, rot, i / posScale, inv);
            }
            double[][] att = attention(q, k, v, nH, nKV, d, scaleQ, softcap, window, true);
            double[][] o = linear(att, p + "self_attn.o_proj", !qwen && attnBias);
            if (gemma2) {
                for (int i = 0; i < t; i++) o[i] = rms(o[i], vec(p + "post_attention_layernorm.weight"), eps, true);
            }
            for (int i = 0; i < t; i++) add(x[i], o[i]);
            String n2 = gemma2 ? "pre_feedforward_layernorm" : "post_attention_layernorm";
            double[][] b = new double[t][];
            for (int i = 0; i < t; i++) b[i] = rms(x[i], vec(p + n2 + ".weight"), eps, gemma);
            boolean mlpBias = bool("mlp_bias", false);
            double[][] gate = linear(b, p + "mlp.gate_proj", mlpBias), up = linear(b, p + "mlp.up_proj", mlpBias);
            for (int i = 0; i < t; i++) for (int j = 0; j < gate[i].length; j++) gate[i][j] = act(act, gate[i][j]) * up[i][j];
            double[][] m = linear(gate, p + "mlp.down_proj", mlpBias);
            if (gemma2) {
                for (int i = 0; i < t; i++) m[i] = rms(m[i], vec(p + "post_feedforward_layernorm.weight"), eps, true);
            }
            for (int i = 0; i < t; i++) add(x[i], m[i]);
            blockOut[l] = copy(x);
        }
        double[][] f = new double[t][];
        for (int i = 0; i < t; i++) f[i] = rms(x[i], vec("model.norm.weight"), eps, gemma);
        boolean tied = bool("tie_word_embeddings", gemma);
        double[][] lg = matmulT(f, tied ? emb : mat("lm_head.weight"));
        double cap = gemma2 ? dbl("final_logit_softcapping", 0) : 0;
        if (cap > 0) for (double[] row : lg) for (int j = 0; j < row.length; j++) row[j] = cap * Math.tanh(row[j] / cap);
        return lg;
    }

    private double[][] neox(int[] ids) {
        int h = intOf("hidden_size"), nH = intOf("num_attention_heads"), d = h / nH, t = ids.length;
        double eps = dbl("layer_norm_eps", 1e-5);
        int rot = (int) (d * dbl("rotary_pct", 0.25));
        double[] inv = invFreq(rot, dbl("rotary_emb_base", 10000));
        boolean parallel = bool("use_parallel_residual", true);
        String act = str("hidden_act", "gelu");
        double[][] emb = mat("gpt_neox.embed_in.weight");
        double[][] x = new double[t][];
        for (int i = 0; i < t; i++) x[i] = emb[ids[i]].clone();
        for (int l = 0; l < intOf("num_hidden_layers"); l++) {
            String p = "gpt_neox.layers." + l + ".";
            blockIn[l] = copy(x);
            double[][] a = layerNorm(x, p + "input_layernorm", eps);
            double[][] qkv = linear(a, p + "attention.query_key_value", true);
            double[][] q = new double[t][h], k = new double[t][h], v = new double[t][h];
            for (int i = 0; i < t; i++) {
                for (int hh = 0; hh < nH; hh++) {
                    for (int e = 0; e < d; e++) {
                        q[i][hh * d + e] = qkv[i][hh * 3 * d + e];
                        k[i][hh * d + e] = qkv[i][hh * 3 * d + d + e];
                        v[i][hh * d + e] = qkv[i][hh * 3 * d + 2 * d + e];
                    }
                    rotateHalf(q[i], hh * d, rot, i, inv);
                    rotateHalf(k[i], hh * d, rot, i, inv);
                }
            }
            double[][] o = linear(attention(q, k, v, nH, nH, d, 1 / Math.sqrt(d), 0, 0, true), p + "attention.dense", true);
            if (parallel) {
                double[][] m = mlp2(layerNorm(x, p + "post_attention_layernorm", eps), p + "mlp.dense_h_to_4h", p + "mlp.dense_4h_to_h", act);
                for (int i = 0; i < t; i++) {
                    add(x[i], o[i]);
                    add(x[i], m[i]);
                }
            } else {
                for (int i = 0; i < t; i++) add(x[i], o[i]);
                double[][] m = mlp2(layerNorm(x, p + "post_attention_layernorm", eps), p + "mlp.dense_h_to_4h", p + "mlp.dense_4h_to_h", act);
                for (int i = 0; i < t; i++) add(x[i], m[i]);
            }
            blockOut[l] = copy(x);
        }
        return matmulT(layerNorm(x, "gpt_neox.final_layer_norm", eps),
                bool("tie_word_embeddings", false) ? emb : mat("embed_out.weight"));
    }

    private double[][] gptj(int[] ids) {
        int h = intOf("n_embd"), nH = intOf("n_head"), d = h / nH, t = ids.length;
        double eps = dbl("layer_norm_epsilon", 1e-5);
        int rot = cfg.has("rotary_dim") && !cfg.get("rotary_dim").isNull() ? cfg.get("rotary_dim").asInt() : d;
        double[] inv = invFreq(rot, 10000);
        String act = str("activation_function", "gelu_new");
        double[][] emb = mat("transformer.wte.weight");
        double[][] x = new double[t][];
        for (int i = 0; i < t; i++) x[i] = emb[ids[i]].clone();
        for (int l = 0; l < intOf("n_layer"); l++) {
            String p = "transformer.h." + l + ".";
            blockIn[l] = copy(x);
            double[][] a = layerNorm(x, p + "ln_1", eps);
            double[][] q = linear(a, p + "attn.q_proj", false), k = linear(a, p + "attn.k_proj", false);
            double[][] v = linear(a, p + "attn.v_proj", false);
            for (int i = 0; i < t; i++) {
                for (int hh = 0; hh < nH; hh++) {
                    rotateEveryTwo(q[i], hh * d, rot, i, inv);
                    rotateEveryTwo(k[i], hh * d, rot, i, inv);
                }
            }
            double[][] o = linear(attention(q, k, v, nH, nH, d, 1 / Math.sqrt(d), 0, 0, true), p + "attn.out_proj", false);
            double[][] m = mlp2(a, p + "mlp.fc_in", p + "mlp.fc_out", act);
            for (int i = 0; i < t; i++) {
                add(x[i], o[i]);
                add(x[i], m[i]);
            }
            blockOut[l] = copy(x);
        }
        double[][] lg = matmulT(layerNorm(x, "transformer.ln_f", eps), mat("lm_head.weight"));
        double[] lb = vec("lm_head.bias");
        for (double[] row : lg) add(row, lb);
        return lg;
    }

    private double[][] gpt2(int[] ids) {
        int h = intOf("n_embd"), nH = intOf("n_head"), d = h / nH, t = ids.length;
        double eps = dbl("layer_norm_epsilon", 1e-5);
        double[][] wte = mat("transformer.wte.weight"), wpe = mat("transformer.wpe.weight");
        double[][] x = new double[t][];
        for (int i = 0; i < t; i++) {
            x[i] = wte[ids[i]].clone();
            add(x[i], wpe[i]);
        }
        for (int l = 0; l < intOf("n_layer"); l++) {
            String p = "transformer.h." + l + ".";
            blockIn[l] = copy(x);
            double[][] qkv = conv1d(layerNorm(x, p + "ln_1", eps), p + "attn.c_attn");
            double[][] q = new double[t][], k = new double[t][], v = new double[t][];
            for (int i = 0; i < t; i++) {
                q[i] = java.util.Arrays.copyOfRange(qkv[i], 0, h);
                k[i] = java.util.Arrays.copyOfRange(qkv[i], h, 2 * h);
                v[i] = java.util.Arrays.copyOfRange(qkv[i], 2 * h, 3 * h);
            }
            double[][] o = conv1d(attention(q, k, v, nH, nH, d, 1 / Math.sqrt(d), 0, 0, true), p + "attn.c_proj");
            for (int i = 0; i < t; i++) add(x[i], o[i]);
            double[][] m = conv1d(layerNorm(x, p + "ln_2", eps), p + "mlp.c_fc");
            for (double[] row : m) for (int j = 0; j < row.length; j++) row[j] = act("gelu_new", row[j]);
            m = conv1d(m, p + "mlp.c_proj");
            for (int i = 0; i < t; i++) add(x[i], m[i]);
            blockOut[l] = copy(x);
        }
        return matmulT(layerNorm(x, "transformer.ln_f", eps), wte);
    }

    // ---------------------------------------------------------------- pieces

    /** Causal (or not) multi-head attention with grouped kv heads, one query at a time. */
    static double[][] attention(double[][] q, double[][] k, double[][] v, int nH, int nKV, int d, double scale,
                                double softcap, int window, boolean causal) {
        int t = q.length;
        double[][] out = new double[t][nH * d];
        for (int hh = 0; hh < nH; hh++) {
            int g = hh / (nH / nKV);
            for (int i = 0; i < t; i++) {
                double[] s = new double[t];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < t; j++) {
                    boolean visible = (!causal || j <= i) && (window <= 0 || i - j < window);
                    if (!visible) {
                        s[j] = Double.NEGATIVE_INFINITY;
                        continue;
                    }
                    double dot = 0;
                    for (int e = 0; e < d; e++) dot += q[i][hh * d + e] * k[j][g * d + e];
                    dot *= scale;
                    if (softcap > 0) dot = softcap * Math.tanh(dot / softcap);
                    s[j] = dot;
                    max = Math.max(max, dot);
                }
                double sum = 0;
                for (int j = 0; j < t; j++) {
                    s[j] = s[j] == Double.NEGATIVE_INFINITY ? 0 : Math.exp(s[j] - max);
                    sum += s[j];
                }
                for (int j = 0; j < t; j++) {
                    for (int e = 0; e < d; e++) out[i][hh * d + e] += s[j] / sum * v[j][g * d + e];
                }
            }
        }
        return out;
    }

    static double[] invFreq(int dims, double theta) {
        double[] f = new double[dims / 2];
        for (int i = 0; i < f.length; i++) f[i] = 1.0 / Math.pow(theta, 2.0 * i / dims);
        return f;
    }

    static double[] llama3(double[] inv, double factor, double low, double high, double old) {
        double[] out = new double[inv.length];
        for (int i = 0; i < inv.length; i++) {
            double wavelen = 2 * Math.PI / inv[i];
            if (wavelen < old / high) out[i] = inv[i];
            else if (wavelen > old / low) out[i] = inv[i] / factor;
            else {
                double smooth = (old / wavelen - low) / (high - low);
                out[i] = (1 - smooth) * inv[i] / factor + smooth * inv[i];
            }
        }
        return out;
    }

    /** Llama/NeoX convention: feature i pairs with i + rot/2. */
    static void rotateHalf(double[] x, int off, int rot, double pos, double[] inv) {
        int half = rot / 2;
        for (int i = 0; i < half; i++) {
            double c = Math.cos(pos * inv[i]), s = Math.sin(pos * inv[i]);
            double a = x[off + i], b = x[off + i + half];
            x[off + i] = a * c - b * s;
            x[off + i + half] = b * c + a * s;
        }
    }

    /** GPT-J convention: features 2i and 2i+1 pair. */
    static void rotateEveryTwo(double[] x, int off, int rot, double pos, double[] inv) {
        for (int i = 0; i < rot / 2; i++) {
            double c = Math.cos(pos * inv[i]), s = Math.sin(pos * inv[i]);
            double a = x[off + 2 * i], b = x[off + 2 * i + 1];
            x[off + 2 * i] = a * c - b * s;
            x[off + 2 * i + 1] = b * c + a * s;
        }
    }

    static double act(String name, double x) {
        return switch (name) {
            case "silu", "swish" -> x / (1 + Math.exp(-x));
            case "gelu" -> 0.5 * x * (1 + erf(x / Math.sqrt(2)));
            case "gelu_new", "gelu_pytorch_tanh" -> 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
            case "relu" -> Math.max(0, x);
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** erf by its Maclaurin series / continued fraction, to ~1e-13 (test-only, so speed does not matter). */
    static double erf(double x) {
        double ax = Math.abs(x);
        double r;
        if (ax < 3) {
            double term = ax, sum = ax;
            for (int n = 1; n < 200; n++) {
                term *= -ax * ax / n;
                sum += term / (2 * n + 1);
                if (Math.abs(term) < 1e-17) break;
            }
            r = 2 / Math.sqrt(Math.PI) * sum;
        } else {
            // erfc continued fraction (Lentz), converges fast for x ≥ 3
            double f = ax, c = ax, dd = 0;
            for (int n = 1; n < 100; n++) {
                double an = n / 2.0;
                dd = ax + an * dd;
                dd = 1 / dd;
                c = ax + an / c;
                f *= c * dd;
            }
            r = 1 - Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f;
        }
        return x < 0 ? -r : r;
    }

    private double[] rms(double[] x, double[] w, double eps, boolean unitOffset) {
        double ss = 0;
        for (double v : x) ss += v * v;
        double inv = 1 / Math.sqrt(ss / x.length + eps);
        double[] y = new double[x.length];
        for (int j = 0; j < x.length; j++) y[j] = x[j] * inv * (unitOffset ? 1 + w[j] : w[j]);
        return y;
    }

    private double[][] layerNorm(double[][] x, String prefix, double eps) {
        double[] w = vec(prefix + ".weight"), b = vec(prefix + ".bias");
        double[][] y = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            double mean = 0, var = 0;
            for (double v : x[i]) mean += v;
            mean /= x[i].length;
            for (double v : x[i]) var += (v - mean) * (v - mean);
            var /= x[i].length;
            y[i] = new double[x[i].length];
            for (int j = 0; j < x[i].length; j++) y[i][j] = (x[i][j] - mean) / Math.sqrt(var + eps) * w[j] + b[j];
        }
        return y;
    }

    private double[][] mlp2(double[][] x, String in, String out, String act) {
        double[][] u = linear(x, in, true);
        for (double[] row : u) for (int j = 0; j < row.length; j++) row[j] = act(act, row[j]);
        return linear(u, out, true);
    }

    /** PyTorch Linear: y = W x + b with W stored [out, in]. */
    private double[][] linear(double[][] x, String prefix, boolean bias) {
        double[][] y = matmulT(x, mat(prefix + ".weight"));
        if (bias) {
            double[] b = vec(prefix + ".bias");
            for (double[] row : y) add(row, b);
        }
        return y;
    }

    /** GPT-2 Conv1D: y = x W + b with W stored [in, out]. */
    private double[][] conv1d(double[][] x, String prefix) {
        double[][] w = mat(prefix + ".weight");
        double[] b = vec(prefix + ".bias");
        double[][] y = new double[x.length][w[0].length];
        for (int i = 0; i < x.length; i++) {
            for (int p = 0; p < w.length; p++) for (int j = 0; j < w[0].length; j++) y[i][j] += x[i][p] * w[p][j];
            add(y[i], b);
        }
        return y;
    }

    static double[][] matmulT(double[][] x, double[][] w) {
        double[][] y = new double[x.length][w.length];
        for (int i = 0; i < x.length; i++) {
            for (int o = 0; o < w.length; o++) {
                double s = 0;
                for (int j = 0; j < x[i].length; j++) s += x[i][j] * w[o][j];
                y[i][o] = s;
            }
        }
        return y;
    }

    private double[][] mat(String name) {
        Weight w = ck.get(name);
        int rows = (int) w.rows(), cols = (int) w.cols();
        FloatBuffer f = w.f32();
        double[][] m = new double[rows][cols];
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) m[i][j] = f.get(i * cols + j);
        return m;
    }

    private double[] vec(String name) {
        Weight w = ck.get(name);
        FloatBuffer f = w.f32();
        double[] v = new double[(int) w.numel()];
        for (int i = 0; i < v.length; i++) v[i] = f.get(i);
        return v;
    }

    private static void add(double[] a, double[] b) {
        for (int i = 0; i < a.length; i++) a[i] += b[i];
    }

    private static double[] scale(double[] a, double s) {
        double[] r = a.clone();
        for (int i = 0; i < r.length; i++) r[i] *= s;
        return r;
    }

    private static double[][] copy(double[][] x) {
        double[][] c = new double[x.length][];
        for (int i = 0; i < x.length; i++) c[i] = x[i].clone();
        return c;
    }

    private int intOf(String... keys) {
        for (String k : keys) if (cfg.has(k) && !cfg.get(k).isNull()) return cfg.get(k).asInt();
        throw new IllegalArgumentException("config lacks " + keys[0]);
    }

    private double dbl(String key, double def) {
        return cfg.has(key) && !cfg.get(key).isNull() ? cfg.get(key).asDouble() : def;
    }

    private boolean bool(String key, boolean def) {
        return cfg.has(key) && !cfg.get(key).isNull() ? cfg.get(key).asBoolean() : def;
    }

    private String str(String key, String def) {
        return cfg.has(key) && !cfg.get(key).isNull() ? cfg.get(key).asText() : def;
    }
}
