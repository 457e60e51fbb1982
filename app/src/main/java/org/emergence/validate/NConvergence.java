package org.emergence.validate;

import java.util.Locale;
import org.emergence.ie.RunSummary;

/** n_convergence: IE at N/2 close to IE at N (the value is a property of the population, not of N). */
final class NConvergence implements Control {
    /** IE(N) − IE(N/2) may be at most this share of IE(N). */
    static final double TOLERANCE = 0.05;

    @Override
    public String name() {
        return "n_convergence";
    }

    @Override
    public Verdict evaluate(Evidence e) {
        Verdict.Builder b = new Verdict.Builder(name(),
                "Is IE a property of the population rather than of the number of sequences N?",
                String.format(Locale.ROOT, "PASS if |IE(N) − IE(N/2)| <= %.0f%% of |IE(N)| for every dataset (IE at N/2 and N/4: the "
                        + "same estimates on halves and quarters of the sequences)", 100 * TOLERANCE));
        boolean pass = true;
        double worst = 0;
        for (String c : new String[] {"icl", "text"}) {
            if (!e.has(c)) continue;
            RunSummary.Spread sp = e.summary(c).ie().spread();
            RunSummary.Convergence nc = sp == null ? null : sp.nConvergence();
            if (nc == null) {
                b.detail("%s: no replicates (run with --groups > 0)", c);
                pass = false;
                continue;
            }
            double q = nc.quarter(), h = nc.half(), f = nc.full();
            double rel = Math.abs(f - h) / Math.max(1e-12, Math.abs(f));
            worst = Math.max(worst, rel);
            pass &= rel <= TOLERANCE;
            b.detail("%s: IE(N/4) %.3f, IE(N/2) %.3f, IE(N) %.3f bits: last doubling %+.3f bits (%.1f%%)", c, q, h, f, f - h, 100 * rel);
        }
        return b.done(String.format(Locale.ROOT, "largest last-doubling change %.1f%%", 100 * worst), worst, Double.NaN, Double.NaN,
                "halves and quarters of the sequences (same noise draws)", pass);
    }
}
