package org.emergence.campaign;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.emergence.data.Npy;
import org.emergence.ie.Estimated;
import org.emergence.ie.RunSummary;

/**
 * A finished campaign as its evaluation sees it: the plan, each run's typed summary, each condition's IE (its run's, or
 * for a condition read from a longer run, IE averaged over that run's aggregated positions up to its last one), and
 * differences between conditions with their pairing.
 *
 * @param seconds the time the runs took (resumed runs count as read)
 */
public record Results(Plan plan, Map<String, RunSummary> summaries, double seconds) {
    public Results {
        summaries = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(summaries));
    }

    public List<Condition> conditions() {
        return plan.conditions();
    }

    public Condition find(String name) {
        return plan.find(name);
    }

    /** Whether condition {@code name} was run (or read) in this campaign. */
    public boolean has(String name) {
        return plan.has(name) && summaryOf(plan.find(name)) != null;
    }

    /** The run a condition's numbers come from (for a derived condition, the longer run's). */
    public RunSummary summaryOf(Condition c) {
        return summaries.get(c.derived() ? c.prefixOf() : c.name());
    }

    /** The run summary of the condition of that name. */
    public RunSummary summary(String name) {
        return summaryOf(plan.find(name));
    }

    /** A condition's IE as it enters comparisons. */
    public Estimated ie(Condition c) {
        return c.derived() ? prefixIe(c) : summaries.get(c.name()).ie().estimated();
    }

    /** The IE of the condition of that name. */
    public Estimated ie(String name) {
        return ie(plan.find(name));
    }

    /** The number of sequences a condition's numbers rest on. */
    public int n(Condition c) {
        RunSummary s = summaryOf(c);
        return s.dataset().n() == null ? 0 : s.dataset().n().intValue();
    }

    /** IE of a shorter list read from the longest list's run: IE(t) averaged over its aggregated positions up to t. */
    private Estimated prefixIe(Condition c) {
        RunSummary s = summaries.get(c.prefixOf());
        List<Estimated> parts = new ArrayList<>();
        String positions = Objects.toString(s.settings().positions(), "");
        boolean[] constant = s.axes().constant();
        RunSummary.Val[] ieT = s.results().ieT();
        for (int t = 0; t <= c.position(); t++) {
            boolean take = switch (positions) {
                case "last" -> t == c.position();
                case "varying" -> !(constant != null && t < constant.length && constant[t]);
                default -> true;
            };
            if (take) parts.add(at(ieT, t).estimated());
        }
        if (parts.isEmpty()) parts.add(at(ieT, c.position()).estimated());
        return Estimated.mean(parts);
    }

    /** Cell i of a row, missing outside it. */
    public static RunSummary.Val at(RunSummary.Val[] row, int i) {
        return i >= 0 && i < row.length ? row[i] : RunSummary.Val.MISSING;
    }

    /**
     * Whether two conditions were measured on the same sequences with the same groups, so that their difference is
     * resampled group by group (paired): the same run (a causal model's prefixes), the same token ids (ablations of one
     * model, models sharing a tokenizer), or a row-by-row scramble of them.
     */
    public boolean samePairs(Condition a, Condition b) {
        Condition ra = a.derived() ? find(a.prefixOf()) : a, rb = b.derived() ? find(b.prefixOf()) : b;
        if (ra == rb) return true;
        RunSummary sa = summaries.get(ra.name()), sb = summaries.get(rb.name());
        if (seed(sa) != seed(sb) || n(ra) != n(rb)) return false;
        String da = Objects.toString(sa.dataset().spec(), ""), db = Objects.toString(sb.dataset().spec(), "");
        if (da.replaceAll(":scramble=[a-z]+", "").equals(db.replaceAll(":scramble=[a-z]+", "")) && !da.equals(db)) return true;
        Path ta = ra.dir().resolve("tokens.npy"), tb = rb.dir().resolve("tokens.npy");
        if (!Files.isRegularFile(ta) || !Files.isRegularFile(tb)) return false;
        return java.util.Arrays.equals(Npy.readLongs(ta, Npy.header(ta)), Npy.readLongs(tb, Npy.header(tb)));
    }

    private static long seed(RunSummary s) {
        return s.settings().seed() == null ? 0 : s.settings().seed();
    }

    /** a − b, paired when both were measured on the same sequences with the same groups ({@link #samePairs}). */
    public Estimated.Difference difference(Condition a, Condition b) {
        return Estimated.difference(ie(a), ie(b), samePairs(a, b));
    }

    /** a − b of two conditions the plan measures on the same sequences by construction (paired). */
    public Estimated.Difference pairedDifference(String a, String b) {
        return Estimated.difference(ie(a), ie(b), true);
    }
}
