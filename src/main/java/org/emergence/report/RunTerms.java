package org.emergence.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.emergence.ie.Measurement;
import org.emergence.ie.Terms;

/**
 * The names of E(l)'s two terms for a run, as its summary.json states them ({@code terms}); a summary written
 * before that field existed gets them from its pairing and averaged positions, the same way the run would.
 */
final class RunTerms {
    private RunTerms() {}

    static Terms of(SummaryFile s) {
        JsonNode root = s.root();
        JsonNode t = root == null ? null : root.get("terms");
        if (t != null && t.isObject() && t.path("micro").isTextual() && t.path("macro").isTextual()) {
            return new Terms(t.path("pairing").asText("matched"), t.path("E_definition").asText(""), t.path("macro").asText(),
                    t.path("micro").asText(), t.path("macro_short").asText("MI_macro"), t.path("micro_short").asText("MI_micro"));
        }
        Measurement.Pairing pairing = Measurement.Pairing.MATCHED;
        JsonNode p = s.settings() == null ? null : s.settings().get("pairing");
        if (p != null && p.isTextual() && p.asText().equals("prefix")) pairing = Measurement.Pairing.PREFIX;
        int n = s.positions().length;
        List<Integer> agg = new ArrayList<>();
        if (root != null && root.path("aggregated_positions").isArray()) {
            for (JsonNode x : root.path("aggregated_positions")) if (x.canConvertToInt()) agg.add(x.asInt());
        }
        int[] ag = agg.isEmpty() ? (s.causal() && n > 0 ? new int[] {n - 1} : java.util.stream.IntStream.range(0, n).toArray())
                : agg.stream().mapToInt(Integer::intValue).toArray();
        return Terms.of(s.causal(), pairing, ag, n);
    }
}
