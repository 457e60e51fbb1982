package org.emergence.study;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.emergence.campaign.Condition;
import org.emergence.campaign.Results;
import org.emergence.ie.Estimated;
import org.emergence.ie.RunSummary;

/** study.csv: one tidy row per condition × layer × position: the condition, its labels, E, MI_macro and MI_micro with intervals. */
final class StudyCsv {
    private StudyCsv() {}

    static String of(Results r) {
        Set<String> keys = new LinkedHashSet<>();
        for (Condition c : r.conditions()) keys.addAll(c.labels().keySet());
        StringBuilder sb = new StringBuilder("condition");
        for (String k : keys) sb.append(',').append(k);
        sb.append(",n,n_note,layer,position,E_bits,E_ci_low,E_ci_high,macro_bits,micro_bits,IE_bits,IE_ci_low,IE_ci_high\n");
        Map<String, Integer> ns = new LinkedHashMap<>();
        for (Condition c : r.conditions()) ns.put(c.name(), r.n(c));
        for (Condition c : r.conditions()) {
            String nNote = StudyNotes.nNote(ns, c.name());
            RunSummary s = r.summaryOf(c);
            int last = c.derived() ? c.position() : s.positions().length - 1;
            Estimated e = r.ie(c);
            int[] layers = s.layers();
            RunSummary.Results res = s.results();
            for (int li = 0; li < layers.length; li++) {
                for (int t = 0; t <= last; t++) {
                    RunSummary.Val cell = Results.at(res.e()[li], t);
                    sb.append(cell(c.name()));
                    for (String k : keys) sb.append(',').append(cell(c.labels().getOrDefault(k, "")));
                    sb.append(',').append(ns.get(c.name())).append(',').append(cell(nNote));
                    sb.append(',').append(layers[li]).append(',').append(t);
                    for (double v : new double[] {cell.bits(), cell.ciLow(), cell.ciHigh(), Results.at(res.macro()[li], t).bits(),
                        Results.at(res.micro()[li], t).bits()}) {
                        sb.append(',').append(Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6g", v));
                    }
                    for (double v : new double[] {e.bits(), e.low(), e.high()}) {
                        sb.append(',').append(Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "");
                    }
                    sb.append('\n');
                }
            }
        }
        return sb.toString();
    }

    private static String cell(String v) {
        if (v.indexOf(',') < 0 && v.indexOf('"') < 0 && v.indexOf('\n') < 0) return v;
        return '"' + v.replace("\"", "\"\"") + '"';
    }
}
