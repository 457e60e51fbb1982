package org.emergence.mi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small helpers to derive estimates (wrappers add diagnostics and warnings). */
public final class Estimates {
    private Estimates() {}

    /**
     * The estimate as an ordered map with stable keys (estimator, n, dx, dy, mi_nats, mi_bits, ci_low_nats,
     * ci_high_nats, ci_low_bits, ci_high_bits, interval_method, seconds, warnings, diagnostics): the
     * JSON form of {@code emergence mi --json} and of a run's est/*.json files.
     */
    public static Map<String, Object> toMap(Estimate e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("estimator", e.estimator());
        m.put("n", e.n());
        m.put("dx", e.dx());
        m.put("dy", e.dy());
        m.put("mi_nats", e.nats());
        m.put("mi_bits", e.bits());
        m.put("ci_low_nats", e.ciLowNats());
        m.put("ci_high_nats", e.ciHighNats());
        m.put("ci_low_bits", e.ciLowBits());
        m.put("ci_high_bits", e.ciHighBits());
        m.put("interval_method", e.intervalMethod());
        m.put("seconds", e.seconds());
        m.put("warnings", e.warnings());
        m.put("diagnostics", e.diagnostics());
        if (e.replicates() != null) {
            Replicates r = e.replicates();
            Map<String, Object> rm = new LinkedHashMap<>();
            rm.put("groups", r.groups());
            rm.put("leave_out_nats", r.leaveOutNats());
            rm.put("half_nats", r.halfNats());
            rm.put("quarter_nats", r.quarterNats());
            rm.put("mc_se_nats", r.mcSeNats());
            m.put("replicates", rm);
        }
        return m;
    }

    /**
     * The estimate {@link #toMap} wrote, read back: the inverse of {@code toMap} for the fields that define it (values,
     * intervals and replicates in nats; bits are derived from them, as {@link Estimate#bits()} derived the stored ones).
     *
     * @throws IllegalArgumentException naming what is missing or not finite (a damaged or foreign file)
     */
    public static Estimate fromJson(com.fasterxml.jackson.databind.JsonNode j) {
        if (j == null || !j.isObject()) throw new IllegalArgumentException("not a JSON object");
        for (String k : new String[] {"mi_bits", "ci_low_bits", "ci_high_bits", "mi_nats", "ci_low_nats", "ci_high_nats"}) {
            if (!j.path(k).isNumber() || !Double.isFinite(j.path(k).asDouble())) throw new IllegalArgumentException("has no finite " + k);
        }
        if (!j.path("estimator").isTextual() || !j.path("warnings").isArray()) {
            throw new IllegalArgumentException("lacks the estimator or warnings");
        }
        List<String> warnings = new ArrayList<>();
        for (com.fasterxml.jackson.databind.JsonNode w : j.get("warnings")) warnings.add(w.asText());
        Map<String, Object> diagnostics = new LinkedHashMap<>();
        com.fasterxml.jackson.databind.JsonNode d = j.get("diagnostics");
        if (d != null && d.isObject()) {
            d.fields().forEachRemaining(f -> diagnostics.put(f.getKey(), JSON.convertValue(f.getValue(), Object.class)));
        }
        return new Estimate(j.get("estimator").asText(), j.path("n").asInt(0), j.path("dx").asInt(0), j.path("dy").asInt(0),
                j.get("mi_nats").asDouble(), j.get("ci_low_nats").asDouble(), j.get("ci_high_nats").asDouble(),
                j.path("interval_method").asText(""), j.path("seconds").asDouble(0), List.copyOf(warnings),
                java.util.Collections.unmodifiableMap(diagnostics), replicatesOf(j));
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** The replicates as stored by {@link #toMap} (null when absent or malformed). */
    public static Replicates replicatesOf(com.fasterxml.jackson.databind.JsonNode j) {
        com.fasterxml.jackson.databind.JsonNode r = j.get("replicates");
        if (r == null || !r.isObject()) return null;
        double[] lo = doubles(r.get("leave_out_nats")), h = doubles(r.get("half_nats")), q = doubles(r.get("quarter_nats"));
        if (lo == null || h == null || q == null || lo.length < 2 || h.length != 2 || q.length != 4) return null;
        return new Replicates(lo, h, q, r.path("mc_se_nats").asDouble(0));
    }

    private static double[] doubles(com.fasterxml.jackson.databind.JsonNode a) {
        if (a == null || !a.isArray()) return null;
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) {
            if (!a.get(i).isNumber()) return null;
            v[i] = a.get(i).asDouble();
        }
        return v;
    }

    /**
     * A copy carrying replicates, with the interval widened to the total error: value ± t(G−1)·√(jackknife
     * variance + Monte Carlo variance).
     */
    public static Estimate withReplicates(Estimate e, Replicates r) {
        double half = Replicates.halfWidth(r.seNats(), r.groups());
        String method = "delete-a-group jackknife over " + r.groups() + " groups of rows (a fresh dataset draw) "
                + "combined with the estimator's own error (" + e.intervalMethod() + "), 95%, t(" + (r.groups() - 1) + ")";
        return new Estimate(e.estimator(), e.n(), e.dx(), e.dy(), e.nats(), e.nats() - half, e.nats() + half, method,
                e.seconds(), e.warnings(), e.diagnostics(), r);
    }

    /**
     * The mean of several estimates of one pair of samples (e.g. at several noise scales): the mean value, the
     * replicates averaged group by group (the estimates share the rows and their groups), the Monte Carlo errors
     * combined as independent, each estimate's value kept in the diagnostics ({@code key}_bits) and every warning
     * once. Diagnostics are the first estimate's.
     */
    public static Estimate mean(List<Estimate> es, String key) {
        Estimate f = es.get(0);
        int k = es.size();
        double v = 0, mcVar = 0, lowSq = 0, highSq = 0, secs = 0;
        List<Double> each = new ArrayList<>();
        List<String> w = new ArrayList<>();
        for (Estimate e : es) {
            v += e.nats() / k;
            secs += e.seconds();
            each.add(e.bits());
            lowSq += (e.nats() - e.ciLowNats()) * (e.nats() - e.ciLowNats()) / ((double) k * k);
            highSq += (e.ciHighNats() - e.nats()) * (e.ciHighNats() - e.nats()) / ((double) k * k);
            if (e.replicates() != null) mcVar += e.replicates().mcSeNats() * e.replicates().mcSeNats() / ((double) k * k);
            for (String s : e.warnings()) if (!w.contains(s)) w.add(s);
        }
        Map<String, Object> d = new LinkedHashMap<>(f.diagnostics());
        d.put(key + "_bits", each);
        Replicates r = null;
        if (es.stream().allMatch(e -> e.replicates() != null && e.replicates().groups() == f.replicates().groups())) {
            int g = f.replicates().groups();
            double[] lo = new double[g], h = new double[2], q = new double[4];
            for (Estimate e : es) {
                for (int i = 0; i < g; i++) lo[i] += e.replicates().leaveOutNats()[i] / k;
                for (int i = 0; i < 2; i++) h[i] += e.replicates().halfNats()[i] / k;
                for (int i = 0; i < 4; i++) q[i] += e.replicates().quarterNats()[i] / k;
            }
            r = new Replicates(lo, h, q, Math.sqrt(mcVar));
        }
        Estimate m = new Estimate(f.estimator(), f.n(), f.dx(), f.dy(), v, v - Math.sqrt(lowSq), v + Math.sqrt(highSq),
                "mean of " + k + " estimates; " + f.intervalMethod(), secs, List.copyOf(w), java.util.Collections.unmodifiableMap(d), null);
        return r == null ? m : withReplicates(m, r);
    }

    /** A copy with extra diagnostics (later keys win), extra warnings and the given total seconds. */
    public static Estimate with(Estimate e, Map<String, Object> extra, List<String> warnings, double seconds) {
        Map<String, Object> d = new LinkedHashMap<>(e.diagnostics());
        d.putAll(extra);
        List<String> w = new ArrayList<>(e.warnings());
        for (String s : warnings) if (!w.contains(s)) w.add(s);
        return new Estimate(e.estimator(), e.n(), e.dx(), e.dy(), e.nats(), e.ciLowNats(), e.ciHighNats(),
                e.intervalMethod(), seconds, List.copyOf(w), java.util.Collections.unmodifiableMap(d), e.replicates());
    }
}
