package org.emergence.study;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.emergence.campaign.Condition;
import org.emergence.campaign.Results;
import org.emergence.ie.Estimated;

/**
 * What a study's analysis finds, gathered as it goes: the comparisons with their intervals and tests, the verdict lines
 * (worded no more confidently than the intervals allow: a difference is "up" or "down" only when its 95% interval
 * excludes 0, and otherwise "no detectable difference"), and the kind's tables.
 */
final class Findings {
    final List<StudyResult.Comparison> comparisons = new ArrayList<>();
    final List<String> verdicts = new ArrayList<>();
    /** shots and errors: IE per (series, K); null for other kinds. */
    List<StudyResult.ShotsRow> byShots;
    /** models: E(l) against relative depth; null for other kinds. */
    List<StudyResult.DepthRow> byRelativeDepth;
    /** errors: the error rate against the spread of IE, or null. */
    StudyResult.Correlation errorVsIeSpread;

    /** Adds a comparison a − b (paired when both were measured on the same sequences) and returns its difference. */
    Estimated.Difference compare(Results r, String label, Condition a, Condition b) {
        Estimated.Difference d = r.difference(a, b);
        comparisons.add(new StudyResult.Comparison(label + unequalN(r, a, b), a.name(), b.name(), r.n(a), r.n(b), d.bits(), d.low(),
                d.high(), d.se(), d.method(), "95% interval of the difference; it differs from 0 at the 5% level when the interval excludes 0",
                direction(d)));
        return d;
    }

    void verdict(String fmt, Object... args) {
        verdicts.add(String.format(Locale.ROOT, fmt, args));
    }

    /** " [UNEQUAL N: 1000 vs 39]" when the two conditions rest on different numbers of sequences, else "". */
    static String unequalN(Results r, Condition a, Condition b) {
        return r.n(a) == r.n(b) ? "" : " [UNEQUAL N: " + r.n(a) + " vs " + r.n(b) + "]";
    }

    static String direction(Estimated.Difference d) {
        return d.low() > 0 ? "up" : d.high() < 0 ? "down" : "no detectable difference";
    }

    static String diff(Estimated.Difference d) {
        return String.format(Locale.ROOT, "%+.3f [%+.3f, %+.3f] bits", d.bits(), d.low(), d.high());
    }
}
