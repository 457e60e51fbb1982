package org.emergence.validate;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.emergence.campaign.Campaign;
import org.emergence.campaign.Condition;
import org.emergence.campaign.Plan;
import org.emergence.campaign.Results;
import org.emergence.common.UserError;
import org.emergence.ie.RunSummary;

/**
 * {@code emergence validate}: the controls any semantic-emergence measurement must pass, run on a user's model with the
 * measurement the user chose (the defaults of {@code run} unless overridden). Each control ({@link Controls}) names the
 * conditions it needs; every condition is an ordinary resumable run under {@code OUT/runs/<condition>} (the campaign
 * engine, {@link Campaign}), so an interrupted validation resumes, and a finished condition is never recomputed.
 * Differences come with 95% intervals from the jackknife, paired where both runs are on the same sequences.
 */
public final class Validation {
    private Validation() {}

    /** Every control's name, in the order they are judged. */
    public static final List<String> CONTROLS = Controls.names();

    /**
     * Runs (or resumes) every condition, then evaluates the controls and writes validate.json (validate.html is the
     * report stage's: {@code report.ValidationReport}).
     */
    public static ValidationResult run(ValidationOptions o, String version, Consumer<String> log) throws IOException {
        for (String s : o.skip()) {
            if (!CONTROLS.contains(s)) throw new UserError("--skip " + s + ": unknown control (controls: " + String.join(", ", CONTROLS) + ")");
        }
        if (o.replicates() < 0) throw new UserError("--replicates must be >= 0");
        if (o.wants("interval_calibration") && o.replicates() < 2) {
            throw new UserError("--replicates must be at least 2 for interval_calibration (or --skip interval_calibration)");
        }
        if (o.base().noiseReference() != null) {
            throw new UserError("--noise-reference: validate sets the noise scale of each condition itself (see --text-scale)");
        }
        o = o.withText(SampledText.materialize(o.base(), o.text(), o.out(), o.textTokens(), log));
        List<Control> controls = new ArrayList<>();
        Set<String> needed = new LinkedHashSet<>(List.of(o.main()));
        for (Control c : Controls.ALL) {
            if (!o.wants(c.name()) || !c.applies(o)) continue;
            controls.add(c);
            needed.addAll(c.plan(o));
        }
        Plan plan = ValidationConditions.plan(o, needed);
        // refuse what cannot run before any run starts: every condition is prepared (model, tokenizer, dataset) first
        Campaign.check(plan, version);
        // the controls compare IEs: each condition estimates only the cells its IE needs
        Results r = Campaign.run(plan, version, true, log);
        Evidence e = new Evidence(o, r);
        List<Verdict> verdicts = new ArrayList<>();
        for (Control c : controls) verdicts.add(c.evaluate(e));
        ValidationResult v = result(o, version, r, verdicts);
        ValidationJson.write(o.out(), v);
        return v;
    }

    private static ValidationResult result(ValidationOptions o, String version, Results r, List<Verdict> verdicts) {
        RunSummary first = r.summary(o.main());
        ValidationResult.Settings settings = new ValidationResult.Settings(o.icl(), o.text(), o.textTokens(),
                o.sharedTextScale() ? "shared: scrambled and shifted text use the natural text run's layer RMS"
                        : "own: every condition scales σ by its own layer RMS",
                o.base().n(), o.base().seed(), o.initSeeds(), o.sigmaFactors(), o.replicates(), first.settings().all());
        List<ValidationResult.ConditionRow> rows = new ArrayList<>();
        for (Condition c : r.conditions()) {
            RunSummary s = r.summaryOf(c);
            rows.add(new ValidationResult.ConditionRow(c.name(), c.what(), c.dir().toString(), c.request().dataset(), c.request().ablate(),
                    c.request().noise(), c.request().seed(), s.ie(), s.status()));
        }
        int passed = (int) verdicts.stream().filter(Verdict::pass).count();
        return new ValidationResult("emergence", version, o.base().model(), Objects.toString(first.method().measurement(), ""),
                Objects.toString(first.method().intervalMethod(), ""), settings, rows, verdicts,
                new ValidationResult.Tally(passed, verdicts.size() - passed, verdicts.size()), r.seconds());
    }
}
