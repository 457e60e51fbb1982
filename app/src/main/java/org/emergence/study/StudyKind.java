package org.emergence.study;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.emergence.campaign.Condition;
import org.emergence.campaign.Results;

/**
 * One kind of study (shots, errors, texts, models, ablations): its conditions, its comparisons and verdicts, what its
 * plan records and its charts. Every kind is one class, listed once in {@link StudyKinds}.
 */
public interface StudyKind {
    /** The kind's name ({@code emergence study NAME}, study.json's kind). */
    String name();

    /**
     * The models measured when the command line names none.
     *
     * @param series --series (size or training), or null
     */
    List<String> defaultModels(String series);

    /**
     * The conditions, in run order; {@code notes} receives what the plan had to decide that a reader must know (e.g. the
     * list sizes left out because they have fewer distinct lists than N). May write inputs the conditions read
     * (e.g. generated text) under the study's directory.
     */
    List<Condition> plan(StudyOptions o, List<String> notes, Consumer<String> log) throws IOException;

    /** Refuses a plan whose prepared conditions cannot be compared ({@code lengths}: tokens per sequence, by condition). */
    default void check(StudyOptions o, Map<String, Integer> lengths) {}

    /** What study.json records of the plan. */
    default StudyResult.PlanInfo planInfo(StudyOptions o, List<Condition> conditions) {
        return StudyResult.PlanInfo.basic(o);
    }

    /** The comparisons with their intervals, the verdicts, and the kind's tables, into {@code f}. */
    void analyse(StudyOptions o, Results r, Findings f);

    /** What the charts of study.html and STUDY_DIR/charts show, by file name (the report stage draws them). */
    default Map<String, StudyChart> charts(StudyResult s) {
        Map<String, StudyChart> out = new LinkedHashMap<>();
        out.put("ie_conditions.png", new StudyChart.PerCondition());
        return out;
    }
}
