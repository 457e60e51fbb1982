package org.emergence.study;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.emergence.ie.Estimated;
import org.emergence.ie.RunSummary;

/**
 * A study's finished conditions as its analysis sees them ({@link StudyAnalysis}): the options, the conditions, each
 * condition's run summary and size, and paired differences. {@link Study} runs the conditions and implements it.
 */
interface StudyRuns {
    StudyOptions options();

    List<Condition> conditions();

    /** The run a condition's numbers come from. */
    RunSummary summaryOf(Condition c);

    /** a − b with the right pairing (paired when both were measured on the same sequences with the same groups). */
    Estimated.Difference difference(Condition a, Condition b);

    /** A condition's IE as it enters comparisons (its run's, or derived from its prefix run's). */
    Estimated ie(Condition c);

    /** The condition of that name. */
    Condition find(String name);

    /** The number of sequences a condition's numbers rest on. */
    int n(Condition c);

    /** A number, or null when it is not finite. */
    static void put(ObjectNode o, String k, double v) {
        if (Double.isFinite(v)) o.put(k, v);
        else o.putNull(k);
    }
}
