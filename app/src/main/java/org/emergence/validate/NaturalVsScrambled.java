package org.emergence.validate;

import java.util.List;
import java.util.Locale;
import org.emergence.ie.Estimated;
import org.emergence.ie.RunSummary;

/**
 * natural_vs_within_shuffle and natural_vs_position_shuffle: natural text above the same windows with tokens shuffled
 * within each window, or with each position shuffled across windows (special tokens kept in place).
 */
final class NaturalVsScrambled implements Control {
    /** "within" or "position". */
    private final String how;

    NaturalVsScrambled(String how) {
        this.how = how;
    }

    @Override
    public String name() {
        return "natural_vs_" + how + "_shuffle";
    }

    @Override
    public List<String> plan(ValidationOptions o) {
        return List.of("text", "text-" + how);
    }

    @Override
    public Verdict evaluate(Evidence e) {
        Verdict.Builder b = new Verdict.Builder(name(),
                "Does natural text show more IE than the same windows with " + (how.equals("within")
                        ? "their tokens shuffled within each window?" : "each position shuffled across windows?"),
                "PASS if IE(natural) − IE(scrambled) > 0 with its 95% interval above 0");
        Estimated nat = e.ie("text"), scr = e.ie("text-" + how);
        Estimated.Difference d = e.r().pairedDifference("text", "text-" + how);
        b.detail("natural: %s; scrambled: %s", describe(e.summary("text")), describe(e.summary("text-" + how)));
        return b.done(String.format(Locale.ROOT, "IE %.3f vs %.3f bits; difference %s", nat.bits(), scr.bits(),
                Verdict.bits(d.bits(), d.low(), d.high())), d.bits(), d.low(), d.high(), d.method(), d.positive());
    }

    private static String describe(RunSummary s) {
        RunSummary.Val ie = s.ie();
        return String.format(Locale.ROOT, "IE %.3f bits, %.3f from constant-token positions", ie.bits(),
                ie.split() == null ? 0 : ie.split().constantBits());
    }
}
