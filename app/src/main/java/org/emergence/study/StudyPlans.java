package org.emergence.study;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.emergence.campaign.Condition;
import org.emergence.common.UserError;
import org.emergence.ie.RunRequest;
import org.emergence.model.ModelSources;

/**
 * What the kinds of study ({@link StudyKind}) share when they plan their conditions: labels, a condition as an ordinary
 * run request, a request prepared while planning (a refusal names the condition), list counts.
 */
final class StudyPlans {
    private StudyPlans() {}

    static Map<String, String> labels(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    /** A condition that runs {@code model} on {@code dataset} under STUDY_DIR/runs/NAME (T from the dataset). */
    static Condition run(StudyOptions o, String name, Map<String, String> labels, String model, String dataset, int n, long seed,
                         String ablate) {
        Path dir = o.out().resolve("runs").resolve(name);
        RunRequest r = o.base().with(model, dataset, seed, ablate, o.base().noise(), dir).withN(n, 0);
        return Condition.run(name, dataset, labels, r, dir);
    }

    static boolean causal(String model) {
        return ModelSources.load(model).config().causal();
    }

    /**
     * The smallest list size of an encoder's shots study at which every condition can be measured at the study's N:
     * the runs are separate, and a K with fewer distinct lists (orderings of K of the usable entities) than N would
     * be measured on fewer sequences — IE moves with N, so the comparison across K would mix the two. {@code kmin}
     * 0 (the default) starts at that K and notes what was left out; an explicit smaller {@code --kmin} is refused.
     */
    static int equalNKmin(StudyOptions o, String category, String variant, int usable, int kmin, int kmax, List<String> notes) {
        int n = (int) Math.min(o.base().n(), orderings(usable, kmax));
        int first = Math.max(1, kmin);
        int need = first;
        while (need < kmax && orderings(usable, need) < n) need++;
        if (kmin > 0 && need > kmin) {
            throw new UserError("study " + o.kind() + ": K = " + kmin + " has only " + orderings(usable, kmin) + " distinct lists of "
                    + usable + " " + category + " entities, fewer than --n " + n + "; every condition of a study is measured at the same "
                    + "N because IE moves with N: use --kmin " + need + " (the smallest K with at least " + n + " lists), --n "
                    + orderings(usable, kmin) + " or less, or leave --kmin out");
        }
        if (need > first) {
            notes.add(String.format(java.util.Locale.ROOT, "%s%s: K = %s left out: %s distinct lists, fewer than N = %d; every K is measured "
                    + "at N = %d (IE moves with N, so K measured on fewer sequences would not compare); --n %d or less includes K = %d",
                    category, variant.equals("long") ? " (long)" : "", range(first, need - 1), countsUpTo(usable, first, need - 1), n, n,
                    orderings(usable, first), first));
        }
        return need;
    }

    private static String range(int a, int b) {
        return a == b ? Integer.toString(a) : a + "–" + b;
    }

    private static String countsUpTo(int usable, int a, int b) {
        List<String> out = new ArrayList<>();
        for (int k = a; k <= b; k++) out.add(orderings(usable, k) + (a == b ? "" : " (K = " + k + ")"));
        return a == b ? "only " + out.get(0) : "only " + String.join(", ", out);
    }

    /** Prepares a request while planning; a refusal names the condition. */
    static RunRequest.Prepared prepare(String condition, RunRequest r) {
        try {
            return r.prepare("plan");
        } catch (UserError e) {
            throw new UserError("study, condition " + condition + ": " + e.getMessage(), e);
        }
    }

    static long orderings(int m, int k) {
        long r = 1;
        for (int i = 0; i < k && r < Long.MAX_VALUE / Math.max(1, m); i++) r *= Math.max(0, m - i);
        return r;
    }

    static int specials(String model) {
        try (var tok = ModelSources.tokenizer(model)) {
            return tok.specials().count();
        }
    }
}
