package org.emergence.ie;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;

/**
 * Everything that determines a run's numbers. A run directory remembers them (settings.json) and
 * refuses to continue under different ones, naming the first setting that differs. Threads, batch
 * size and progress output do not change results and are not part of it.
 *
 * @param specialTokens icl/text sequences wrapped in the tokenizer's special tokens
 * @param layers        blocks to measure, ascending
 * @param ablation      model transform applied before the run ("none", "untrained:SEED", …)
 * @param measurement   estimator, noise, micro level, pairing, positions and resampling
 * @param source        where the model's files came from: repo_id, revision and commit for a Hugging Face cache
 *                      entry, and the SHA-256 of every weight file of a model directory (empty for built-ins)
 * @param precision     the forward pass's arithmetic, "fp32" or "bf16" (org.emergence.model.Precision); a directory
 *                      written before the setting existed is fp32
 */
public record RunSettings(String model, String modelType, String dataset, boolean specialTokens, int n, int t, int[] layers,
                          long seed, String ablation, Measurement measurement, java.util.Map<String, Object> source, String version,
                          String precision)
        implements java.io.Serializable {

    /** Settings of an fp32 run. */
    public RunSettings(String model, String modelType, String dataset, boolean specialTokens, int n, int t, int[] layers,
                       long seed, String ablation, Measurement measurement, java.util.Map<String, Object> source, String version) {
        this(model, modelType, dataset, specialTokens, n, t, layers, seed, ablation, measurement, source, version, "fp32");
    }

    /** What a stored settings.json without the precision key (older runs) means. */
    static final String DEFAULT_PRECISION = "fp32";

    public boolean noisy() {
        return measurement.noisy();
    }

    public ObjectNode toJson() {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("model", model);
        o.put("model_type", modelType);
        o.put("dataset", dataset);
        o.put("special_tokens", specialTokens);
        o.put("n", n);
        o.put("t", t);
        ArrayNode ls = o.putArray("layers");
        for (int l : layers) ls.add(l);
        o.put("seed", seed);
        o.put("ablation", ablation);
        measurement.put(o);
        o.put("precision", precision);
        if (source != null && !source.isEmpty()) o.set("model_source", new ObjectMapper().valueToTree(source));
        o.put("version", version);
        return o;
    }

    /** JSON equality where 0 (int) and 0 (long), or 1.0 and 1, are the same number. */
    private static boolean same(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) return a.decimalValue().compareTo(b.decimalValue()) == 0;
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) return false;
            for (int i = 0; i < a.size(); i++) if (!same(a.get(i), b.get(i))) return false;
            return true;
        }
        return a.equals(b);
    }

    /** "the model's config.json (sha256 … now, … then)" when one fingerprinted file differs, else null. */
    private static String changedFile(JsonNode mine, JsonNode stored) {
        JsonNode a = mine.path("sha256"), b = stored.path("sha256");
        if (!a.isObject() || !b.isObject()) return null;
        java.util.TreeSet<String> names = new java.util.TreeSet<>();
        a.fieldNames().forEachRemaining(names::add);
        b.fieldNames().forEachRemaining(names::add);
        for (String n : names) {
            String x = a.path(n).asText(null), y = b.path(n).asText(null);
            if (java.util.Objects.equals(x, y)) continue;
            return "the model's " + n + " (" + (x == null ? "absent now" : "sha256 " + x.substring(0, Math.min(12, x.length())) + "… now")
                    + ", " + (y == null ? "absent" : "sha256 " + y.substring(0, Math.min(12, y.length())) + "…")
                    + " when the run started: the model changed in between)";
        }
        return null;
    }

    /** The first setting whose value differs from a stored settings.json, or null when they agree. */
    public String firstDifference(JsonNode stored) {
        ObjectNode mine = toJson();
        Iterator<Map.Entry<String, JsonNode>> it = mine.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode other = stored.get(e.getKey());
            if (other == null && e.getKey().equals("precision")) other = new ObjectMapper().getNodeFactory().textNode(DEFAULT_PRECISION);
            if (e.getKey().equals("version")) continue; // a newer tool may continue an older run's identical settings
            if (other == null || !same(other, e.getValue())) {
                String file = e.getKey().equals("model_source") && other != null ? changedFile(e.getValue(), other) : null;
                if (file != null) return file;
                return e.getKey() + " (this run: " + e.getValue() + ", directory: " + (other == null ? "unset" : other) + ")";
            }
        }
        // a setting only the directory has (e.g. the reference noise scale of --noise-reference) differs too
        Iterator<String> names = stored.fieldNames();
        while (names.hasNext()) {
            String k = names.next();
            if (!k.equals("version") && !mine.has(k)) return k + " (this run: unset, directory: " + stored.get(k) + ")";
        }
        return null;
    }

    /** runs/&lt;model&gt;-&lt;dataset&gt;-&lt;hash of the settings&gt;: where a run with these settings goes by default. */
    public Path defaultDir() {
        RunSettings s = this;
        ObjectNode j = s.toJson().without("version");
        // fp32 runs keep the directory names they had before the precision setting existed
        if (s.precision().equals(RunSettings.DEFAULT_PRECISION)) j.remove("precision");
        String key = j.toString();
        String hash;
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            hash = HexFormat.of().formatHex(d).substring(0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        String name = (Path.of(s.model()).getFileName() + "-" + s.dataset()).replaceAll("[^A-Za-z0-9_.=-]+", "_");
        if (name.length() > 60) name = name.substring(0, 60);
        return Path.of("runs", name + "-" + hash);
    }
}
