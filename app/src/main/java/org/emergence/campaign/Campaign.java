package org.emergence.campaign;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.emergence.common.UserError;
import org.emergence.ie.RunRequest;
import org.emergence.ie.RunSummary;
import org.emergence.ie.RunSummaryJson;

/**
 * Runs a {@link Plan}: every condition that runs is an ordinary resumable run (a finished one is read, never
 * recomputed), in the plan's order; a condition with a {@code reference} is measured at that condition's layer noise
 * scale once its run has finished. {@link #check} refuses what cannot run before any run starts.
 */
public final class Campaign {
    private Campaign() {}

    /**
     * Prepares every condition that runs (model, tokenizer, dataset) without starting it; a refusal names the condition.
     * A reference scale is read when its run has finished, so the check prepares each condition without it. One prepared
     * run is held at a time (it holds its model).
     *
     * @return each runnable condition's tokens per sequence T, by name, in plan order
     */
    public static Map<String, Integer> check(Plan plan, String version) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (Condition c : plan.runs()) {
            try {
                out.put(c.name(), c.request().prepare(version).data().t());
            } catch (UserError e) {
                throw new UserError(plan.context() + ", condition " + c.name() + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    /**
     * Runs (or resumes) every condition of the plan, then reads each run's typed summary.
     *
     * @param onlyIeCells each run estimates only the cells its IE needs (the controls compare IEs)
     * @param log         progress lines
     */
    public static Results run(Plan plan, String version, boolean onlyIeCells, Consumer<String> log) throws IOException {
        List<Condition> runs = plan.runs();
        Map<String, RunSummary> summaries = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        int k = 0;
        for (Condition c : runs) {
            k++;
            double el = (System.nanoTime() - t0) / 1e9;
            String eta = k > 1 ? String.format(Locale.ROOT, " (about %.0f s left)", el / (k - 1) * (runs.size() - k + 1)) : "";
            log.accept(String.format(Locale.ROOT, "[%d/%d] %s: %s%s", k, runs.size(), c.name(), c.what(), eta));
            RunRequest r = c.reference() == null ? c.request() : c.request().withNoiseReference(plan.find(c.reference()).dir());
            RunRequest.Prepared p = r.prepare(version);
            (onlyIeCells ? p.onlyIeCells() : p).execute();
            summaries.put(c.name(), RunSummaryJson.read(c.dir().resolve("summary.json")));
        }
        return new Results(plan, summaries, (System.nanoTime() - t0) / 1e9);
    }
}
