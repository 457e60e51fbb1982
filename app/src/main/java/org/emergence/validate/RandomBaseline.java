package org.emergence.validate;

import java.util.List;
import java.util.Locale;
import org.emergence.ie.Estimated;

/** random_baseline: IE ≈ 0 when every block's input is i.i.d. noise. */
final class RandomBaseline implements Control {
    /** The random baseline may reach at most this share of the trained model's IE (or its interval must contain 0). */
    static final double TOLERANCE = 0.05;

    @Override
    public String name() {
        return "random_baseline";
    }

    @Override
    public List<String> plan(ValidationOptions o) {
        return List.of("random");
    }

    @Override
    public Verdict evaluate(Evidence e) {
        Verdict.Builder b = new Verdict.Builder(name(), "Is IE about 0 when every block's input is random noise?",
                String.format(Locale.ROOT, "PASS if the 95%% interval of IE(random) contains 0 or |IE(random)| <= %.0f%% of the trained "
                        + "model's largest IE on data where it shows the skill (the text; the in-context data where trained > untrained)",
                        100 * TOLERANCE));
        Estimated r = e.ie("random");
        double scale = 0;
        String scaleFrom = "none";
        for (String c : new String[] {"icl", "text"}) {
            if (!e.has(c) || (c.equals("icl") && !e.hasSkill(c))) continue;
            double v = Math.abs(e.ie(c).bits());
            if (v > scale) {
                scale = v;
                scaleFrom = c;
            }
        }
        boolean pass = (r.low() <= 0 && r.high() >= 0) || Math.abs(r.bits()) <= TOLERANCE * scale;
        b.detail("scale: IE(%s) = %.3f bits", scaleFrom, scale);
        return b.done(String.format(Locale.ROOT, "IE(random) %s bits", Verdict.bits(r.bits(), r.low(), r.high())), r.bits(), r.low(),
                r.high(), "the run's own interval", pass);
    }
}
