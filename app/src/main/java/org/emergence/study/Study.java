package org.emergence.study;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.emergence.campaign.Campaign;
import org.emergence.campaign.Condition;
import org.emergence.campaign.Plan;
import org.emergence.campaign.Results;
import org.emergence.common.AtomicFiles;
import org.emergence.ie.Estimated;
import org.emergence.ie.RunSummary;

/**
 * {@code emergence study KIND}: the kind ({@link StudyKinds}) plans its conditions; the campaign engine
 * ({@link Campaign}) runs each as an ordinary resumable run under STUDY_DIR/runs (a finished condition is never
 * recomputed; a causal model's shorter lists are read from the longest list's run); the kind compares them. Writes
 * study.csv (one tidy row per condition × layer × position, {@link StudyCsv}), study.json (every condition's IE, the
 * comparisons with their intervals and tests, the verdicts; {@link StudyJson}); study.html is the report stage's
 * ({@code report.StudyReport}).
 */
public final class Study {
    private Study() {}

    public static StudyResult run(StudyOptions o, String version, Consumer<String> log) throws IOException {
        StudyKind kind = StudyKinds.of(o.kind());
        List<String> notes = new ArrayList<>();
        List<Condition> cs = kind.plan(o, notes, log);
        for (String n : notes) log.accept("note: " + n);
        Plan plan = new Plan("study " + o.kind(), cs);
        // every runnable condition is prepared before the first run: incompatible studies are refused up front
        Map<String, Integer> lengths = Campaign.check(plan, version);
        kind.check(o, lengths);
        if ("paper".equals(o.preset())) {
            long tokens = 0;
            for (Condition c : plan.runs()) tokens += (long) c.request().n() * lengths.get(c.name());
            log.accept(String.format(Locale.ROOT, "preset paper: %d runs, %,d sequence tokens in all (N up to %,d): this takes hours on "
                    + "a laptop-class CPU; every run resumes if interrupted", lengths.size(), tokens, cs.stream()
                            .mapToInt(c -> c.request().n()).max().orElse(0)));
        }
        Results r = Campaign.run(plan, version, false, log);
        Findings f = new Findings();
        kind.analyse(o, r, f);
        StudyResult s = result(o, kind, version, r, f, notes);
        StudyJson.write(o.out(), s);
        AtomicFiles.writeString(o.out().resolve("study.csv"), StudyCsv.of(r));
        return s;
    }

    private static StudyResult result(StudyOptions o, StudyKind kind, String version, Results r, Findings f, List<String> notes) {
        List<Condition> cs = r.conditions();
        Map<String, Integer> ns = new LinkedHashMap<>();
        for (Condition c : cs) ns.put(c.name(), r.n(c));
        List<String> allNotes = new ArrayList<>(notes);
        String unequal = StudyNotes.unequalN(ns);
        if (unequal != null) allNotes.add(unequal);
        RunSummary last = r.summaryOf(cs.get(cs.size() - 1));
        List<StudyResult.ConditionRow> rows = new ArrayList<>();
        for (Condition c : cs) {
            Estimated e = r.ie(c);
            rows.add(new StudyResult.ConditionRow(c.name(), c.labels(), c.request().dataset(), c.dir().toString(), r.n(c), c.prefixOf(),
                    c.position(), e.bits(), e.low(), e.high(), e.se(), c.derived() ? null : r.summaryOf(c).ie()));
        }
        return new StudyResult("emergence", version, o.kind(), kind.planInfo(o, cs), Objects.toString(last.method().measurement(), ""),
                Objects.toString(last.method().intervalMethod(), ""), rows, f.comparisons, f.verdicts, f.byShots, f.byRelativeDepth,
                f.errorVsIeSpread, allNotes);
    }

    /** The kinds of study, for the command line's refusals and help. */
    public static List<String> kinds() {
        return StudyKinds.names();
    }

    /** The models a study of this kind measures when the command line names none (--series: size or training, or null). */
    public static List<String> defaultModels(String kind, String series) {
        return StudyKinds.of(kind).defaultModels(series);
    }
}
