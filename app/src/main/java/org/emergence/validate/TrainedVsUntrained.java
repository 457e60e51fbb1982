package org.emergence.validate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.emergence.ie.Estimated;

/**
 * trained_vs_untrained (on the model's in-domain text) and trained_vs_untrained_icl (on the in-context data): IE of the
 * model above the same architecture with the Hugging Face initialisation, for every init seed.
 */
final class TrainedVsUntrained implements Control {
    /** The trained condition: "text" or "icl". */
    private final String condition;

    TrainedVsUntrained(String condition) {
        this.condition = condition;
    }

    @Override
    public String name() {
        return condition.equals("icl") ? "trained_vs_untrained_icl" : "trained_vs_untrained";
    }

    @Override
    public boolean applies(ValidationOptions o) {
        return !condition.equals("icl") || o.hasIcl();
    }

    @Override
    public List<String> plan(ValidationOptions o) {
        List<String> out = new ArrayList<>(List.of(condition));
        for (long s : o.initSeeds()) out.add(Evidence.untrained(condition, s));
        return out;
    }

    @Override
    public Verdict evaluate(Evidence e) {
        boolean icl = condition.equals("icl");
        String on = icl ? e.o().icl() : "the model's in-domain text";
        Verdict.Builder b = new Verdict.Builder(name(),
                "Does the trained model show more IE than the same architecture untrained, on " + on + "?",
                "PASS if IE(trained) − IE(untrained) > 0 with its 95% interval above 0, for every init seed"
                        + (icl ? " (meaningful where the model has the in-context skill: a model trained on stories has no reason to "
                        + "treat lists of animals as lists)" : ""));
        Estimated tr = e.ie(condition);
        boolean pass = true;
        List<Estimated> un = new ArrayList<>();
        for (long s : e.o().initSeeds()) {
            Estimated u = e.ie(Evidence.untrained(condition, s));
            un.add(u);
            Estimated.Difference d = Estimated.difference(tr, u, true);
            pass &= d.positive();
            b.detail("seed %d: IE %.3f vs %.3f bits, difference %s", s, tr.bits(), u.bits(), Verdict.bits(d.bits(), d.low(), d.high()));
        }
        Estimated.Difference d = Estimated.difference(tr, Estimated.mean(un), true);
        return b.done(String.format(Locale.ROOT, "IE %.3f vs %.3f bits (mean of %d untrained); difference %s", tr.bits(),
                Estimated.mean(un).bits(), un.size(), Verdict.bits(d.bits(), d.low(), d.high())), d.bits(), d.low(), d.high(), d.method(),
                pass);
    }
}
