package org.emergence.validate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.emergence.ie.Estimated;

/** sigma_robustness: every pair of the controls keeps its ordering, significantly, across the σ range. */
final class SigmaRobustness implements Control {
    @Override
    public String name() {
        return "sigma_robustness";
    }

    /** The conditions of the pairs at σ × 1 (prefix "") and at every factor. */
    @Override
    public List<String> plan(ValidationOptions o) {
        long s0 = o.initSeeds()[0];
        List<String> out = new ArrayList<>();
        for (String p : prefixes(o)) {
            if (o.hasIcl()) out.addAll(List.of(p + "icl", p + Evidence.untrained("icl", s0)));
            out.addAll(List.of(p + "text", p + Evidence.untrained("text", s0), p + "text-within", p + "text-position"));
        }
        return out;
    }

    private static List<String> prefixes(ValidationOptions o) {
        List<String> prefixes = new ArrayList<>();
        prefixes.add("");
        for (double f : o.sigmaFactors()) prefixes.add(ValidationConditions.sigmaPrefix(f));
        return prefixes;
    }

    @Override
    public Verdict evaluate(Evidence e) {
        Verdict.Builder b = new Verdict.Builder(name(),
                "Does every control pair keep its ordering across the noise range?",
                "PASS if trained > untrained on the text and natural > both scrambles, each with its 95% interval above 0, at every σ "
                        + "(trained − untrained on the in-context data reported beside)");
        ValidationOptions o = e.o();
        long s0 = o.initSeeds()[0];
        boolean pass = true;
        double worstLow = Double.POSITIVE_INFINITY;
        for (String p : prefixes(o)) {
            double f = p.isEmpty() ? 1 : Double.parseDouble(p.substring(6, p.length() - 1));
            Estimated.Difference tu = o.hasIcl() ? e.r().pairedDifference(p + "icl", p + Evidence.untrained("icl", s0))
                    : new Estimated.Difference(Double.NaN, Double.NaN, Double.NaN, Double.NaN, "no in-context data");
            Estimated.Difference tt = e.r().pairedDifference(p + "text", p + Evidence.untrained("text", s0));
            Estimated.Difference nw = e.r().pairedDifference(p + "text", p + "text-within");
            Estimated.Difference np = e.r().pairedDifference(p + "text", p + "text-position");
            pass &= tt.positive() && nw.positive() && np.positive();
            worstLow = Math.min(worstLow, Math.min(tt.low(), Math.min(nw.low(), np.low())));
            b.detail("σ × %s (σ = %s): trained − untrained on text %s (in-context data %s), natural − within %s, natural − position %s",
                    ValidationConditions.trim(f), ValidationConditions.trim(o.base().noise() * f), Verdict.bits(tt.bits(), tt.low(), tt.high()),
                    Verdict.bits(tu.bits(), tu.low(), tu.high()), Verdict.bits(nw.bits(), nw.low(), nw.high()),
                    Verdict.bits(np.bits(), np.low(), np.high()));
        }
        return b.done(String.format(Locale.ROOT, "lowest interval bound of any pair at any σ: %+.3f bits", worstLow), worstLow,
                Double.NaN, Double.NaN, "paired jackknife at each σ", pass);
    }
}
