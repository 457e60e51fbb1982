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
        return m;
    }

    /** A copy with extra diagnostics (later keys win), extra warnings and the given total seconds. */
    public static Estimate with(Estimate e, Map<String, Object> extra, List<String> warnings, double seconds) {
        Map<String, Object> d = new LinkedHashMap<>(e.diagnostics());
        d.putAll(extra);
        List<String> w = new ArrayList<>(e.warnings());
        for (String s : warnings) if (!w.contains(s)) w.add(s);
        return new Estimate(e.estimator(), e.n(), e.dx(), e.dy(), e.nats(), e.ciLowNats(), e.ciHighNats(),
                e.intervalMethod(), seconds, List.copyOf(w), java.util.Collections.unmodifiableMap(d));
    }
}
