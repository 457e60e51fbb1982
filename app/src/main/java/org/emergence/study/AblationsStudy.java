package org.emergence.study;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.emergence.campaign.Condition;
import org.emergence.campaign.Results;
import org.emergence.ie.Estimated;
import org.emergence.ie.RunRequest;

/** study ablations: the model under each --ablate spec, and the random-input baseline, against the model as it is. */
final class AblationsStudy implements StudyKind {
    @Override
    public String name() {
        return "ablations";
    }

    @Override
    public List<String> defaultModels(String series) {
        return List.of(RunRequest.DEFAULT_MODEL);
    }

    @Override
    public List<Condition> plan(StudyOptions o, List<String> notes, Consumer<String> log) {
        String model = o.models().get(0);
        List<Condition> out = new ArrayList<>();
        for (String a : o.ablations()) {
            String name = a.replaceAll("[^A-Za-z0-9_.=-]+", "_");
            out.add(StudyPlans.run(o, name, StudyPlans.labels("ablation", a), model, o.dataset(), o.base().n(), o.base().seed(), a));
        }
        out.add(StudyPlans.run(o, "random-inputs", StudyPlans.labels("ablation", "random inputs"), model, "random", o.base().n(),
                o.base().seed(), "none"));
        return out;
    }

    @Override
    public void analyse(StudyOptions o, Results r, Findings f) {
        Condition none = null;
        for (Condition c : r.conditions()) if (c.labels().get("ablation").equals("none")) none = c;
        for (Condition c : r.conditions()) {
            if (none == null || c == none) continue;
            Estimated.Difference d = f.compare(r, c.labels().get("ablation") + " − none", c, none);
            f.verdict("%s vs the model as it is: %s (%s)", c.labels().get("ablation"), Findings.diff(d), Findings.direction(d));
        }
    }
}
