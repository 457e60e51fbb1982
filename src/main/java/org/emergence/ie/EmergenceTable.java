package org.emergence.ie;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.emergence.common.AtomicFiles;

/**
 * emergence.csv: every emergence quantity of a run as one long (tidy) table, one row per value —
 * <pre>
 * quantity, layer, position, token, value, se, ci_low, ci_high, n, interval, groups, unit, twin
 * </pre>
 * with {@code quantity} one of E (per layer and position), E_layer, E_layer_macro and E_layer_micro (E(l) and its
 * two terms), IE_t (per position), IE, and for causal models E_context and IE_context (the published code's
 * variant). A run relative to untrained twins (summary.json's {@code null} block) adds the model's own values — E_raw,
 * E_layer_raw, IE_raw — and each twin's — IE_twin and E_layer_twin, with the twin's seed in {@code twin} — and
 * IE_twins_mean; E, E_layer, IE_t and IE are then the relative values. A quantity without a layer or position leaves that column empty; {@code token} is the text of the
 * token the position holds in every sequence (empty where it varies). New quantities are new rows, never new
 * columns. Written from summary.json, so it holds exactly the summary's numbers (full double precision); docs/
 * outputs.md documents every column.
 */
public final class EmergenceTable {
    public static final String FILE = "emergence.csv";
    public static final List<String> COLUMNS = List.of("quantity", "layer", "position", "token", "value", "se", "ci_low", "ci_high",
            "n", "interval", "groups", "unit", "twin");

    private EmergenceTable() {}

    /** Writes {@code file} from a run's summary.json tree. */
    public static void write(Path file, JsonNode summary) throws IOException {
        AtomicFiles.writeString(file, csv(summary));
    }

    static String csv(JsonNode s) {
        StringBuilder sb = new StringBuilder(String.join(",", COLUMNS)).append('\n');
        long n = s.path("dataset").path("n").asLong();
        JsonNode layers = s.path("layers"), positions = s.path("positions"), tokens = s.path("position_tokens");
        Grid e = new Grid(sb, n, tokens);
        for (int li = 0; li < layers.size(); li++) {
            for (int pi = 0; pi < positions.size(); pi++) {
                e.row("E", layers.get(li).asInt(), positions.get(pi).asInt(), s.path("E").path(li).path(pi));
            }
        }
        for (JsonNode el : s.path("E_layer")) {
            int l = el.path("layer").asInt();
            e.row("E_layer", l, null, el);
            e.term("E_layer_macro", l, el, "macro_bits", "macro", el.path("interval").asText(""), groups(el));
            e.term("E_layer_micro", l, el, "micro_mean_bits", "micro", el.path("interval").asText(""), groups(el));
        }
        for (JsonNode x : s.path("IE_t")) e.row("IE_t", null, x.path("position").asInt(), x);
        e.row("IE", null, null, s.path("IE"));
        JsonNode nul = s.path("null");
        if (nul.isObject()) {
            // relative to untrained twins: the model's own values, each twin's, and their mean
            for (int li = 0; li < layers.size() && s.path("E_raw").isArray(); li++) {
                for (int pi = 0; pi < positions.size(); pi++) {
                    e.row("E_raw", layers.get(li).asInt(), positions.get(pi).asInt(), s.path("E_raw").path(li).path(pi));
                }
            }
            for (JsonNode el : s.path("E_layer")) {
                e.term("E_layer_raw", el.path("layer").asInt(), el, "raw_bits", "raw", el.path("interval").asText(""), groups(el));
            }
            e.row("IE_raw", null, null, nul.path("IE_raw"));
            for (JsonNode tw : nul.path("IE_twins")) {
                String seed = tw.path("seed").asText("");
                e.twin(seed).row("IE_twin", null, null, tw);
                for (int li = 0; li < layers.size(); li++) {
                    e.twin(seed).value("E_layer_twin", layers.get(li).asInt(), tw.path("E_layer_bits").path(li));
                }
            }
            e.value("IE_twins_mean", null, nul.path("IE_twins_mean_bits"));
        }
        if (s.has("E_context")) {
            for (int li = 0; li < layers.size(); li++) {
                for (int pi = 0; pi < positions.size(); pi++) {
                    e.row("E_context", layers.get(li).asInt(), positions.get(pi).asInt(), s.path("E_context").path(li).path(pi));
                }
            }
            e.row("IE_context", null, null, s.path("IE_context"));
        }
        return sb.toString();
    }

    private static int groups(JsonNode v) {
        return v.path("leave_out").isArray() ? v.path("leave_out").size() : 0;
    }

    /** Rows of one run: the same n and position tokens throughout. */
    private record Grid(StringBuilder sb, long n, JsonNode tokens, String twinSeed) {
        Grid(StringBuilder sb, long n, JsonNode tokens) {
            this(sb, n, tokens, "");
        }

        /** The same table's rows for one untrained twin (its seed in the twin column). */
        Grid twin(String seed) {
            return new Grid(sb, n, tokens, seed);
        }

        /** A value without an interval. */
        void value(String quantity, Integer layer, JsonNode v) {
            com.fasterxml.jackson.databind.node.MissingNode none = com.fasterxml.jackson.databind.node.MissingNode.getInstance();
            line(quantity, layer, null, v, none, none, none, "", 0);
        }

        void row(String quantity, Integer layer, Integer position, JsonNode v) {
            line(quantity, layer, position, v.path("bits"), v.path("se"), v.path("ci_low"), v.path("ci_high"),
                    v.path("bits").isNumber() ? v.path("interval").asText("") : "", groups(v));
        }

        void term(String quantity, int layer, JsonNode el, String key, String prefix, String interval, int groups) {
            line(quantity, layer, null, el.path(key), el.path(prefix + "_se"), el.path(prefix + "_ci_low"), el.path(prefix + "_ci_high"),
                    el.path(key).isNumber() && el.path(prefix + "_ci_low").isNumber() ? interval : "", groups);
        }

        private void line(String quantity, Integer layer, Integer position, JsonNode value, JsonNode se, JsonNode lo, JsonNode hi,
                          String interval, int groups) {
            List<String> r = new ArrayList<>();
            r.add(quantity);
            r.add(layer == null ? "" : layer.toString());
            r.add(position == null ? "" : position.toString());
            JsonNode tok = position == null ? null : tokens.path(position);
            r.add(tok == null || !tok.isTextual() ? "" : tok.asText());
            for (JsonNode x : new JsonNode[] {value, se, lo, hi}) r.add(x.isNumber() ? Double.toString(x.asDouble()) : "");
            r.add(Long.toString(n));
            r.add(interval);
            r.add(value.isNumber() && "jackknife".equals(interval) ? Integer.toString(groups) : "0");
            r.add("bits");
            r.add(twinSeed);
            for (int i = 0; i < r.size(); i++) sb.append(i == 0 ? "" : ",").append(ResultsTable.csv(r.get(i)));
            sb.append('\n');
        }
    }
}
