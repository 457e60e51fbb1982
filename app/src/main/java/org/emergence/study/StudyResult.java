package org.emergence.study;

import java.util.List;
import java.util.Map;
import org.emergence.ie.RunSummary;

/**
 * study.json as a type: written and read by {@link StudyJson} only; the command line, study.html and the charts read
 * this record. What a kind does not make is null ({@code byShots} outside shots and errors, {@code byRelativeDepth}
 * outside models; {@code errorVsIeSpread} unless an errors study had enough points).
 */
public record StudyResult(String tool, String version, String kind, PlanInfo plan, String measurement, String intervalMethod,
                          List<ConditionRow> conditions, List<Comparison> comparisons, List<String> verdicts, List<ShotsRow> byShots,
                          List<DepthRow> byRelativeDepth, Correlation errorVsIeSpread, List<String> notes) {
    public StudyResult {
        conditions = List.copyOf(conditions);
        comparisons = List.copyOf(comparisons);
        verdicts = List.copyOf(verdicts);
        byShots = byShots == null ? null : List.copyOf(byShots);
        byRelativeDepth = byRelativeDepth == null ? null : List.copyOf(byRelativeDepth);
        notes = List.copyOf(notes);
    }

    /**
     * What was planned. {@code categories}, {@code kmin}, {@code kmax} (and {@code preset}, {@code longSep} when set) belong
     * to shots and errors studies, {@code textScale} to texts studies; null where the kind has none.
     */
    public record PlanInfo(List<String> models, int n, long seed, int replicates, List<String> categories, Integer kmin, Integer kmax,
                           String preset, String longSep, String textScale) {
        /** The plan every kind writes. */
        public static PlanInfo basic(StudyOptions o) {
            return new PlanInfo(o.models(), o.base().n(), o.base().seed(), o.replicates(), null, null, null, null, null, null);
        }
    }

    /**
     * One condition: its labels, dataset, run (or the run it is read from, up to {@code lastPosition}), N, its IE as it enters
     * comparisons, and for a condition that ran, its run's IE as the summary has it ({@code summaryIe}, else null).
     */
    public record ConditionRow(String name, Map<String, String> labels, String dataset, String runDir, int n, String readFrom,
                               int lastPosition, double bits, double ciLow, double ciHigh, double se, RunSummary.Val summaryIe) {}

    /** a − b with its interval, the test and the direction the interval supports. */
    public record Comparison(String label, String a, String b, int nA, int nB, double bits, double ciLow, double ciHigh, double se,
                             String method, String test, String direction) {}

    /** shots and errors: IE per (series, K) over replicates, with the next-token outcome in an errors study (else null). */
    public record ShotsRow(String series, String category, String variant, int shots, int replicates, double ieMean, double ieSe,
                           double ieSd, double[] ieReplicates, NextTokens nextToken) {}

    /** The model's next-token outcomes after the lists (shares of {@code lists}) and the error rate's Wilson interval. */
    public record NextTokens(int lists, double correct, double repetition, double wrongCategory, double other, double errorRate,
                             double errorRateCiLow, double errorRateCiHigh, String interval) {}

    /** models: E(l) of every model against relative depth. */
    public record DepthRow(String model, int layer, double relativeDepth, double e, double ciLow, double ciHigh) {}

    /** errors: correlation of the error rate with the spread of IE over replicates. */
    public record Correlation(int points, double r, double ciLow, double ciHigh, String method) {}
}
