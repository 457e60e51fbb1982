package org.emergence.study;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.emergence.campaign.Condition;
import org.emergence.campaign.Results;
import org.emergence.common.UserError;
import org.emergence.data.IclDataset;
import org.emergence.ie.Estimated;
import org.emergence.ie.RunRequest;

/**
 * study shots (IE against the number of items K in a list, per category) and study errors (the same, with the model's
 * next-token errors after each list and their link to the spread of IE over replicates). A causal model's k-item lists
 * are read from the longest run's position after item k; every other K is its own run, all at the same N.
 */
final class ShotsStudy implements StudyKind {
    /** The paper's list sizes: category, entities, shots (N = all orderings). */
    static final Object[][] PAPER = {{"country", 25, 4}, {"animal", 16, 5}, {"color", 15, 5}};

    private final boolean errors;

    /** @param errors the errors study: next-token errors besides IE, four replicates by default */
    ShotsStudy(boolean errors) {
        this.errors = errors;
    }

    @Override
    public String name() {
        return errors ? "errors" : "shots";
    }

    @Override
    public List<String> defaultModels(String series) {
        return List.of(errors ? "tinylm" : RunRequest.DEFAULT_MODEL);
    }

    @Override
    public List<Condition> plan(StudyOptions o, List<String> notes, Consumer<String> log) {
        String model = o.models().get(0);
        // a causal model's k-item lists are read from the longest run's position after item k — unless the measurement
        // is relative to untrained twins, whose runs estimate only their own IE cells (the last position): then every K
        // is its own run
        boolean causal = StudyPlans.causal(model);
        boolean derive = causal && o.base().nullTwins() == 0;
        if (errors && !causal) {
            throw new UserError("study errors: " + model + " is an encoder; next-token errors need a causal language model (e.g. tinylm)");
        }
        Map<String, List<String>> cats = IclDataset.categories();
        List<Condition> out = new ArrayList<>();
        List<Object[]> plan = new ArrayList<>();
        if ("paper".equals(o.preset())) {
            for (Object[] p : PAPER) plan.add(new Object[] {p[0], p[1], 1, p[2]});
        } else {
            for (String c : o.categories()) {
                if (!cats.containsKey(c)) {
                    throw new UserError("study " + o.kind() + ": unknown category '" + c + "' (known: " + String.join(", ", cats.keySet()) + ")");
                }
                plan.add(new Object[] {c, 0, o.kmin(), o.kmax()});
            }
        }
        List<String> variants = new ArrayList<>(List.of("short"));
        if (o.longSep() != null) variants.add("long");
        for (Object[] p : plan) {
            String c = (String) p[0];
            int entities = (Integer) p[1], kmin = (Integer) p[2], kmax = (Integer) p[3];
            for (String v : variants) {
                String sep = v.equals("long") ? ":sep=" + o.longSep() : "";
                String ent = entities > 0 ? ":entities=" + entities : "";
                int usable = entities;
                if (usable == 0) {
                    Object kept = StudyPlans.prepare(name(c, v, kmax, 0), StudyPlans.run(o, "probe", Map.of(), model, "icl:" + c + ":shots="
                            + kmax + sep, 2, 0, "none").request()).data().details().get("entities_kept"); // a 2-sequence probe (N >= 2)
                    usable = kept instanceof Number num ? num.intValue() : Integer.MAX_VALUE;
                }
                if (entities == 0 && !derive) kmin = StudyPlans.equalNKmin(o, c, v, usable, kmin, kmax, notes);
                kmin = Math.max(1, kmin); // a causal model reads every K from the longest run: all at its N
                for (int rep = 0; rep < o.replicates(); rep++) {
                    long seed = o.base().seed() + rep;
                    int n = entities > 0 ? (int) StudyPlans.orderings(entities, kmax)
                            : (int) Math.min(o.base().n(), StudyPlans.orderings(usable, kmax));
                    String top = name(c, v, kmax, rep);
                    Condition longest = StudyPlans.run(o, top, StudyPlans.labels("category", c, "variant", v, "shots", "" + kmax,
                            "replicate", "" + rep), model, "icl:" + c + ":shots=" + kmax + sep + ent, n, seed, "none");
                    for (int k = kmin; k < kmax; k++) {
                        Map<String, String> lab = StudyPlans.labels("category", c, "variant", v, "shots", "" + k, "replicate", "" + rep);
                        String spec = "icl:" + c + ":shots=" + k + sep + ent;
                        if (derive) {
                            // a causal model's state at the end of the first k items does not depend on the rest:
                            // the k-item lists are the prefixes of the longest ones, read from that run
                            int t = StudyPlans.prepare(name(c, v, k, rep), longest.request().withDataset(spec).withN(2, 0)).data().t();
                            out.add(Condition.prefix(name(c, v, k, rep), lab, longest.request().withDataset(spec), longest.dir(), top, t - 1));
                        } else {
                            // the paper's preset measures every ordering, so its short lists have fewer sequences than
                            // the longest (said on stdout, in study.csv and study.html); otherwise every K reaches N
                            int nk = (int) Math.min(n, StudyPlans.orderings(usable, k));
                            out.add(StudyPlans.run(o, name(c, v, k, rep), lab, model, spec, nk, seed, "none"));
                        }
                    }
                    out.add(longest);
                }
            }
        }
        return out;
    }

    private static String name(String c, String variant, int k, int rep) {
        return c + (variant.equals("long") ? "-long" : "") + "-k" + k + "-r" + rep;
    }

    @Override
    public StudyResult.PlanInfo planInfo(StudyOptions o, List<Condition> conditions) {
        StudyResult.PlanInfo p = StudyResult.PlanInfo.basic(o);
        return new StudyResult.PlanInfo(p.models(), p.n(), p.seed(), p.replicates(), o.categories(), o.kmin(), o.kmax(), o.preset(),
                o.longSep(), null);
    }

    @Override
    public void analyse(StudyOptions o, Results s, Findings f) {
        Map<String, List<Condition>> series = new LinkedHashMap<>();
        for (Condition c : s.conditions()) {
            String key = c.labels().get("category") + "/" + c.labels().get("variant");
            series.computeIfAbsent(key, k -> new ArrayList<>()).add(c);
        }
        f.byShots = new ArrayList<>();
        ErrorScorer scorer = errors ? new ErrorScorer(o.models().get(0), s) : null;
        List<double[]> corrPoints = new ArrayList<>();
        for (var e : series.entrySet()) {
            List<Condition> cs = e.getValue();
            int kmin = cs.stream().mapToInt(ShotsStudy::k).min().orElse(1), kmax = cs.stream().mapToInt(ShotsStudy::k).max().orElse(1);
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
                StudyResult.NextTokens next = null;
                if (scorer != null) {
                    ErrorScorer.Rates r = scorer.rates(reps);
                    next = r.typed();
                    if (Double.isFinite(sd)) corrPoints.add(new double[] {r.errorRate(), sd, mean});
                }
                f.byShots.add(new StudyResult.ShotsRow(e.getKey(), cs.get(0).labels().get("category"), cs.get(0).labels().get("variant"), k,
                        reps.size(), mean, Math.sqrt(se2), sd, reps.stream().mapToDouble(c -> s.ie(c).bits()).toArray(), next));
            }
            // steps K−1 → K, and the whole range, on the first replicate
            List<Integer> up = new ArrayList<>(), down = new ArrayList<>(), flat = new ArrayList<>();
            for (int k = kmin + 1; k <= kmax; k++) {
                if (!rep0.containsKey(k) || !rep0.containsKey(k - 1)) continue;
                Estimated.Difference d = f.compare(s, e.getKey() + ": IE(K=" + k + ") − IE(K=" + (k - 1) + ")", rep0.get(k), rep0.get(k - 1));
                (d.low() > 0 ? up : d.high() < 0 ? down : flat).add(k);
            }
            if (rep0.containsKey(kmin) && rep0.containsKey(kmax) && kmax > kmin) {
                Estimated.Difference d = f.compare(s, e.getKey() + ": IE(K=" + kmax + ") − IE(K=" + kmin + ")", rep0.get(kmax), rep0.get(kmin));
                int lastUp = up.isEmpty() ? -1 : up.get(up.size() - 1);
                f.verdict("%s: IE %s from K = %d to K = %d: %s; steps up at K = %s, down at K = %s, no detectable change at K = %s%s",
                        e.getKey(), d.low() > 0 ? "rises" : d.high() < 0 ? "falls" : "shows no detectable change", kmin, kmax,
                        Findings.diff(d) + Findings.unequalN(s, rep0.get(kmax), rep0.get(kmin)), list(up), list(down), list(flat),
                        lastUp > 0 && lastUp < kmax ? "; no significant rise after K = " + lastUp : "");
            }
        }
        if (scorer != null && corrPoints.size() >= 4) {
            double[] er = corrPoints.stream().mapToDouble(p -> p[0]).toArray(), sd = corrPoints.stream().mapToDouble(p -> p[1]).toArray();
            double[] r = pearson(er, sd);
            f.errorVsIeSpread = new StudyResult.Correlation(er.length, r[0], r[1], r[2], "Pearson correlation across (series, K) points of "
                    + "the error rate and the sd of IE over replicates; 95% interval by Fisher's z (an approximation for few points)");
            f.verdict("error rate vs spread of IE across replicates: r = %.2f [%.2f, %.2f] over %d points (%s)", r[0], r[1], r[2], er.length,
                    r[1] > 0 ? "positive" : r[2] < 0 ? "negative" : "no detectable correlation");
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

    /** The charts over K, by file name. */
    @Override
    public Map<String, StudyChart> charts(StudyResult s) {
        Map<String, StudyChart> out = new LinkedHashMap<>();
        Map<String, List<double[]>> ie = new LinkedHashMap<>(), sd = new LinkedHashMap<>(), err = new LinkedHashMap<>();
        for (StudyResult.ShotsRow r : s.byShots() == null ? List.<StudyResult.ShotsRow>of() : s.byShots()) {
            String key = r.series();
            double m = r.ieMean(), se = Double.isNaN(r.ieSe()) ? 0 : r.ieSe();
            ie.computeIfAbsent(key, k -> new ArrayList<>()).add(new double[] {r.shots(), m, m - 1.96 * se, m + 1.96 * se});
            if (Double.isFinite(r.ieSd())) {
                double v = r.ieSd();
                sd.computeIfAbsent(key, k -> new ArrayList<>()).add(new double[] {r.shots(), v, v, v});
            }
            StudyResult.NextTokens nt = r.nextToken();
            if (nt != null) {
                err.computeIfAbsent(key, k -> new ArrayList<>()).add(new double[] {r.shots(), nt.errorRate(), nt.errorRateCiLow(),
                    nt.errorRateCiHigh()});
            }
        }
        out.put("ie_shots.png", new StudyChart.Series("IE against the number of items K (95% intervals)", "items in the list (K)", "IE (bits)", ie,
                false, true));
        if (!sd.isEmpty()) {
            out.put("ie_spread_shots.png", new StudyChart.Series("Spread of IE over replicates", "items in the list (K)", "sd of IE (bits)", sd,
                    false, true));
        }
        if (!err.isEmpty()) {
            out.put("errors_shots.png", new StudyChart.Series("Next-token error rate after the list (95% intervals)", "items in the list (K)",
                    "error rate", err, false, true));
        }
        return out;
    }
}
