package org.emergence.ie;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a finished (or interrupted) run produced, locally ({@link EmergenceRun}) or assembled from cells computed
 * elsewhere ({@link RunAssembly#assemble}).
 *
 * @param runDir    the run directory
 * @param summary   its summary.json
 * @param estimates every finished estimate of the run, by file name
 */
public record RunOutcome(Path runDir, JsonNode summary, Map<String, EstimateFile> estimates) {
    /**
     * The summary as a typed value: IE, IE(t), E(l), E(l, t) and the MI cells with their intervals, the twins, the
     * settings (the layout of docs/outputs.md, read by {@code RunSummaryJson}).
     */
    public RunSummary result() {
        return RunSummaryJson.of(summary, runDir.resolve("summary.json").toString());
    }
}
