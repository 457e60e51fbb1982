package org.emergence.mi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small helpers to derive estimates (wrappers add diagnostics and warnings). */
public final class Estimates {
    private Estimates() {}

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
