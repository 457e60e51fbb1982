package org.emergence.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.emergence.common.UserError;

/** Typed access to config.json with one-line errors that name the file and key. */
public final class ConfigReader {
    private final JsonNode node;
    private final String where;

    public ConfigReader(JsonNode node, Path dir) {
        this.node = node;
        this.where = (dir == null ? "config.json" : dir.resolve("config.json").toString());
    }

    public JsonNode node() {
        return node;
    }

    public String where() {
        return where;
    }

    public boolean has(String key) {
        JsonNode v = node.get(key);
        return v != null && !v.isNull();
    }

    public JsonNode get(String key) {
        JsonNode v = node.get(key);
        return v == null || v.isNull() ? null : v;
    }

    public int intReq(String key) {
        JsonNode v = get(key);
        if (v == null) throw error("missing required key '" + key + "'");
        return toInt(key, v);
    }

    public int intOpt(String key, int def) {
        JsonNode v = get(key);
        return v == null ? def : toInt(key, v);
    }

    /** First present key among alternatives (configs rename keys across versions). */
    public int intAny(int def, String... keys) {
        for (String k : keys) if (has(k)) return toInt(k, get(k));
        return def;
    }

    public int intAnyReq(String... keys) {
        for (String k : keys) if (has(k)) return toInt(k, get(k));
        throw error("missing required key '" + keys[0] + "'");
    }

    public double doubleOpt(String key, double def) {
        JsonNode v = get(key);
        if (v == null) return def;
        if (!v.isNumber()) throw error("'" + key + "' must be a number, found " + v);
        return checkRange(key, v.asDouble(), v);
    }

    public double doubleAny(double def, String... keys) {
        for (String k : keys) if (has(k)) return doubleOpt(k, def);
        return def;
    }

    public boolean boolOpt(String key, boolean def) {
        JsonNode v = get(key);
        if (v == null) return def;
        if (!v.isBoolean()) throw error("'" + key + "' must be true or false, found " + v);
        return v.asBoolean();
    }

    public String stringOpt(String key, String def) {
        JsonNode v = get(key);
        if (v == null) return def;
        if (!v.isTextual()) throw error("'" + key + "' must be a string, found " + v);
        return v.asText();
    }

    public String stringAny(String def, String... keys) {
        for (String k : keys) if (has(k)) return stringOpt(k, def);
        return def;
    }

    private int toInt(String key, JsonNode v) {
        if (!v.isIntegralNumber() || !v.canConvertToInt()) throw error("'" + key + "' must be an integer, found " + v);
        int x = v.asInt();
        // a layer count no checkpoint has would only end in an out-of-memory error far from the cause
        if (LAYER_KEYS.contains(key) && (x < 0 || x > MAX_LAYERS)) throw error("'" + key + "' = " + x + " is not a layer count (0 to " + MAX_LAYERS + ")");
        return x;
    }

    static final java.util.Set<String> LAYER_KEYS = java.util.Set.of("n_layer", "num_hidden_layers", "num_layers", "n_layers");
    static final int MAX_LAYERS = 4096;

    /**
     * The range a numeric config value must lie in, by key: norm epsilons finite, ≥ 0 and small; rotary
     * bases > 0; rotary fractions in (0, 1]. Out-of-range values used to run (a fraction of 2 rotated 16
     * dimensions of 8-wide heads; an epsilon of 1e400 read as infinity) or end in NaN blamed on the model.
     */
    private double checkRange(String key, double x, JsonNode raw) {
        String k = key.toLowerCase(java.util.Locale.ROOT);
        if (!Double.isFinite(x)) throw error("'" + key + "' must be a finite number, found " + raw);
        if ((k.contains("eps") || k.contains("epsilon")) && !(x >= 0 && x < 1)) {
            throw error("'" + key + "' = " + raw + " is not a norm epsilon (0 <= eps < 1)");
        }
        if ((k.contains("theta") || k.equals("rotary_emb_base") || k.equals("rope_base")) && !(x > 0)) {
            throw error("'" + key + "' = " + raw + " must be > 0 (the rotary base)");
        }
        if ((k.equals("partial_rotary_factor") || k.equals("rotary_pct")) && !(x > 0 && x <= 1)) {
            throw error("'" + key + "' = " + raw + " must be in (0, 1] (the fraction of each head that rotates)");
        }
        return x;
    }

    /** Refuses a config option this implementation does not compute, naming it. */
    public UserError unsupported(String option, String detail) {
        return error("unsupported option " + option + (detail == null ? "" : " (" + detail + ")"));
    }

    public UserError error(String what) {
        return new UserError(where + ": " + what);
    }

    /** Requires 1 ≤ value; names the key otherwise. */
    public int positive(String key, int value) {
        if (value < 1) throw error("'" + key + "' must be at least 1, found " + value);
        return value;
    }

    /** The sizes of a Llama-style decoder's config.json, checked: one reading for every family that uses these keys. */
    public record DecoderSizes(int layers, int hidden, int heads, int kvHeads, int headDim, int intermediate, int vocab, int positions) {}

    /**
     * hidden_size, num_hidden_layers, num_attention_heads, num_key_value_heads (default: the heads),
     * intermediate_size, vocab_size, max_position_embeddings; the head width is hidden / heads, or
     * {@code head_dim} when the family allows one ({@code headDimKey}).
     */
    public DecoderSizes decoderSizes(boolean headDimKey) {
        int hidden = positive("hidden_size", intReq("hidden_size"));
        int layers = positive("num_hidden_layers", intReq("num_hidden_layers"));
        int heads = positive("num_attention_heads", intReq("num_attention_heads"));
        int kv = positive("num_key_value_heads", intOpt("num_key_value_heads", heads));
        if (heads % kv != 0) throw error("num_attention_heads " + heads + " is not a multiple of num_key_value_heads " + kv);
        int d;
        if (headDimKey && has("head_dim")) d = positive("head_dim", intReq("head_dim"));
        else if (hidden % heads == 0) d = hidden / heads;
        else throw error("hidden_size " + hidden + " is not divisible by num_attention_heads " + heads + (headDimKey ? " and no head_dim" : ""));
        int inter = positive("intermediate_size", intReq("intermediate_size"));
        int vocab = positive("vocab_size", intReq("vocab_size"));
        int positions = positive("max_position_embeddings", intReq("max_position_embeddings"));
        return new DecoderSizes(layers, hidden, heads, kv, d, inter, vocab, positions);
    }

    /** The activation named by {@code key} (or {@code def} when absent), refused by name when not implemented. */
    public Activation activation(String key, String def) {
        String name = stringOpt(key, def);
        Activation act = Activation.fromHf(name);
        if (act == null) throw unsupported(key + "=" + name, "supported: " + Activation.SUPPORTED);
        return act;
    }
}
