package org.emergence.validate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.emergence.ie.Estimated;

/** interval_calibration: the reported SE matches the spread of IE over fresh dataset draws ({@link Calibration}). */
final class IntervalCalibration implements Control {
    /** SE / replicate sd must lie within [1/this, this]. */
    static final double FACTOR = 1.5;

    @Override
    public String name() {
        return "interval_calibration";
    }

    /** The main condition and its fresh draws replicate-1 … replicate-R. */
    @Override
    public List<String> plan(ValidationOptions o) {
        List<String> names = new ArrayList<>();
        names.add(o.main());
        for (int k = 1; k <= o.replicates(); k++) names.add("replicate-" + k);
        return names;
    }

    @Override
    public Verdict evaluate(Evidence e) {
        Verdict.Builder b = new Verdict.Builder(name(),
                "Does the reported standard error match the spread of IE over fresh dataset draws?",
                String.format(Locale.ROOT, "PASS if SE / (sd of IE over the draws) lies within [1/%.1f, %.1f]", FACTOR, FACTOR));
        List<String> names = plan(e.o());
        double[] ies = new double[names.size()], ses = new double[names.size()];
        for (int i = 0; i < ies.length; i++) {
            Estimated x = e.ie(names.get(i));
            ies[i] = x.bits();
            ses[i] = x.se();
            b.detail("%s: IE %.4f bits, SE %.4f", names.get(i), x.bits(), x.se());
        }
        Calibration c = Calibration.of(ies, ses);
        int k = ies.length;
        b.detail("RMS SE %.4f, sd over %d draws %.4f; 90%% interval of the ratio from the χ² of the sd: [%.2f, %.2f]", c.se(), k, c.sd(),
                c.low(), c.high());
        boolean pass = c.ratio() >= 1 / FACTOR && c.ratio() <= FACTOR;
        return b.done(String.format(Locale.ROOT, "SE / sd = %.2f, 90%% interval [%.2f, %.2f] (RMS SE %.4f, sd %.4f over %d draws)", c.ratio(),
                c.low(), c.high(), c.se(), c.sd(), k),
                c.ratio(), c.low(), c.high(),
                "ratio of the root-mean-square SE to the sample sd of IE over independent draws", pass);
    }
}
