package org.emergence.validate;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.emergence.ie.RunSummary;

/**
 * validate.json as a type: written and read by {@link ValidationJson} only; the command line and validate.html read
 * this record.
 *
 * @param measurement    the measurement of the main condition's run (its summary's words)
 * @param intervalMethod how that run's intervals are computed
 * @param conditions     every condition, in run order
 * @param controls       every control judged, in registry order
 * @param seconds        the time the runs took
 */
public record ValidationResult(String tool, String version, String model, String measurement, String intervalMethod, Settings settings,
                               List<ConditionRow> conditions, List<Verdict> controls, Tally summary, double seconds) {
    public ValidationResult {
        conditions = List.copyOf(conditions);
        controls = List.copyOf(controls);
    }

    /**
     * The validation's settings.
     *
     * @param textScale   the words for --text-scale (shared or own, with what it means)
     * @param runSettings the main condition's run settings, as its summary holds them
     */
    public record Settings(String icl, String text, int textTokens, String textScale, int n, long seed, long[] initSeeds,
                           double[] sigmaFactors, int replicates, JsonNode runSettings) {}

    /** One condition: its request (dataset, ablation, σ, seed), its run directory, and its run's IE as the summary has it. */
    public record ConditionRow(String name, String what, String runDir, String dataset, String ablation, double noise, long seed,
                               RunSummary.Val ie, String status) {}

    /** How many controls pass and fail. */
    public record Tally(int passed, int failed, int total) {}
}
