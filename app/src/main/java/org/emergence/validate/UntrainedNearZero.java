package org.emergence.validate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.emergence.ie.Estimated;

/** untrained_near_zero: an untrained twin has no semantics to extract, so its IE should be about 0. */
final class UntrainedNearZero implements Control {
    /** An untrained twin's IE may reach at most this share of the trained model's. */
    static final double TOLERANCE = 0.10;

    @Override
    public String name() {
        return "untrained_near_zero";
    }

    @Override
    public List<String> plan(ValidationOptions o) {
        List<String> out = new ArrayList<>();
        for (String c : o.hasIcl() ? new String[] {"icl", "text"} : new String[] {"text"}) {
            out.add(c);
            for (long s : o.initSeeds()) out.add(Evidence.untrained(c, s));
        }
        return out;
    }

    @Override
    public Verdict evaluate(Evidence e) {
        Verdict.Builder b = new Verdict.Builder(name(),
                "Is the IE of an untrained twin (no semantics to extract) about 0?",
                String.format(Locale.ROOT, "PASS if |IE(untrained)| <= %.0f%% of |IE(trained)| for every init seed, on the text and on "
                        + "the in-context data where the model shows the skill (trained > untrained there; otherwise reported, not "
                        + "judged)", 100 * TOLERANCE));
        boolean pass = true;
        double worst = 0;
        for (String c : new String[] {"icl", "text"}) {
            if (!e.has(c)) continue;
            Estimated tr = e.ie(c);
            boolean judged = !c.equals("icl") || e.hasSkill(c);
            for (long s : e.o().initSeeds()) {
                Estimated u = e.ie(Evidence.untrained(c, s));
                double share = Math.abs(u.bits()) / Math.max(1e-12, Math.abs(tr.bits()));
                if (judged) {
                    worst = Math.max(worst, share);
                    pass &= share <= TOLERANCE;
                }
                b.detail("%s, seed %d: IE(untrained) %s vs IE(trained) %.3f bits (%.0f%%)%s", c, s, Verdict.bits(u.bits(), u.low(), u.high()),
                        tr.bits(), 100 * share, judged ? "" : " (not judged: the model shows no in-context skill)");
            }
        }
        return b.done(String.format(Locale.ROOT, "largest |IE(untrained)| / |IE(trained)|: %.0f%%", 100 * worst), worst, Double.NaN,
                Double.NaN, "each untrained run's own interval", pass);
    }
}
