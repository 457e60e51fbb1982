package org.emergence.study;

import java.nio.file.Files;
import java.nio.file.Path;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.emergence.campaign.Condition;
import org.emergence.campaign.Results;
import org.emergence.common.UserError;
import org.emergence.generate.ModelText;
import org.emergence.ie.Estimated;
import org.emergence.ie.RunRequest;
import org.emergence.model.ModelSources;
import org.emergence.tokenize.Tokenizer;

/**
 * study texts: natural text of each source against its within- and position-shuffled windows, and the sources against
 * each other (a "model-written" source sampled from --generator). With --text-scale shared every condition is measured
 * at the first (natural) run's layer noise scale.
 */
final class TextsStudy implements StudyKind {
    @Override
    public String name() {
        return "texts";
    }

    @Override
    public List<String> defaultModels(String series) {
        return List.of("tinylm-2l");
    }

    @Override
    public List<Condition> plan(StudyOptions o, List<String> notes, Consumer<String> log) throws IOException {
        Path generated = null;
        if (o.generator() != null) {
            generated = o.out().resolve("generated.jsonl");
            if (!Files.isRegularFile(generated)) {
                try (Tokenizer tok = ModelSources.tokenizer(o.generator())) {
                    ModelText.ensureContinuations(ModelSources.load(o.generator()), tok, o.generator(), generated,
                            o.base().n() * 3 / 2 + 200, o.base().seed(), log);
                }
            }
        }
        String model = o.models().get(0);
        int t = o.textTokens() + (StudyPlans.causal(model) ? 0 : StudyPlans.specials(model));
        List<Condition> out = new ArrayList<>();
        Map<String, String> sources = new LinkedHashMap<>(o.sources());
        if (sources.isEmpty()) sources.put("human", "text:builtin");
        if (generated != null) sources.put("generated", "text:" + generated.toAbsolutePath() + ":field=text");
        for (var e : sources.entrySet()) {
            if (!e.getValue().startsWith("text:")) throw new UserError("study texts: source " + e.getKey() + " is not a text: dataset");
            for (int rep = 0; rep < o.replicates(); rep++) {
                long seed = o.base().seed() + rep;
                out.add(text(o, e.getKey() + "-r" + rep, StudyPlans.labels("source", e.getKey(), "control", "natural", "replicate", "" + rep),
                        model, e.getValue(), t, seed));
                if (rep == 0) {
                    for (String how : new String[] {"within", "position"}) {
                        out.add(text(o, e.getKey() + "-" + how + "-r0", StudyPlans.labels("source", e.getKey(), "control", how + "-shuffle",
                                "replicate", "0"), model, e.getValue() + ":scramble=" + how, t, seed));
                    }
                }
            }
        }
        // every later condition is measured at the first (natural) run's layer noise scale
        if (o.sharedTextScale()) for (int i = 1; i < out.size(); i++) out.set(i, out.get(i).withReference(out.get(0).name()));
        return out;
    }

    private static Condition text(StudyOptions o, String name, Map<String, String> labels, String model, String spec, int t, long seed) {
        Path dir = o.out().resolve("runs").resolve(name);
        RunRequest r = o.base().with(model, spec, seed, "none", o.base().noise(), dir).withN(o.base().n(), t);
        return Condition.run(name, spec, labels, r, dir);
    }

    @Override
    public StudyResult.PlanInfo planInfo(StudyOptions o, List<Condition> conditions) {
        StudyResult.PlanInfo p = StudyResult.PlanInfo.basic(o);
        return new StudyResult.PlanInfo(p.models(), p.n(), p.seed(), p.replicates(), null, null, null, null, null,
                o.sharedTextScale() ? "shared: every condition at the layer noise scale of " + conditions.get(0).name()
                        : "own: every condition scales σ by its own layer RMS");
    }

    @Override
    public void analyse(StudyOptions o, Results r, Findings f) {
        Map<String, Condition> natural = new LinkedHashMap<>();
        for (Condition c : r.conditions()) {
            if (c.labels().get("control").equals("natural") && c.labels().get("replicate").equals("0")) natural.put(c.labels().get("source"), c);
        }
        for (Condition c : r.conditions()) {
            if (c.labels().get("control").endsWith("-shuffle")) {
                Condition nat = natural.get(c.labels().get("source"));
                Estimated.Difference d = f.compare(r, c.labels().get("source") + ": natural − " + c.labels().get("control"), nat, c);
                f.verdict("%s: natural text vs %s: %s (%s)", c.labels().get("source"), c.labels().get("control"), Findings.diff(d),
                        Findings.direction(d));
            }
        }
        List<String> names = new ArrayList<>(natural.keySet());
        for (int i = 0; i < names.size(); i++) {
            for (int j = i + 1; j < names.size(); j++) {
                Estimated.Difference d = f.compare(r, names.get(i) + " − " + names.get(j), natural.get(names.get(i)),
                        natural.get(names.get(j)));
                f.verdict("IE(%s) − IE(%s): %s (%s)", names.get(i), names.get(j), Findings.diff(d), Findings.direction(d));
            }
        }
    }
}
