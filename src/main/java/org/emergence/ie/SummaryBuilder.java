package org.emergence.ie;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.emergence.common.AtomicFiles;
import org.emergence.data.Dataset;
import org.emergence.mi.Diagnostics;
import org.emergence.model.ModelConfig;

/**
 * Assembles E(l, t), E(l), IE(t) and IE with intervals from the per-(layer, position) estimates and
 * writes summary.json and results.csv.
 *
 * <p>Every reported quantity is a linear combination Σ a_k·MI_k of estimates, so its interval
 * combines the estimates' own intervals in quadrature: the lower half-width is
 * √(Σ (a_k·low_k)²), taking for each term the side of its interval that lowers the sum. This assumes
 * the estimates' errors are independent (an approximation — macro and micro estimates come from
 * different samples, different positions of one layer share sequences); summary.json says so.
 */
final class SummaryBuilder {
    private final RunSettings s;
    private final ModelConfig cfg;
    private final Dataset data;
    private final String modelName;
    private final MiPolicy policy;
    private final boolean random;
    private final int t;
    private final int[] layers;
    private final String created = Instant.now().toString();
    /** level → layer → position → estimate JSON. */
    private final Map<Level, Map<Integer, Map<Integer, JsonNode>>> est = new LinkedHashMap<>();
    private double captureSecs = Double.NaN, estimateSecs = Double.NaN, totalSecs = Double.NaN;

    SummaryBuilder(RunSettings s, ModelConfig cfg, Dataset data, String modelName, MiPolicy policy, boolean random) {
        this.s = s;
        this.cfg = cfg;
        this.data = data;
        this.modelName = modelName;
        this.policy = policy;
        this.random = random;
        this.t = data.t();
        this.layers = s.layers();
        for (Level l : Level.values()) est.put(l, new TreeMap<>());
    }

    void load(Map<String, JsonNode> done) {
        for (JsonNode j : done.values()) put(j);
    }

    void put(JsonNode j) {
        Level level = Level.valueOf(j.get("level").asText().toUpperCase(Locale.ROOT));
        est.get(level).computeIfAbsent(j.get("layer").asInt(), k -> new TreeMap<>()).put(j.get("position").asInt(), j);
    }

    void timing(double capture, double estimate, double total) {
        captureSecs = capture;
        estimateSecs = estimate;
        totalSecs = total;
    }

    private JsonNode get(Level level, int layer, int pos) {
        Map<Integer, JsonNode> m = est.get(level).get(layer);
        return m == null ? null : m.get(pos);
    }

    // ------------------------------------------------------------------ linear combinations

    /** Σ a_k·MI_k over estimates, with the quadrature interval (null when a term is missing). */
    private static final class Combo {
        double value, lowSq, highSq;
        boolean missing;

        Combo add(JsonNode e, double a) {
            if (e == null) {
                missing = true;
                return this;
            }
            double v = e.get("mi_bits").asDouble(), lo = v - e.get("ci_low_bits").asDouble(), hi = e.get("ci_high_bits").asDouble() - v;
            value += a * v;
            double down = a >= 0 ? a * lo : -a * hi, up = a >= 0 ? a * hi : -a * lo;
            lowSq += down * down;
            highSq += up * up;
            return this;
        }

        Combo add(Combo c, double a) {
            if (c.missing) {
                missing = true;
                return this;
            }
            value += a * c.value;
            // a combination of combinations keeps the independence assumption: scale the variances
            lowSq += a * a * (a >= 0 ? c.lowSq : c.highSq);
            highSq += a * a * (a >= 0 ? c.highSq : c.lowSq);
            return this;
        }

        ObjectNode json(ObjectNode o) {
            if (missing) {
                o.putNull("bits");
                o.putNull("ci_low");
                o.putNull("ci_high");
            } else {
                o.put("bits", value);
                o.put("ci_low", value - Math.sqrt(lowSq));
                o.put("ci_high", value + Math.sqrt(highSq));
            }
            return o;
        }
    }

    /** Micro positions averaged into E(l, t): i ≤ t for causal models, all positions for encoders. */
    private Combo microMean(Level microLevel, int l, int pos) {
        int upTo = cfg.causal() ? pos : t - 1;
        Combo c = new Combo();
        for (int i = 0; i <= upTo; i++) c.add(get(microLevel, l, i), 1.0 / (upTo + 1));
        return c;
    }

    private Combo e(Level microLevel, int l, int pos) {
        return new Combo().add(get(Level.MACRO, l, pos), 1).add(microMean(microLevel, l, pos), -1);
    }

    /** E(l): E(l, T−1) for causal models, the mean over t for encoders. */
    private Combo eLayer(Level microLevel, int l) {
        if (cfg.causal()) return e(microLevel, l, t - 1);
        Combo c = new Combo();
        for (int p = 0; p < t; p++) c.add(get(Level.MACRO, l, p), 1.0 / t);
        return c.add(microMean(microLevel, l, 0), -1);
    }

    private Combo macroLayer(int l) {
        if (cfg.causal()) return new Combo().add(get(Level.MACRO, l, t - 1), 1);
        Combo c = new Combo();
        for (int p = 0; p < t; p++) c.add(get(Level.MACRO, l, p), 1.0 / t);
        return c;
    }

    private Combo ieT(Level microLevel, int pos) {
        Combo c = new Combo();
        for (int l : layers) c.add(e(microLevel, l, pos), 1.0 / layers.length);
        return c;
    }

    private Combo ie(Level microLevel) {
        if (cfg.causal()) return ieT(microLevel, t - 1);
        Combo c = new Combo();
        for (int l : layers) c.add(eLayer(microLevel, l), 1.0 / layers.length);
        return c;
    }

    // ------------------------------------------------------------------ summary.json

    boolean complete() {
        for (int l : layers) {
            for (int p = 0; p < t; p++) {
                if (get(Level.MACRO, l, p) == null || get(Level.MICRO, l, p) == null) return false;
            }
        }
        return true;
    }

    ObjectNode json(boolean finished) {
        ObjectNode o = RunDir.JSON.createObjectNode();
        o.put("tool", "emergence");
        o.put("version", s.version());
        o.put("status", finished && complete() ? "complete" : "partial");
        o.put("created", created);
        o.put("updated", Instant.now().toString());
        ObjectNode m = o.putObject("model");
        m.put("name", modelName);
        m.put("model_type", cfg.modelType());
        m.put("layers", cfg.layers());
        m.put("hidden", cfg.hidden());
        m.put("causal", cfg.causal());
        ObjectNode d = o.putObject("dataset");
        d.put("spec", data.spec());
        d.put("n", data.n());
        d.put("t", t);
        d.put("description", data.description());
        d.set("details", RunDir.JSON.valueToTree(data.details()));
        ObjectNode st = s.toJson();
        st.remove("model");
        st.remove("model_type");
        st.remove("dataset");
        o.set("settings", st);
        ObjectNode modes = o.putObject("modes");
        String macroMode = policy.mode(Level.MACRO, 1, random);
        if (!policy.mode(Level.MACRO, 0, random).equals(macroMode)) {
            macroMode = macroMode + " (" + s.estimator() + "); layer 0: " + policy.mode(Level.MACRO, 0, random);
        }
        modes.put("macro", macroMode);
        modes.put("micro", policy.mode(Level.MICRO, 1, random));
        boolean mixed = policy.mixed(random);
        modes.put("mixed", mixed);
        modes.put("note", mixed
                ? "Raw activations (no noise): micro MIs (and layer 0) are exact discrete MIs of token identities, later "
                    + "macro MIs are continuous estimates; E(l, t) subtracts one kind from the other (mixed modes)."
                : s.noisy()
                    ? "Every MI is estimated between noise-regularised states X + σZ and Y + σZ' with the same estimator, "
                        + "so E(l, t) compares like with like."
                    : "Every MI is a continuous estimate on random inputs.");
        o.put("interval_method", "each estimate's own interval (see results.csv interval_method), combined in quadrature "
                + "for E, IE (independence assumed: an approximation)");
        ArrayNode ls = o.putArray("layers");
        for (int l : layers) ls.add(l);
        ArrayNode ps = o.putArray("positions");
        for (int p = 0; p < t; p++) ps.add(p);
        o.set("macro", grid(Level.MACRO));
        o.set("micro", grid(Level.MICRO));
        o.set("context", grid(Level.MACRO));
        ArrayNode eg = o.putArray("E"), ec = o.putArray("E_context");
        for (int l : layers) {
            ArrayNode row = eg.addArray(), rowc = ec.addArray();
            for (int p = 0; p < t; p++) {
                e(Level.MICRO, l, p).json(row.addObject());
                e(Level.MACRO, l, p).json(rowc.addObject());
            }
        }
        ArrayNode el = o.putArray("E_layer");
        for (int l : layers) {
            ObjectNode x = eLayer(Level.MICRO, l).json(el.addObject());
            x.put("layer", l);
            Combo mc = macroLayer(l), mi = microMean(Level.MICRO, l, t - 1);
            putOrNull(x, "macro_bits", mc);
            putOrNull(x, "micro_mean_bits", mi);
        }
        ArrayNode it = o.putArray("IE_t");
        for (int p = 0; p < t; p++) ieT(Level.MICRO, p).json(it.addObject()).put("position", p);
        ie(Level.MICRO).json(o.putObject("IE"));
        ie(Level.MACRO).json(o.putObject("IE_context"));
        ArrayNode w = o.putArray("warnings");
        for (String x : warnings()) w.add(x);
        ObjectNode tm = o.putObject("timing");
        putFinite(tm, "capture_seconds", captureSecs);
        putFinite(tm, "estimate_seconds", estimateSecs);
        putFinite(tm, "total_seconds", totalSecs);
        return o;
    }

    private static void putOrNull(ObjectNode o, String key, Combo c) {
        if (c.missing) o.putNull(key);
        else o.put(key, c.value);
    }

    private static void putFinite(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) o.put(key, v);
        else o.putNull(key);
    }

    private ArrayNode grid(Level level) {
        ArrayNode g = RunDir.JSON.createArrayNode();
        for (int l : layers) {
            ArrayNode row = g.addArray();
            for (int p = 0; p < t; p++) {
                JsonNode e = get(level, l, p);
                if (e == null) {
                    row.addNull();
                    continue;
                }
                ObjectNode c = row.addObject();
                c.put("bits", e.get("mi_bits").asDouble());
                c.put("ci_low", e.get("ci_low_bits").asDouble());
                c.put("ci_high", e.get("ci_high_bits").asDouble());
                c.put("estimator", e.get("estimator").asText());
                c.put("mode", e.get("mode").asText());
            }
        }
        return g;
    }

    /** Distinct warnings with where they occurred (capped), plus the mixed-mode note. */
    List<String> warnings() {
        Map<String, List<String>> where = new LinkedHashMap<>();
        for (Level level : new Level[] {Level.MACRO, Level.MICRO}) {
            for (Map.Entry<Integer, Map<Integer, JsonNode>> byLayer : est.get(level).entrySet()) {
                for (Map.Entry<Integer, JsonNode> byPos : byLayer.getValue().entrySet()) {
                    for (JsonNode w : byPos.getValue().get("warnings")) {
                        // group messages that differ only in numbers
                        String key = w.asText().replaceAll("[0-9][0-9.e+-]*", "#");
                        where.computeIfAbsent(key, k -> new ArrayList<>())
                                .add(level.key() + " l" + byLayer.getKey() + " t" + byPos.getKey() + ": " + w.asText());
                    }
                }
            }
        }
        List<String> out = new ArrayList<>();
        if (policy.mixed(random)) {
            out.add("mixed modes: E(l, t) subtracts exact discrete micro MIs from continuous macro estimates (raw mode, --noise 0)");
        }
        for (List<String> v : where.values()) {
            out.add(v.size() == 1 ? v.get(0) : v.get(0) + " (and " + (v.size() - 1) + " similar)");
        }
        return out;
    }

    void write(Path root, boolean finished) throws IOException {
        AtomicFiles.writeString(root.resolve("summary.json"), RunDir.JSON.writeValueAsString(json(finished)) + "\n");
    }

    // ------------------------------------------------------------------ results.csv

    void writeResults(Path root, Map<String, JsonNode> done) throws IOException {
        StringBuilder sb = new StringBuilder();
        List<String> header = new ArrayList<>(List.of("model", "dataset", "n", "layer", "position", "level", "mi_bits",
                "ci_low", "ci_high", "estimator", "mode", "seconds", "interval_method"));
        header.addAll(Diagnostics.csvHeader());
        header.add("warnings");
        sb.append(String.join(",", header)).append('\n');
        for (int l : layers) {
            for (Level level : Level.values()) {
                for (int p = 0; p < t; p++) {
                    JsonNode e = get(level == Level.CONTEXT ? Level.MACRO : level, l, p);
                    if (e == null) continue;
                    List<String> row = new ArrayList<>();
                    row.add(modelName);
                    row.add(data.spec());
                    row.add(Integer.toString(data.n()));
                    row.add(Integer.toString(l));
                    row.add(Integer.toString(p));
                    row.add(level.key());
                    row.add(num(e.get("mi_bits").asDouble()));
                    row.add(num(e.get("ci_low_bits").asDouble()));
                    row.add(num(e.get("ci_high_bits").asDouble()));
                    row.add(e.get("estimator").asText());
                    row.add(e.get("mode").asText());
                    row.add(num(e.get("seconds").asDouble()));
                    row.add(e.path("interval_method").asText(""));
                    JsonNode diag = e.get("diagnostics");
                    for (String c : Diagnostics.csvHeader()) {
                        JsonNode v = diag == null ? null : diag.get(c);
                        row.add(v == null || v.isNull() ? "" : v.asText());
                    }
                    List<String> ws = new ArrayList<>();
                    for (JsonNode w : e.get("warnings")) ws.add(w.asText());
                    row.add(String.join(" | ", ws));
                    for (int i = 0; i < row.size(); i++) sb.append(i == 0 ? "" : ",").append(csv(row.get(i)));
                    sb.append('\n');
                }
            }
        }
        AtomicFiles.writeString(root.resolve("results.csv"), sb.toString());
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }

    private static String csv(String v) {
        if (v.indexOf(',') < 0 && v.indexOf('"') < 0 && v.indexOf('\n') < 0) return v;
        return '"' + v.replace("\"", "\"\"") + '"';
    }
}
