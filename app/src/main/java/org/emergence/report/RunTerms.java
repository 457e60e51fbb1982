package org.emergence.report;

import org.emergence.ie.RunSummary;
import org.emergence.ie.Measurement;
import org.emergence.ie.Terms;

/**
 * The names of E(l)'s two terms for a run, as its summary.json states them ({@code terms}); a summary written
 * before that field existed gets them from its pairing and averaged positions, the same way the run would.
 */
final class RunTerms {
    private RunTerms() {}

    static Terms of(RunSummary s) {
        RunSummary.TermNames t = s.method().terms();
        if (t != null) return new Terms(t.pairing(), t.eDefinition(), t.macro(), t.micro(), t.macroShort(), t.microShort());
        Measurement.Pairing pairing = "prefix".equals(s.settings().pairing()) ? Measurement.Pairing.PREFIX : Measurement.Pairing.MATCHED;
        int n = s.positions().length;
        int[] agg = s.axes().aggregated();
        int[] ag = agg == null || agg.length == 0
                ? (s.causal() && n > 0 ? new int[] {n - 1} : java.util.stream.IntStream.range(0, n).toArray()) : agg;
        return Terms.of(s.causal(), pairing, ag, n);
    }
}
