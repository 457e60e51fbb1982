package org.emergence.validate;

import java.util.List;
import java.util.Locale;
import org.emergence.ie.Estimated;

/** shift: the same text windows one token later give about the same IE. */
final class Shift implements Control {
    /** The shift may move IE by at most this share of its value. */
    static final double TOLERANCE = 0.10;

    @Override
    public String name() {
        return "shift";
    }

    @Override
    public List<String> plan(ValidationOptions o) {
        return List.of("text", "text-shift");
    }

    @Override
    public Verdict evaluate(Evidence e) {
        Verdict.Builder b = new Verdict.Builder(name(), "Do the same text windows one token later give about the same IE?",
                String.format(Locale.ROOT, "PASS if |IE(shifted) − IE(natural)| <= %.0f%% of IE(natural) or its 95%% interval contains 0",
                        100 * TOLERANCE));
        Estimated nat = e.ie("text"), sh = e.ie("text-shift");
        Estimated.Difference d = e.r().pairedDifference("text-shift", "text");
        boolean pass = Math.abs(d.bits()) <= TOLERANCE * Math.abs(nat.bits()) || d.containsZero();
        return b.done(String.format(Locale.ROOT, "IE %.3f (shifted) vs %.3f bits; difference %s", sh.bits(), nat.bits(),
                Verdict.bits(d.bits(), d.low(), d.high())), d.bits(), d.low(), d.high(), d.method(), pass);
    }
}
