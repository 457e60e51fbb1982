package org.emergence.ie;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.emergence.common.AtomicFiles;
import org.emergence.mi.Diagnostics;
import org.emergence.mi.Estimate;
import org.emergence.mi.Replicates;

/**
 * results.csv: one row per estimated mutual information — (layer, position, level ∈ {macro, micro}) — with its
 * interval, how the interval was made, the estimator, the sample diagnostics, the estimate's warnings and its
 * wall time. Settings that are the same on every row (model, dataset, n, noise, …) are in summary.json, not
 * repeated here; the in-context MI of the published code ("context") is the macro row of the same cell, so it has
 * no rows of its own. Columns are documented in docs/outputs.md.
 */
final class ResultsTable {
    private ResultsTable() {}

    static List<String> header() {
        List<String> h = new ArrayList<>(List.of("layer", "position", "level", "token", "mi_bits", "ci_low", "ci_high", "interval",
                "groups", "estimator"));
        h.addAll(Diagnostics.csvHeader());
        h.add("warnings");
        h.add("seconds");
        return h;
    }

    /**
     * @param est     level → layer → position → estimate (est/*.json)
     * @param tokens  the token text of each constant position, null elsewhere (or a null list)
     */
    static void write(Path file, int[] layers, int t, Map<Level, Map<Integer, Map<Integer, EstimateFile>>> est, List<String> tokens)
            throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append(String.join(",", header())).append('\n');
        for (int l : layers) {
            for (Level level : new Level[] {Level.MACRO, Level.MICRO}) {
                for (int p = 0; p < t; p++) {
                    Map<Integer, EstimateFile> byPos = est.get(level).get(l);
                    Estimate e = byPos == null || byPos.get(p) == null ? null : byPos.get(p).estimate();
                    if (e == null) continue;
                    Replicates r = e.replicates();
                    List<String> row = new ArrayList<>();
                    row.add(Integer.toString(l));
                    row.add(Integer.toString(p));
                    row.add(level.key());
                    row.add(tokens == null || p >= tokens.size() || tokens.get(p) == null ? "" : tokens.get(p));
                    row.add(num(e.bits()));
                    row.add(num(e.ciLowBits()));
                    row.add(num(e.ciHighBits()));
                    row.add(r == null ? "estimator" : "jackknife");
                    row.add(Integer.toString(r == null ? 0 : r.groups()));
                    row.add(e.estimator());
                    for (String c : Diagnostics.csvHeader()) {
                        // as the JSON file writes the value (a number's shortest form; "" for none or a list)
                        Object v = e.diagnostics().get(c);
                        row.add(v == null ? "" : RunDir.JSON.valueToTree(v).asText());
                    }
                    List<String> ws = new ArrayList<>();
                    for (String w : e.warnings()) ws.add(BitsText.of(w));
                    row.add(String.join(" | ", ws));
                    row.add(num(e.seconds()));
                    for (int i = 0; i < row.size(); i++) sb.append(i == 0 ? "" : ",").append(csv(row.get(i)));
                    sb.append('\n');
                }
            }
        }
        AtomicFiles.writeString(file, sb.toString());
    }

    static String num(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }

    static String csv(String v) {
        if (v.indexOf(',') < 0 && v.indexOf('"') < 0 && v.indexOf('\n') < 0 && v.indexOf('\r') < 0
                && (v.isEmpty() || !Character.isWhitespace(v.charAt(0)) && !Character.isWhitespace(v.charAt(v.length() - 1)))) {
            return v;
        }
        return '"' + v.replace("\"", "\"\"") + '"';
    }
}
