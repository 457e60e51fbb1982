package org.emergence.study;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.emergence.ie.Estimated;

/**
 * The comparisons each kind of study makes, with their intervals and tests, and the verdict lines,
 * worded no more confidently than the intervals allow: a difference is "up" or "down" only when its
 * 95% interval excludes 0, and otherwise "no detectable difference".
 */
final class StudyAnalysis {
    private StudyAnalysis() {}

    static void analyse(StudyRuns s, ObjectNode out) {
        ArrayNode comps = out.putArray("comparisons"), verdicts = out.putArray("verdicts");
        switch (s.options().kind()) {
            case "shots", "errors" -> shots(s, out, comps, verdicts);
            case "texts" -> texts(s, comps, verdicts);
            case "models" -> models(s, out, comps, verdicts);
            default -> ablations(s, comps, verdicts);
        }
    }

    /** Adds a comparison a − b and returns its difference. */
    static Estimated.Difference compare(StudyRuns s, ArrayNode comps, String label, Condition a, Condition b) {
        Estimated.Difference d = s.difference(a, b);
        ObjectNode c = comps.addObject();
        c.put("label", label + unequalN(s, a, b));
        c.put("a", a.name());
        c.put("b", b.name());
        c.put("n_a", s.n(a));
        c.put("n_b", s.n(b));
        StudyRuns.put(c, "difference_bits", d.bits());
        StudyRuns.put(c, "ci_low", d.low());
        StudyRuns.put(c, "ci_high", d.high());
        StudyRuns.put(c, "se", d.se());
        c.put("method", d.method());
        c.put("test", "95% interval of the difference; it differs from 0 at the 5% level when the interval excludes 0");
        c.put("direction", direction(d));
        return d;
    }

    /** " [unequal N: 1000 vs 39]" when the two conditions rest on different numbers of sequences, else "". */
    static String unequalN(StudyRuns s, Condition a, Condition b) {
        return s.n(a) == s.n(b) ? "" : " [UNEQUAL N: " + s.n(a) + " vs " + s.n(b) + "]";
    }

    static String direction(Estimated.Difference d) {
        return d.low() > 0 ? "up" : d.high() < 0 ? "down" : "no detectable difference";
    }

    static String diff(Estimated.Difference d) {
        return String.format(Locale.ROOT, "%+.3f [%+.3f, %+.3f] bits", d.bits(), d.low(), d.high());
    }

    // ------------------------------------------------------------------ shots and errors

    private static void shots(StudyRuns s, ObjectNode out, ArrayNode comps, ArrayNode verdicts) {
        Map<String, List<Condition>> series = new LinkedHashMap<>();
        for (Condition c : s.conditions()) {
            String key = c.labels().get("category") + "/" + c.labels().get("variant");
            series.computeIfAbsent(key, k -> new ArrayList<>()).add(c);
        }
        ArrayNode table = out.putArray("by_shots");
        ErrorScorer scorer = s.options().kind().equals("errors") ? new ErrorScorer(s) : null;
        List<double[]> corrPoints = new ArrayList<>();
        for (var e : series.entrySet()) {
            List<Condition> cs = e.getValue();
            int kmin = cs.stream().mapToInt(c -> k(c)).min().orElse(1), kmax = cs.stream().mapToInt(c -> k(c)).max().orElse(1);
            Map<Integer, Condition> rep0 = new LinkedHashMap<>();
            for (int k = kmin; k <= kmax; k++) {
                List<Condition> reps = new ArrayList<>();
                for (Condition c : cs) if (k(c) == k) reps.add(c);
                reps.stream().filter(c -> c.labels().get("replicate").equals("0")).findFirst().ifPresent(c -> rep0.put(k(c), c));
                double mean = 0, ss = 0, se2 = 0;
                for (Condition c : reps) {
                    Estimated v = s.ie(c);
                    mean += v.bits() / reps.size();
                    se2 += v.se() * v.se() / ((double) reps.size() * reps.size());
                }
                for (Condition c : reps) ss += Math.pow(s.ie(c).bits() - mean, 2);
                double sd = reps.size() > 1 ? Math.sqrt(ss / (reps.size() - 1)) : Double.NaN;
                ObjectNode row = table.addObject();
                row.put("series", e.getKey());
                row.put("category", cs.get(0).labels().get("category"));
                row.put("variant", cs.get(0).labels().get("variant"));
                row.put("shots", k);
                row.put("replicates", reps.size());
                StudyRuns.put(row, "IE_mean_bits", mean);
                StudyRuns.put(row, "IE_se_bits", Math.sqrt(se2));
                StudyRuns.put(row, "IE_sd_across_replicates", sd);
                ArrayNode vals = row.putArray("IE_replicates");
                for (Condition c : reps) vals.add(s.ie(c).bits());
                if (scorer != null) {
                    ErrorScorer.Rates r = scorer.rates(reps);
                    row.set("next_token", r.json(row.objectNode()));
                    if (Double.isFinite(sd)) corrPoints.add(new double[] {r.errorRate(), sd, mean});
                }
            }
            // steps K−1 → K, and the whole range, on the first replicate
            List<Integer> up = new ArrayList<>(), down = new ArrayList<>(), flat = new ArrayList<>();
            for (int k = kmin + 1; k <= kmax; k++) {
                if (!rep0.containsKey(k) || !rep0.containsKey(k - 1)) continue;
                Estimated.Difference d = compare(s, comps, e.getKey() + ": IE(K=" + k + ") − IE(K=" + (k - 1) + ")", rep0.get(k), rep0.get(k - 1));
                (d.low() > 0 ? up : d.high() < 0 ? down : flat).add(k);
            }
            if (rep0.containsKey(kmin) && rep0.containsKey(kmax) && kmax > kmin) {
                Estimated.Difference d = compare(s, comps, e.getKey() + ": IE(K=" + kmax + ") − IE(K=" + kmin + ")", rep0.get(kmax),
                        rep0.get(kmin));
                int lastUp = up.isEmpty() ? -1 : up.get(up.size() - 1);
                verdicts.add(String.format(Locale.ROOT, "%s: IE %s from K = %d to K = %d: %s; steps up at K = %s, down at K = %s, "
                        + "no detectable change at K = %s%s", e.getKey(), d.low() > 0 ? "rises" : d.high() < 0 ? "falls" : "shows no detectable change",
                        kmin, kmax, diff(d) + unequalN(s, rep0.get(kmax), rep0.get(kmin)), list(up), list(down), list(flat),
                        lastUp > 0 && lastUp < kmax ? "; no significant rise after K = " + lastUp : ""));
            }
        }
        if (scorer != null && corrPoints.size() >= 4) {
            double[] er = corrPoints.stream().mapToDouble(p -> p[0]).toArray(), sd = corrPoints.stream().mapToDouble(p -> p[1]).toArray();
            double[] r = pearson(er, sd);
            ObjectNode c = out.putObject("error_vs_ie_spread");
            c.put("points", er.length);
            StudyRuns.put(c, "pearson_r", r[0]);
            StudyRuns.put(c, "ci_low", r[1]);
            StudyRuns.put(c, "ci_high", r[2]);
            c.put("method", "Pearson correlation across (series, K) points of the error rate and the sd of IE over replicates; "
                    + "95% interval by Fisher's z (an approximation for few points)");
            verdicts.add(String.format(Locale.ROOT, "error rate vs spread of IE across replicates: r = %.2f [%.2f, %.2f] over %d points (%s)",
                    r[0], r[1], r[2], er.length, r[1] > 0 ? "positive" : r[2] < 0 ? "negative" : "no detectable correlation"));
        }
    }

    static int k(Condition c) {
        return Integer.parseInt(c.labels().get("shots"));
    }

    private static String list(List<Integer> v) {
        return v.isEmpty() ? "none" : v.toString().replaceAll("[\\[\\]]", "");
    }

    /** Pearson r and its 95% interval by Fisher's z transform. */
    static double[] pearson(double[] x, double[] y) {
        int n = x.length;
        double mx = 0, my = 0;
        for (int i = 0; i < n; i++) {
            mx += x[i] / n;
            my += y[i] / n;
        }
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < n; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        double r = sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : Double.NaN;
        if (!Double.isFinite(r) || n < 4) return new double[] {r, Double.NaN, Double.NaN};
        double z = 0.5 * Math.log((1 + r) / (1 - r)), h = 1.959963984540054 / Math.sqrt(n - 3);
        return new double[] {r, Math.tanh(z - h), Math.tanh(z + h)};
    }

    // ------------------------------------------------------------------ texts, models, ablations

    private static void texts(StudyRuns s, ArrayNode comps, ArrayNode verdicts) {
        Map<String, Condition> natural = new LinkedHashMap<>();
        for (Condition c : s.conditions()) {
            if (c.labels().get("control").equals("natural") && c.labels().get("replicate").equals("0")) natural.put(c.labels().get("source"), c);
        }
        for (Condition c : s.conditions()) {
            if (c.labels().get("control").endsWith("-shuffle")) {
                Condition nat = natural.get(c.labels().get("source"));
                Estimated.Difference d = compare(s, comps, c.labels().get("source") + ": natural − " + c.labels().get("control"), nat, c);
                verdicts.add(String.format(Locale.ROOT, "%s: natural text vs %s: %s (%s)", c.labels().get("source"), c.labels().get("control"),
                        diff(d), direction(d)));
            }
        }
        List<String> names = new ArrayList<>(natural.keySet());
        for (int i = 0; i < names.size(); i++) {
            for (int j = i + 1; j < names.size(); j++) {
                Estimated.Difference d = compare(s, comps, names.get(i) + " − " + names.get(j), natural.get(names.get(i)), natural.get(names.get(j)));
                verdicts.add(String.format(Locale.ROOT, "IE(%s) − IE(%s): %s (%s)", names.get(i), names.get(j), diff(d), direction(d)));
            }
        }
    }

    private static void models(StudyRuns s, ObjectNode out, ArrayNode comps, ArrayNode verdicts) {
        List<Condition> cs = new ArrayList<>(s.conditions());
        cs.sort(java.util.Comparator.comparingLong(c -> Long.parseLong(c.labels().get("parameters"))));
        ArrayNode depth = out.putArray("by_relative_depth");
        for (Condition c : cs) {
            org.emergence.ie.RunSummary sum = s.summaryOf(c);
            int layers = Integer.parseInt(c.labels().get("layers"));
            for (org.emergence.ie.RunSummary.LayerE el : sum.results().eLayer()) {
                ObjectNode r = depth.addObject();
                r.put("model", c.labels().get("model"));
                r.put("layer", el.layer());
                r.put("relative_depth", (el.layer() + 0.5) / layers);
                putOrNull(r, "E", el.e().bits());
                putOrNull(r, "ci_low", el.e().ciLow());
                putOrNull(r, "ci_high", el.e().ciHigh());
            }
        }
        for (int i = 1; i < cs.size(); i++) {
            Estimated.Difference d = compare(s, comps, cs.get(i).labels().get("model") + " − " + cs.get(i - 1).labels().get("model"), cs.get(i),
                    cs.get(i - 1));
            verdicts.add(String.format(Locale.ROOT, "%s (%s parameters) vs %s (%s): %s (%s)", cs.get(i).labels().get("model"),
                    cs.get(i).labels().get("parameters"), cs.get(i - 1).labels().get("model"), cs.get(i - 1).labels().get("parameters"),
                    diff(d), direction(d)));
        }
        if (cs.size() > 2) {
            Estimated.Difference d = compare(s, comps, "largest − smallest", cs.get(cs.size() - 1), cs.get(0));
            verdicts.add(String.format(Locale.ROOT, "largest vs smallest model: %s (%s)", diff(d), direction(d)));
        }
    }

    private static void ablations(StudyRuns s, ArrayNode comps, ArrayNode verdicts) {
        Condition none = null;
        for (Condition c : s.conditions()) if (c.labels().get("ablation").equals("none")) none = c;
        for (Condition c : s.conditions()) {
            if (none == null || c == none) continue;
            Estimated.Difference d = compare(s, comps, c.labels().get("ablation") + " − none", c, none);
            verdicts.add(String.format(Locale.ROOT, "%s vs the model as it is: %s (%s)", c.labels().get("ablation"), diff(d), direction(d)));
        }
    }

    /** A value of a run's summary as it stands there: null where it was not estimated. */
    private static void putOrNull(ObjectNode o, String key, double v) {
        if (Double.isNaN(v)) o.putNull(key);
        else o.put(key, v);
    }
}
