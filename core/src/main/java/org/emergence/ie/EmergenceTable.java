package org.emergence.ie;

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

    /** Writes {@code file} from a run's summary. */
    public static void write(Path file, RunSummary summary) throws IOException {
        AtomicFiles.writeString(file, csv(summary));
    }

    static String csv(RunSummary s) {
        StringBuilder sb = new StringBuilder(String.join(",", COLUMNS)).append('\n');
        long n = s.dataset().n() == null ? 0 : s.dataset().n();
        int[] layers = s.layers(), positions = s.positions();
        RunSummary.Results r = s.results();
        Grid e = new Grid(sb, n, s.axes().tokens());
        e.grid("E", layers, positions, r.e());
        for (RunSummary.LayerE el : r.eLayer()) {
            e.row("E_layer", el.layer(), null, el.e());
            e.term("E_layer_macro", el.layer(), el.macro());
            e.term("E_layer_micro", el.layer(), el.micro());
        }
        for (int pi = 0; pi < positions.length; pi++) e.row("IE_t", null, positions[pi], r.ieT()[pi]);
        e.row("IE", null, null, r.ie());
        RunSummary.Relative nul = s.relative();
        if (nul != null) {
            // relative to untrained twins: the model's own values, each twin's, and their mean
            if (nul.eRaw() != null) e.grid("E_raw", layers, positions, nul.eRaw());
            for (RunSummary.LayerE el : r.eLayer()) e.term("E_layer_raw", el.layer(), el.raw());
            e.row("IE_raw", null, null, nul.ieRaw());
            for (RunSummary.Twin tw : nul.perTwin()) {
                String seed = Long.toString(tw.seed());
                e.twin(seed).row("IE_twin", null, null, tw.ie());
                for (int li = 0; li < layers.length; li++) e.twin(seed).value("E_layer_twin", layers[li], tw.eLayerBits()[li]);
            }
            e.value("IE_twins_mean", null, nul.twinsMeanBits());
        }
        if (s.context() != null) {
            e.grid("E_context", layers, positions, s.context().e());
            e.row("IE_context", null, null, s.context().ie());
        }
        return sb.toString();
    }

    /** Rows of one run: the same n and position tokens throughout. */
    private record Grid(StringBuilder sb, long n, String[] tokens, String twinSeed) {
        Grid(StringBuilder sb, long n, String[] tokens) {
            this(sb, n, tokens, "");
        }

        /** The same table's rows for one untrained twin (its seed in the twin column). */
        Grid twin(String seed) {
            return new Grid(sb, n, tokens, seed);
        }

        void grid(String quantity, int[] layers, int[] positions, RunSummary.Val[][] m) {
            for (int li = 0; li < layers.length; li++) {
                for (int pi = 0; pi < positions.length; pi++) row(quantity, layers[li], positions[pi], m[li][pi]);
            }
        }

        /** A value without an interval. */
        void value(String quantity, Integer layer, double v) {
            line(quantity, layer, null, v, Double.NaN, Double.NaN, Double.NaN, "", 0);
        }

        void row(String quantity, Integer layer, Integer position, RunSummary.Val v) {
            line(quantity, layer, position, v.bits(), v.se(), v.ciLow(), v.ciHigh(),
                    v.present() && v.interval() != null ? v.interval() : "", v.groups());
        }

        /** One of E(l)'s terms, with E(l)'s interval method where the term has an interval. */
        void term(String quantity, int layer, RunSummary.Val v) {
            line(quantity, layer, null, v.bits(), v.se(), v.ciLow(), v.ciHigh(),
                    v.present() && !Double.isNaN(v.ciLow()) && v.interval() != null ? v.interval() : "", v.groups());
        }

        private void line(String quantity, Integer layer, Integer position, double value, double se, double lo, double hi,
                          String interval, int groups) {
            List<String> r = new ArrayList<>();
            r.add(quantity);
            r.add(layer == null ? "" : layer.toString());
            r.add(position == null ? "" : position.toString());
            String tok = position == null || tokens == null || position >= tokens.length ? null : tokens[position];
            r.add(tok == null ? "" : tok);
            for (double x : new double[] {value, se, lo, hi}) r.add(Double.isNaN(x) ? "" : Double.toString(x));
            r.add(Long.toString(n));
            r.add(interval);
            r.add(!Double.isNaN(value) && "jackknife".equals(interval) ? Integer.toString(groups) : "0");
            r.add("bits");
            r.add(twinSeed);
            for (int i = 0; i < r.size(); i++) sb.append(i == 0 ? "" : ",").append(ResultsTable.csv(r.get(i)));
            sb.append('\n');
        }
    }
}
