package org.emergence.study;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.emergence.campaign.Condition;
import org.emergence.campaign.Results;
import org.emergence.common.UserError;
import org.emergence.ie.Estimated;
import org.emergence.ie.RunSummary;
import org.emergence.model.ModelSources;
import org.emergence.model.Transformer;

/** study models: several models on one dataset, ordered by size, with E(l) against relative depth. */
final class ModelsStudy implements StudyKind {
    @Override
    public String name() {
        return "models";
    }

    @Override
    public List<String> defaultModels(String series) {
        return "training".equals(series)
                ? List.of("tinylm-6l-step0", "tinylm-6l-step60", "tinylm-6l-step250", "tinylm-6l-step800", "tinylm-6l")
                : List.of("tinylm-2l", "tinylm-4l", "tinylm-6l");
    }

    @Override
    public List<Condition> plan(StudyOptions o, List<String> notes, Consumer<String> log) {
        List<Condition> out = new ArrayList<>();
        for (String m : o.models()) {
            Transformer tr = ModelSources.load(m);
            String name = Path.of(m).getFileName().toString().replaceAll("[^A-Za-z0-9_.=-]+", "_");
            out.add(StudyPlans.run(o, name, StudyPlans.labels("model", m, "parameters", "" + parameters(tr), "layers",
                    "" + tr.config().layers()), m, o.dataset(), o.base().n(), o.base().seed(), "none"));
        }
        return out;
    }

    static long parameters(Transformer m) {
        long p = 0;
        for (String n : m.checkpoint().names()) p += m.checkpoint().get(n).numel();
        return p;
    }

    @Override
    public void check(StudyOptions o, Map<String, Integer> lengths) {
        if (new LinkedHashSet<>(lengths.values()).size() > 1) {
            throw new UserError("study models: the dataset has different lengths for different models (" + lengths
                    + " tokens): IE is only comparable at equal T; use models with one tokenizer or a dataset of equal length");
        }
    }

    @Override
    public void analyse(StudyOptions o, Results r, Findings f) {
        List<Condition> cs = new ArrayList<>(r.conditions());
        cs.sort(java.util.Comparator.comparingLong(c -> Long.parseLong(c.labels().get("parameters"))));
        f.byRelativeDepth = new ArrayList<>();
        for (Condition c : cs) {
            RunSummary sum = r.summaryOf(c);
            int layers = Integer.parseInt(c.labels().get("layers"));
            for (RunSummary.LayerE el : sum.results().eLayer()) {
                f.byRelativeDepth.add(new StudyResult.DepthRow(c.labels().get("model"), el.layer(), (el.layer() + 0.5) / layers,
                        el.e().bits(), el.e().ciLow(), el.e().ciHigh()));
            }
        }
        for (int i = 1; i < cs.size(); i++) {
            Estimated.Difference d = f.compare(r, cs.get(i).labels().get("model") + " − " + cs.get(i - 1).labels().get("model"), cs.get(i),
                    cs.get(i - 1));
            f.verdict("%s (%s parameters) vs %s (%s): %s (%s)", cs.get(i).labels().get("model"), cs.get(i).labels().get("parameters"),
                    cs.get(i - 1).labels().get("model"), cs.get(i - 1).labels().get("parameters"), Findings.diff(d), Findings.direction(d));
        }
        if (cs.size() > 2) {
            Estimated.Difference d = f.compare(r, "largest − smallest", cs.get(cs.size() - 1), cs.get(0));
            f.verdict("largest vs smallest model: %s (%s)", Findings.diff(d), Findings.direction(d));
        }
    }

    @Override
    public Map<String, StudyChart> charts(StudyResult s) {
        Map<String, StudyChart> out = new LinkedHashMap<>();
        Map<String, List<double[]>> ie = new LinkedHashMap<>(), depth = new LinkedHashMap<>();
        for (StudyResult.ConditionRow c : s.conditions()) {
            ie.computeIfAbsent("IE", k -> new ArrayList<>()).add(new double[] {number(c.labels().get("parameters")),
                c.bits(), c.ciLow(), c.ciHigh()});
        }
        for (StudyResult.DepthRow r : s.byRelativeDepth() == null ? List.<StudyResult.DepthRow>of() : s.byRelativeDepth()) {
            depth.computeIfAbsent(r.model(), k -> new ArrayList<>()).add(new double[] {r.relativeDepth(), r.e(), r.ciLow(), r.ciHigh()});
        }
        // checkpoints of one model (a training series) share their size: a size axis would collapse them to one x,
        // so they are drawn one per condition, in the plan's (training) order
        long sizes = ie.getOrDefault("IE", List.of()).stream().mapToDouble(p -> p[0]).distinct().count();
        if (sizes >= 2) out.put("ie_parameters.png", new StudyChart.Series("IE against model size (95% intervals)", "parameters", "IE (bits)", ie, true, false));
        else out.put("ie_conditions.png", new StudyChart.PerCondition());
        out.put("e_depth.png", new StudyChart.Series("E(l) against relative depth (95% intervals)", "(l + ½) / layers", "E(l) (bits)", depth,
                false, false));
        return out;
    }

    /** A label's number ("1000" → 1000), 0 when it is none. */
    private static double number(String v) {
        try {
            return v == null ? 0 : Double.parseDouble(v);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
