package org.emergence.validate;

import java.util.Locale;

/**
 * micro_resolution: how many micro MIs at positions whose token varies sit within 5% of their entropy bound (the
 * mixture's warning): there the micro term is a number the dataset sets (the entropy of the tokens), not a property of
 * the model. Counted in the in-context and the text run, where they ran.
 */
final class MicroResolution implements Control {
    /** At most this share of the micro MIs at positions whose token varies may sit at their entropy bound. */
    static final double SHARE = 0.10;

    @Override
    public String name() {
        return "micro_resolution";
    }

    @Override
    public Verdict evaluate(Evidence e) {
        Verdict.Builder b = new Verdict.Builder(name(),
                "Does the micro term measure the model rather than the dataset (not at the entropy of the tokens)?",
                String.format(Locale.ROOT, "PASS if at most %.0f%% of the micro MIs at positions whose token varies are within 5%% of "
                        + "their entropy bound, in the in-context and the text run", 100 * SHARE));
        int at = 0, total = 0;
        for (String c : new String[] {"icl", "text"}) {
            if (!e.has(c)) continue;
            int[] k = MicroBound.count(e.r().find(c).dir(), e.summary(c));
            at += k[0];
            total += k[1];
            b.detail("%s: %d of %d varying-position micro MIs at their entropy bound", c, k[0], k[1]);
        }
        double share = total == 0 ? 0 : at / (double) total;
        return b.done(String.format(Locale.ROOT, "%d of %d (%.0f%%) at the bound", at, total, 100 * share), share, Double.NaN, Double.NaN,
                "the mixture's entropy-bound check of each estimate", share <= SHARE);
    }
}
