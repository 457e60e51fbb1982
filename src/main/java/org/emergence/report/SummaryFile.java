package org.emergence.report;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.emergence.common.UserError;

/**
 * A run's {@code summary.json}, read tolerantly: every number may be null (not yet estimated), and
 * missing arrays or short rows mean "not estimated". Missing values are {@code NaN}; infinite values
 * are kept as they are (the renderers skip anything non-finite).
 *
 * <p>Required: a JSON object with {@code status} ("complete" or "partial"), {@code model} and
 * {@code dataset} objects, and {@code layers} and {@code positions} arrays of distinct integers.
 * Matrices ({@code macro}, {@code micro}, {@code context}, {@code E}) have one row per entry of
 * {@code layers} and one entry per entry of {@code positions}; fewer is allowed (the rest is
 * missing), more is an error. {@code root} is the whole document, for optional details (where IE comes
 * from, its convergence in N, the measurement) that older summaries lack.
 */
public record SummaryFile(
        Path file,
        String status,
        String tool,
        String version,
        String created,
        String updated,
        Model model,
        Dataset dataset,
        JsonNode settings,
        Modes modes,
        String intervalMethod,
        int[] layers,
        int[] positions,
        Val[][] macro,
        Val[][] micro,
        Val[][] context,
        Val[][] e,
        LayerE[] eLayer,
        Val[] ieT,
        Val ie,
        List<String> warnings,
        JsonNode timing,
        JsonNode root) {

    /** A value in bits with its interval (NaN where missing) and, for MI cells, estimator and mode (null if absent). */
    public record Val(double bits, double ciLow, double ciHigh, String estimator, String mode) {
        public static final Val MISSING = new Val(Double.NaN, Double.NaN, Double.NaN, null, null);

        public boolean present() {
            return !Double.isNaN(bits);
        }

        public boolean finite() {
            return Double.isFinite(bits);
        }

        /** Finite and of a magnitude a chart axis can span ({@link #PLOT_LIMIT}). */
        public boolean plottable() {
            return plottable(bits);
        }

        /** Lower end for plotting: the interval's if plottable, else the value; never above the value. */
        public double plotLow() {
            return plottable(ciLow) ? Math.min(ciLow, bits) : bits;
        }

        public double plotHigh() {
            return plottable(ciHigh) ? Math.max(ciHigh, bits) : bits;
        }

        /**
         * Largest magnitude (bits) the charts draw; anything beyond is not a plausible mutual
         * information and would overflow the axis arithmetic, so it is reported as not plotted.
         */
        public static final double PLOT_LIMIT = 1e12;

        public static boolean plottable(double v) {
            return Double.isFinite(v) && Math.abs(v) <= PLOT_LIMIT;
        }

        public boolean hasInterval() {
            return Double.isFinite(ciLow) && Double.isFinite(ciHigh);
        }
    }

    /**
     * One entry of {@code E_layer}: E(l) and the two terms it is the difference of (the macro and the micro MI it
     * pairs with), each with its interval where the summary gives one.
     */
    public record LayerE(int layer, Val e, Val macro, Val micro) {
        static LayerE missing(int layer) {
            return new LayerE(layer, Val.MISSING, Val.MISSING, Val.MISSING);
        }

        public double macroBits() {
            return macro.bits();
        }

        public double microMeanBits() {
            return micro.bits();
        }
    }

    public record Model(String name, String modelType, Integer layers, Integer hidden, Boolean causal) {}

    public record Dataset(String spec, Long n, Integer t, String description, JsonNode details) {}

    public record Modes(String macro, String micro, boolean mixed, String note) {}

    public boolean partial() {
        return "partial".equals(status);
    }

    /** True for decoder (causal) models; false for encoders or when unknown. */
    public boolean causal() {
        return Boolean.TRUE.equals(model.causal());
    }

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** Reads and validates {@code file}; any problem is a {@link UserError} naming the file. */
    public static SummaryFile read(Path file) {
        JsonNode root;
        try {
            byte[] bytes = Files.readAllBytes(file);
            if (bytes.length == 0) throw new UserError(file + " is empty");
            root = JSON.readTree(bytes);
        } catch (NoSuchFileException e) {
            throw new UserError("no such file: " + file);
        } catch (AccessDeniedException e) {
            throw new UserError("cannot read " + file + ": permission denied");
        } catch (JacksonException e) {
            throw new UserError(file + " is not valid JSON: " + describe(e));
        } catch (IOException e) {
            throw new UserError("cannot read " + file + ": " + oneLine(String.valueOf(e.getMessage())));
        }
        if (root == null || root.isMissingNode()) throw new UserError(file + " is empty");
        return new Parser(file).parse(root);
    }

    private static String describe(JacksonException e) {
        return org.emergence.common.JsonFiles.describe(e);
    }

    static String oneLine(String s) {
        return org.emergence.common.JsonFiles.oneLine(s);
    }

    /** Parses the tree; keeps the file for error messages. */
    private static final class Parser {
        private final Path file;

        Parser(Path file) {
            this.file = file;
        }

        private UserError bad(String what) {
            return new UserError(file + ": " + what);
        }

        SummaryFile parse(JsonNode root) {
            if (!root.isObject()) throw bad("expected a JSON object at the top level, found " + kind(root));
            JsonNode statusNode = required(root, "status");
            if (!statusNode.isTextual()) throw bad("\"status\" must be a string, found " + kind(statusNode));
            String status = statusNode.asText();
            if (!status.equals("complete") && !status.equals("partial")) {
                throw bad("\"status\" must be \"complete\" or \"partial\", found \"" + oneLine(status) + "\"");
            }
            JsonNode modelNode = required(root, "model");
            if (!modelNode.isObject()) throw bad("\"model\" must be an object, found " + kind(modelNode));
            JsonNode dataNode = required(root, "dataset");
            if (!dataNode.isObject()) throw bad("\"dataset\" must be an object, found " + kind(dataNode));
            int[] layers = intArray(required(root, "layers"), "layers");
            int[] positions = intArray(required(root, "positions"), "positions");

            Model model = new Model(text(modelNode, "name", "model.name"), text(modelNode, "model_type", "model.model_type"),
                    integer(modelNode, "layers", "model.layers"), integer(modelNode, "hidden", "model.hidden"),
                    bool(modelNode, "causal", "model.causal"));
            Long n = integer(dataNode, "n", "dataset.n") == null ? null : dataNode.get("n").asLong();
            Dataset dataset = new Dataset(text(dataNode, "spec", "dataset.spec"), n, integer(dataNode, "t", "dataset.t"),
                    text(dataNode, "description", "dataset.description"), object(dataNode, "details", "dataset.details"));
            JsonNode modesNode = object(root, "modes", "modes");
            Modes modes = modesNode == null ? new Modes(null, null, false, null)
                    : new Modes(text(modesNode, "macro", "modes.macro"), text(modesNode, "micro", "modes.micro"),
                            Boolean.TRUE.equals(bool(modesNode, "mixed", "modes.mixed")), text(modesNode, "note", "modes.note"));

            Val[][] macro = matrix(root, "macro", layers.length, positions.length);
            Val[][] micro = matrix(root, "micro", layers.length, positions.length);
            Val[][] context = matrix(root, "context", layers.length, positions.length);
            Val[][] e = matrix(root, "E", layers.length, positions.length);
            LayerE[] eLayer = eLayer(root, layers);
            Val[] ieT = ieT(root, positions);
            JsonNode ieNode = root.get("IE");
            Val ie = ieNode == null || ieNode.isNull() ? Val.MISSING : val(ieNode, "IE");

            List<String> warnings = new ArrayList<>();
            JsonNode w = root.get("warnings");
            if (w != null && !w.isNull()) {
                if (!w.isArray()) throw bad("\"warnings\" must be an array of strings, found " + kind(w));
                for (JsonNode x : w) {
                    if (x.isNull()) continue;
                    warnings.add(x.isValueNode() ? x.asText() : x.toString());
                }
            }
            return new SummaryFile(file, status, text(root, "tool", "tool"), text(root, "version", "version"),
                    text(root, "created", "created"), text(root, "updated", "updated"), model, dataset,
                    object(root, "settings", "settings"), modes, text(root, "interval_method", "interval_method"),
                    layers, positions, macro, micro, context, e, eLayer, ieT, ie, List.copyOf(warnings),
                    object(root, "timing", "timing"), root);
        }

        private JsonNode required(JsonNode obj, String name) {
            JsonNode n = obj.get(name);
            if (n == null || n.isNull()) throw bad("missing required field \"" + name + "\"");
            return n;
        }

        private int[] intArray(JsonNode n, String name) {
            if (!n.isArray()) throw bad("\"" + name + "\" must be an array of integers, found " + kind(n));
            int[] out = new int[n.size()];
            Set<Integer> seen = new HashSet<>();
            for (int i = 0; i < out.length; i++) {
                JsonNode x = n.get(i);
                if (!x.isIntegralNumber() || !x.canConvertToInt() || x.asInt() < 0) {
                    throw bad("\"" + name + "\"[" + i + "] must be a non-negative integer, found " + kind(x));
                }
                out[i] = x.asInt();
                if (!seen.add(out[i])) throw bad("\"" + name + "\" lists " + out[i] + " twice");
            }
            return out;
        }

        private String text(JsonNode obj, String name, String path) {
            JsonNode n = obj.get(name);
            if (n == null || n.isNull()) return null;
            if (!n.isValueNode()) throw bad("\"" + path + "\" must be a string, found " + kind(n));
            return n.asText();
        }

        private Integer integer(JsonNode obj, String name, String path) {
            JsonNode n = obj.get(name);
            if (n == null || n.isNull()) return null;
            if (!n.isIntegralNumber()) throw bad("\"" + path + "\" must be an integer, found " + kind(n));
            return n.canConvertToInt() ? n.asInt() : Integer.MAX_VALUE;
        }

        private Boolean bool(JsonNode obj, String name, String path) {
            JsonNode n = obj.get(name);
            if (n == null || n.isNull()) return null;
            if (!n.isBoolean()) throw bad("\"" + path + "\" must be true or false, found " + kind(n));
            return n.asBoolean();
        }

        private JsonNode object(JsonNode obj, String name, String path) {
            JsonNode n = obj.get(name);
            if (n == null || n.isNull()) return null;
            if (!n.isObject()) throw bad("\"" + path + "\" must be an object, found " + kind(n));
            return n;
        }

        /** A number, null (NaN) or one of the strings NaN/Infinity/-Infinity. */
        private double number(JsonNode obj, String name, String path) {
            JsonNode n = obj.get(name);
            if (n == null || n.isNull()) return Double.NaN;
            if (n.isNumber()) return n.doubleValue();
            if (n.isTextual()) {
                switch (n.asText().strip().toLowerCase(java.util.Locale.ROOT)) {
                    case "nan": return Double.NaN;
                    case "infinity": case "+infinity": case "inf": case "+inf": return Double.POSITIVE_INFINITY;
                    case "-infinity": case "-inf": return Double.NEGATIVE_INFINITY;
                    default: break;
                }
            }
            throw bad("\"" + path + "." + name + "\" must be a number or null, found " + kind(n));
        }

        private Val val(JsonNode n, String path) {
            if (n == null || n.isNull()) return Val.MISSING;
            if (n.isNumber()) return new Val(n.doubleValue(), Double.NaN, Double.NaN, null, null);
            if (!n.isObject()) throw bad("\"" + path + "\" must be an object with \"bits\" or null, found " + kind(n));
            return new Val(number(n, "bits", path), number(n, "ci_low", path), number(n, "ci_high", path),
                    text(n, "estimator", path + ".estimator"), text(n, "mode", path + ".mode"));
        }

        private Val[][] matrix(JsonNode root, String name, int rows, int cols) {
            Val[][] out = new Val[rows][cols];
            for (Val[] r : out) Arrays.fill(r, Val.MISSING);
            JsonNode m = root.get(name);
            if (m == null || m.isNull()) return out;
            if (!m.isArray()) throw bad("\"" + name + "\" must be an array of rows (one per layer), found " + kind(m));
            if (m.size() > rows) throw bad("\"" + name + "\" has " + m.size() + " rows but \"layers\" lists " + rows);
            for (int i = 0; i < m.size(); i++) {
                JsonNode row = m.get(i);
                if (row.isNull()) continue;
                String rp = name + "[" + i + "]";
                if (!row.isArray()) throw bad("\"" + rp + "\" must be an array (one entry per position), found " + kind(row));
                if (row.size() > cols) throw bad("\"" + rp + "\" has " + row.size() + " entries but \"positions\" lists " + cols);
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
            if (!a.isArray()) throw bad("\"E_layer\" must be an array, found " + kind(a));
            for (int k = 0; k < a.size(); k++) {
                JsonNode x = a.get(k);
                if (x.isNull()) continue;
                String p = "E_layer[" + k + "]";
                if (!x.isObject()) throw bad("\"" + p + "\" must be an object, found " + kind(x));
                Integer layer = integer(x, "layer", p + ".layer");
                if (layer == null) throw bad("\"" + p + "\" has no \"layer\"");
                Integer i = index.get(layer);
                if (i == null) throw bad("\"" + p + "\" is for layer " + layer + ", which \"layers\" does not list");
                out[i] = new LayerE(layer, val(x, p), new Val(number(x, "macro_bits", p), number(x, "macro_ci_low", p),
                        number(x, "macro_ci_high", p), null, null), new Val(number(x, "micro_mean_bits", p), number(x, "micro_ci_low", p),
                        number(x, "micro_ci_high", p), null, null));
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
            if (!a.isArray()) throw bad("\"IE_t\" must be an array, found " + kind(a));
            for (int k = 0; k < a.size(); k++) {
                JsonNode x = a.get(k);
                if (x.isNull()) continue;
                String p = "IE_t[" + k + "]";
                if (!x.isObject()) throw bad("\"" + p + "\" must be an object, found " + kind(x));
                Integer pos = integer(x, "position", p + ".position");
                if (pos == null) throw bad("\"" + p + "\" has no \"position\"");
                Integer i = index.get(pos);
                if (i == null) throw bad("\"" + p + "\" is for position " + pos + ", which \"positions\" does not list");
                out[i] = val(x, p);
            }
            return out;
        }

        private static String kind(JsonNode n) {
            if (n == null || n instanceof NullNode) return "null";
            if (n.isObject()) return "an object";
            if (n.isArray()) return "an array";
            if (n.isTextual()) {
                String s = n.asText();
                return "\"" + (s.length() > 40 ? s.substring(0, 40) + "..." : oneLine(s)) + "\"";
            }
            return n.toString();
        }
    }
}
