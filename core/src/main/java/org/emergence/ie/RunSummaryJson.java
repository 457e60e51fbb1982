package org.emergence.ie;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.emergence.common.JsonFiles;
import org.emergence.common.UserError;
import org.emergence.ie.RunSummary.LayerE;
import org.emergence.ie.RunSummary.Val;

/**
 * The serializer of {@link RunSummary}: the one place that reads summary.json by its keys ({@link SummaryBuilder}
 * writes it). Tolerant of what a partial or older run leaves out; anything of the wrong kind is one {@link UserError}
 * naming the file and the field.
 *
 * <p>Required: a JSON object with {@code status} ("complete" or "partial"), {@code model} and {@code dataset} objects,
 * and {@code layers} and {@code positions} arrays of distinct integers. Matrices ({@code macro}, {@code micro},
 * {@code context}, {@code E}, {@code E_raw}, {@code E_context}) have one row per entry of {@code layers} and one entry
 * per entry of {@code positions}; fewer is allowed (the rest is missing), more is an error.
 */
public final class RunSummaryJson {
    private RunSummaryJson() {}

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    public static RunSummary read(Path file) {
        JsonNode root = JsonFiles.readTree(file, JSON);
        return new RunSummaryJson.Parser(new JsonReads(file.toString()), file).parse(root);
    }

    /** The typed settings of a settings map (settings.json without model and dataset). */
    static RunSummary.Settings settings(JsonNode settings) {
        return new RunSummaryJson.Parser(new JsonReads("settings"), null).settings(settings);
    }

    /** The summary a run holds in memory ({@link RunOutcome#summary()}); {@code source} names it in errors. */
    public static RunSummary of(JsonNode tree, String source) {
        return new RunSummaryJson.Parser(new JsonReads(source), null).parse(tree);
    }

    /**
     * A value as {@link RunSummaryWriter#json(RunSummary.Val)} writes it (the campaign files record a run's IE that way);
     * {@code source} names it in errors.
     */
    public static RunSummary.Val value(JsonNode node, String source) {
        return new RunSummaryJson.Parser(new JsonReads(source), null).val(node, source);
    }

    /** Parses the tree; errors name the source. */
    private static final class Parser {
        private final JsonReads r;
        private final Path file;

        Parser(JsonReads r, Path file) {
            this.r = r;
            this.file = file;
        }

        RunSummary parse(JsonNode root) {
            if (!root.isObject()) throw r.bad("expected a JSON object at the top level, found " + JsonReads.kind(root));
            JsonNode statusNode = r.required(root, "status");
            if (!statusNode.isTextual()) throw r.bad("\"status\" must be a string, found " + JsonReads.kind(statusNode));
            String status = statusNode.asText();
            if (!status.equals("complete") && !status.equals("partial")) {
                throw r.bad("\"status\" must be \"complete\" or \"partial\", found \"" + JsonFiles.oneLine(status) + "\"");
            }
            JsonNode modelNode = r.required(root, "model");
            if (!modelNode.isObject()) throw r.bad("\"model\" must be an object, found " + JsonReads.kind(modelNode));
            JsonNode dataNode = r.required(root, "dataset");
            if (!dataNode.isObject()) throw r.bad("\"dataset\" must be an object, found " + JsonReads.kind(dataNode));
            int[] layers = r.intArray(r.required(root, "layers"), "layers");
            int[] positions = r.intArray(r.required(root, "positions"), "positions");
            int nl = layers.length, np = positions.length;

            RunSummary.Header header = new RunSummary.Header(r.text(root, "tool", "tool"), r.text(root, "version", "version"),
                    status, r.text(root, "created", "created"), r.text(root, "updated", "updated"));
            RunSummary.Model model = new RunSummary.Model(r.text(modelNode, "name", "model.name"),
                    r.text(modelNode, "model_type", "model.model_type"), r.integer(modelNode, "layers", "model.layers"),
                    r.integer(modelNode, "hidden", "model.hidden"), r.bool(modelNode, "causal", "model.causal"),
                    r.text(modelNode, "ablation", "model.ablation"));
            Long n = r.integer(dataNode, "n", "dataset.n") == null ? null : dataNode.get("n").asLong();
            RunSummary.Dataset dataset = new RunSummary.Dataset(r.text(dataNode, "spec", "dataset.spec"), n,
                    r.integer(dataNode, "t", "dataset.t"), r.text(dataNode, "description", "dataset.description"),
                    r.object(dataNode, "details", "dataset.details"));
            RunSummary.Method method = new RunSummary.Method(settings(r.object(root, "settings", "settings")),
                    r.text(root, "measurement", "measurement"), modes(r.object(root, "modes", "modes")),
                    r.text(root, "interval_method", "interval_method"), terms(r.object(root, "terms", "terms")));
            RunSummary.Axes axes = new RunSummary.Axes(layers, positions, r.booleans(root, "constant_positions"),
                    r.has(root, "aggregated_positions") ? r.intArray(root.get("aggregated_positions"), "aggregated_positions") : null,
                    r.texts(root, "position_tokens"), r.texts(root, "position_labels"));
            RunSummary.Results results = new RunSummary.Results(matrix(root, "macro", nl, np), matrix(root, "micro", nl, np),
                    matrix(root, "context", nl, np), matrix(root, "E", nl, np), eLayer(root, layers), ieT(root, positions),
                    val(root.get("IE"), "IE"));
            RunSummary.Relative relative = relative(root, layers, np);
            RunSummary.Context context = r.has(root, "E_context") || r.has(root, "IE_context")
                    ? new RunSummary.Context(matrix(root, "E_context", nl, np), val(root.get("IE_context"), "IE_context")) : null;

            List<String> warnings = new ArrayList<>();
            JsonNode w = root.get("warnings");
            if (w != null && !w.isNull()) {
                if (!w.isArray()) throw r.bad("\"warnings\" must be an array of strings, found " + JsonReads.kind(w));
                for (JsonNode x : w) {
                    if (x.isNull()) continue;
                    warnings.add(x.isValueNode() ? x.asText() : x.toString());
                }
            }
            return new RunSummary(file, header, model, dataset, method, axes, results, relative, context, List.copyOf(warnings),
                    timing(r.object(root, "timing", "timing")));
        }

        private RunSummary.Settings settings(JsonNode s) {
            if (s == null) return RunSummary.Settings.NONE;
            JsonNode noise = s.get("noise");
            return new RunSummary.Settings(r.text(s, "estimator", "settings.estimator"), noise, r.bool(s, "noise_absolute",
                    "settings.noise_absolute"), r.text(s, "pairing", "settings.pairing"),
                    r.integer(s, "seed", "settings.seed") == null ? null : s.get("seed").asLong(),
                    r.text(s, "positions", "settings.positions"), s);
        }

        private RunSummary.Modes modes(JsonNode m) {
            if (m == null) return new RunSummary.Modes(null, null, false, null);
            return new RunSummary.Modes(r.text(m, "macro", "modes.macro"), r.text(m, "micro", "modes.micro"),
                    Boolean.TRUE.equals(r.bool(m, "mixed", "modes.mixed")), r.text(m, "note", "modes.note"));
        }

        private RunSummary.TermNames terms(JsonNode t) {
            if (t == null || !t.path("micro").isTextual() || !t.path("macro").isTextual()) return null;
            return new RunSummary.TermNames(or(r.text(t, "pairing", "terms.pairing"), "matched"),
                    or(r.text(t, "E_definition", "terms.E_definition"), ""), t.get("macro").asText(), t.get("micro").asText(),
                    or(r.text(t, "macro_short", "terms.macro_short"), "MI_macro"), or(r.text(t, "micro_short", "terms.micro_short"), "MI_micro"));
        }

        private static String or(String s, String dflt) {
            return s == null ? dflt : s;
        }

        private RunSummary.Timing timing(JsonNode t) {
            if (t == null) return RunSummary.Timing.NONE;
            Integer reused = r.integer(t, "estimates_reused", "timing.estimates_reused");
            Integer computed = r.integer(t, "estimates_computed", "timing.estimates_computed");
            java.util.Map<String, String> kernels = new java.util.LinkedHashMap<>();
            JsonNode k = r.object(t, "forward_gemm_kernels", "timing.forward_gemm_kernels");
            if (k != null) k.properties().forEach(e -> kernels.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText()));
            return new RunSummary.Timing(r.number(t, "capture_seconds", "timing"), r.number(t, "estimate_seconds", "timing"),
                    r.number(t, "total_seconds", "timing"), reused == null ? -1 : reused, computed == null ? -1 : computed,
                    java.util.Collections.unmodifiableMap(kernels), t);
        }

        private RunSummary.Relative relative(JsonNode root, int[] layers, int np) {
            JsonNode n = r.object(root, "null", "null");
            if (n == null) return null;
            Integer twins = r.integer(n, "twins", "null.twins");
            List<Long> seeds = new ArrayList<>();
            JsonNode sa = n.get("seeds");
            if (sa != null && sa.isArray()) for (JsonNode x : sa) if (x.isIntegralNumber()) seeds.add(x.asLong());
            List<RunSummary.Twin> per = new ArrayList<>();
            JsonNode ta = n.get("IE_twins");
            if (ta != null && !ta.isNull()) {
                if (!ta.isArray()) throw r.bad("\"null.IE_twins\" must be an array, found " + JsonReads.kind(ta));
                for (int k = 0; k < ta.size(); k++) {
                    JsonNode x = ta.get(k);
                    String p = "null.IE_twins[" + k + "]";
                    if (!x.isObject()) throw r.bad("\"" + p + "\" must be an object, found " + JsonReads.kind(x));
                    Integer seed = r.integer(x, "seed", p + ".seed");
                    double[] el = new double[layers.length];
                    Arrays.fill(el, Double.NaN);
                    JsonNode ea = x.get("E_layer_bits");
                    if (ea != null && ea.isArray()) {
                        for (int i = 0; i < Math.min(el.length, ea.size()); i++) el[i] = r.number(ea.get(i), p + ".E_layer_bits[" + i + "]");
                    }
                    per.add(new RunSummary.Twin(seed == null ? 0 : x.get("seed").asLong(), val(x, p), el));
                }
            }
            return new RunSummary.Relative(r.text(n, "what", "null.what"), twins == null ? per.size() : twins,
                    seeds.stream().mapToLong(Long::longValue).toArray(),
                    r.has(root, "E_raw") ? matrix(root, "E_raw", layers.length, np) : null,
                    val(n.get("IE_raw"), "null.IE_raw"), List.copyOf(per), r.number(n, "IE_twins_mean_bits", "null"));
        }

        private Val val(JsonNode n, String path) {
            if (n == null || n.isNull()) return Val.MISSING;
            if (n.isNumber()) return new Val(n.doubleValue(), Double.NaN, Double.NaN);
            if (!n.isObject()) throw r.bad("\"" + path + "\" must be an object with \"bits\" or null, found " + JsonReads.kind(n));
            RunSummary.Spread spread = null;
            if (n.has("interval") || n.has("se") || n.has("leave_out") || n.has("twin_seed_se")) {
                JsonNode nc = r.object(n, "n_convergence", path + ".n_convergence");
                spread = new RunSummary.Spread(r.text(n, "interval", path + ".interval"), r.number(n, "twin_seed_se", path),
                        r.number(n, "t_quantile", path), r.number(n, "se", path), nc == null ? null
                            : new RunSummary.Convergence(r.number(nc, "quarter", path + ".n_convergence"),
                                r.number(nc, "half", path + ".n_convergence"), r.number(nc, "full", path + ".n_convergence")),
                        r.number(n, "finite_n_shift", path), r.doubles(n, "leave_out", path + ".leave_out"));
            }
            RunSummary.Split split = null;
            if (n.has("constant_positions_bits")) {
                split = new RunSummary.Split(r.number(n, "constant_positions_bits", path), r.number(n, "varying_positions_bits", path),
                        Boolean.TRUE.equals(r.bool(n, "dominated_by_constant_positions", path + ".dominated_by_constant_positions")));
            }
            return new Val(r.number(n, "bits", path), r.number(n, "ci_low", path), r.number(n, "ci_high", path),
                    r.text(n, "estimator", path + ".estimator"), r.text(n, "mode", path + ".mode"), spread, split);
        }

        /** One of E(l)'s terms: {@code key} and prefix_ci_low, prefix_ci_high, prefix_se (the E(l)'s interval method). */
        private Val term(JsonNode x, String key, String prefix, String path, Val of) {
            if (!x.has(key)) return Val.MISSING;
            double se = r.number(x, prefix + "_se", path);
            RunSummary.Spread spread = of.spread() == null && Double.isNaN(se) ? null : new RunSummary.Spread(of.interval(), Double.NaN,
                    Double.NaN, se, null, Double.NaN, of.spread() == null ? null : of.spread().leaveOut());
            return new Val(r.number(x, key, path), r.number(x, prefix + "_ci_low", path), r.number(x, prefix + "_ci_high", path),
                    null, null, spread, null);
        }

        private Val[][] matrix(JsonNode root, String name, int rows, int cols) {
            Val[][] out = new Val[rows][cols];
            for (Val[] row : out) Arrays.fill(row, Val.MISSING);
            JsonNode m = root.get(name);
            if (m == null || m.isNull()) return out;
            if (!m.isArray()) throw r.bad("\"" + name + "\" must be an array of rows (one per layer), found " + JsonReads.kind(m));
            if (m.size() > rows) throw r.bad("\"" + name + "\" has " + m.size() + " rows but \"layers\" lists " + rows);
            for (int i = 0; i < m.size(); i++) {
                JsonNode row = m.get(i);
                if (row.isNull()) continue;
                String rp = name + "[" + i + "]";
                if (!row.isArray()) throw r.bad("\"" + rp + "\" must be an array (one entry per position), found " + JsonReads.kind(row));
                if (row.size() > cols) throw r.bad("\"" + rp + "\" has " + row.size() + " entries but \"positions\" lists " + cols);
                for (int j = 0; j < row.size(); j++) out[i][j] = val(row.get(j), rp + "[" + j + "]");
            }
            return out;
        }

        private LayerE[] eLayer(JsonNode root, int[] layers) {
            LayerE[] out = new LayerE[layers.length];
            Map<Integer, Integer> index = new HashMap<>();
            for (int i = 0; i < layers.length; i++) {
                index.put(layers[i], i);
                out[i] = LayerE.missing(layers[i]);
            }
            JsonNode a = root.get("E_layer");
            if (a == null || a.isNull()) return out;
            if (!a.isArray()) throw r.bad("\"E_layer\" must be an array, found " + JsonReads.kind(a));
            for (int k = 0; k < a.size(); k++) {
                JsonNode x = a.get(k);
                if (x.isNull()) continue;
                String p = "E_layer[" + k + "]";
                if (!x.isObject()) throw r.bad("\"" + p + "\" must be an object, found " + JsonReads.kind(x));
                Integer layer = r.integer(x, "layer", p + ".layer");
                if (layer == null) throw r.bad("\"" + p + "\" has no \"layer\"");
                Integer i = index.get(layer);
                if (i == null) throw r.bad("\"" + p + "\" is for layer " + layer + ", which \"layers\" does not list");
                Val e = val(x, p);
                out[i] = new LayerE(layer, e, term(x, "macro_bits", "macro", p, e), term(x, "micro_mean_bits", "micro", p, e),
                        term(x, "raw_bits", "raw", p, e));
            }
            return out;
        }

        private Val[] ieT(JsonNode root, int[] positions) {
            Val[] out = new Val[positions.length];
            Arrays.fill(out, Val.MISSING);
            Map<Integer, Integer> index = new HashMap<>();
            for (int i = 0; i < positions.length; i++) index.put(positions[i], i);
            JsonNode a = root.get("IE_t");
            if (a == null || a.isNull()) return out;
            if (!a.isArray()) throw r.bad("\"IE_t\" must be an array, found " + JsonReads.kind(a));
            for (int k = 0; k < a.size(); k++) {
                JsonNode x = a.get(k);
                if (x.isNull()) continue;
                String p = "IE_t[" + k + "]";
                if (!x.isObject()) throw r.bad("\"" + p + "\" must be an object, found " + JsonReads.kind(x));
                Integer pos = r.integer(x, "position", p + ".position");
                if (pos == null) throw r.bad("\"" + p + "\" has no \"position\"");
                Integer i = index.get(pos);
                if (i == null) throw r.bad("\"" + p + "\" is for position " + pos + ", which \"positions\" does not list");
                out[i] = val(x, p);
            }
            return out;
        }
    }
}
