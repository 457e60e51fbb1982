package org.emergence.model.family;

import com.fasterxml.jackson.databind.JsonNode;
import org.emergence.model.ConfigReader;
import org.emergence.model.Rope;

/** Reads rotary settings (θ and rope_scaling) shared by the rotary families, refusing unknown scalings. */
final class RopeConfig {
    private RopeConfig() {}

    static final String SUPPORTED = "default, linear, dynamic (within max_position_embeddings), llama3";

    /**
     * @param dims        rotary features per head (even)
     * @param interleaved GPT-J's pairing (2i, 2i+1) instead of rotate-half (i, i + dims/2)
     */
    static Rope parse(ConfigReader c, int dims, double theta, boolean interleaved) {
        if (dims < 2 || dims % 2 != 0) throw c.error("rotary dimension " + dims + " must be even and at least 2");
        float[] inv = Rope.standardInvFreq(dims, theta);
        String conv = interleaved ? "interleaved" : "rotate-half";
        JsonNode rs = c.get("rope_scaling");
        if (rs == null) return new Rope(dims, interleaved, inv, 1f, conv + " θ=" + theta + " dims=" + dims);
        if (!rs.isObject()) throw c.error("'rope_scaling' must be an object or null, found " + rs);
        JsonNode t = rs.has("rope_type") ? rs.get("rope_type") : rs.get("type");
        String type = t == null ? "default" : t.asText();
        double factor = rs.has("factor") ? rs.get("factor").asDouble() : 1.0;
        // as Hugging Face validates it: a scaling factor is a finite number >= 1 (1e-300 multiplied positions by 1e300)
        if (rs.has("factor") && (!rs.get("factor").isNumber() || !(factor >= 1) || !Double.isFinite(factor))) {
            throw c.error("rope_scaling.factor must be a number >= 1, found " + rs.get("factor"));
        }
        switch (type) {
            case "default":
                return new Rope(dims, interleaved, inv, 1f, conv + " θ=" + theta + " dims=" + dims);
            case "linear":
                if (!(factor > 0)) throw c.error("rope_scaling.factor must be > 0, found " + rs.get("factor"));
                // the reference divides positions by the factor before the angle product
                return new Rope(dims, interleaved, inv, (float) factor, conv + " θ=" + theta + " dims=" + dims
                        + " linear×" + factor);
            case "dynamic":
                // dynamic NTK changes θ only for sequences longer than max_position_embeddings, which are refused
                return new Rope(dims, interleaved, inv, 1f, conv + " θ=" + theta + " dims=" + dims + " dynamic (inactive)");
            case "llama3":
                return new Rope(dims, interleaved, llama3(c, rs, inv, factor), 1f,
                        conv + " θ=" + theta + " dims=" + dims + " llama3×" + factor);
            default:
                throw c.unsupported("rope_scaling type '" + type + "'", "supported: " + SUPPORTED);
        }
    }

    /** Refuses a rope_scaling whose type the family's reference does not know (before {@link #parse}). */
    static void requireType(ConfigReader c, String family, String... allowed) {
        JsonNode rs = c.get("rope_scaling");
        if (rs == null) return;
        JsonNode t = rs.isObject() ? (rs.has("rope_type") ? rs.get("rope_type") : rs.get("type")) : null;
        String type = t == null ? String.valueOf(rs) : t.asText();
        if (!java.util.Arrays.asList(allowed).contains(type)) {
            throw c.unsupported("rope_scaling type '" + type + "'", family + " supports " + String.join(", ", allowed));
        }
    }

    /** Llama 3.1 frequency-dependent scaling, in fp32 as the reference computes it. */
    private static float[] llama3(ConfigReader c, JsonNode rs, float[] inv, double factorD) {
        for (String k : new String[] {"factor", "low_freq_factor", "high_freq_factor", "original_max_position_embeddings"}) {
            if (!rs.has(k)) throw c.error("rope_scaling of type llama3 needs '" + k + "'");
        }
        float factor = (float) factorD;
        float low = (float) rs.get("low_freq_factor").asDouble();
        float high = (float) rs.get("high_freq_factor").asDouble();
        float old = (float) rs.get("original_max_position_embeddings").asDouble();
        if (!(high > low)) throw c.error("rope_scaling: high_freq_factor must exceed low_freq_factor");
        float lowWavelen = old / low, highWavelen = old / high;
        float[] out = new float[inv.length];
        for (int i = 0; i < inv.length; i++) {
            float wavelen = (float) (2 * Math.PI) / inv[i];
            float scaled = wavelen > lowWavelen ? inv[i] / factor : inv[i];
            boolean medium = !(wavelen < highWavelen) && !(wavelen > lowWavelen);
            if (medium) {
                float smooth = (old / wavelen - low) / (high - low);
                out[i] = (1 - smooth) * scaled / factor + smooth * scaled;
            } else {
                out[i] = scaled;
            }
        }
        return out;
    }
}
