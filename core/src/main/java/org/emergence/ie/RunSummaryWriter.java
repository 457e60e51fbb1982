package org.emergence.ie;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.emergence.ie.RunSummary.LayerE;
import org.emergence.ie.RunSummary.Val;

/**
 * The writing half of summary.json's serializer ({@link RunSummaryJson} reads): a {@link RunSummary} as the summary.json tree, field by field in the
 * documented order (docs/outputs.md). A value that is not estimated is written as the kind of null its place has: a
 * null cell in the MI grids, {"bits": null, "ci_low": null, "ci_high": null} for an emergence quantity, a null term of
 * E(l).
 */
public final class RunSummaryWriter {
    private RunSummaryWriter() {}

    static ObjectNode write(RunSummary s) {
        ObjectNode o = RunDir.JSON.createObjectNode();
        RunSummary.Header h = s.header();
        o.put("tool", h.tool());
        o.put("version", h.version());
        o.put("status", h.status());
        o.put("created", h.created());
        o.put("updated", h.updated());
        ObjectNode mo = o.putObject("model");
        RunSummary.Model m = s.model();
        mo.put("name", m.name());
        mo.put("model_type", m.modelType());
        mo.put("layers", m.layers());
        mo.put("hidden", m.hidden());
        mo.put("causal", m.causal());
        mo.put("ablation", m.ablation());
        ObjectNode d = o.putObject("dataset");
        RunSummary.Dataset ds = s.dataset();
        d.put("spec", ds.spec());
        d.put("n", ds.n());
        d.put("t", ds.t());
        d.put("description", ds.description());
        d.set("details", ds.details());
        o.set("settings", s.settings().all());
        RunSummary.Method me = s.method();
        o.put("measurement", me.measurement());
        ObjectNode modes = o.putObject("modes");
        modes.put("macro", me.modes().macro());
        modes.put("micro", me.modes().micro());
        modes.put("mixed", me.modes().mixed());
        modes.put("note", me.modes().note());
        o.put("interval_method", me.intervalMethod());
        RunSummary.Axes ax = s.axes();
        ints(o.putArray("layers"), ax.layers());
        ints(o.putArray("positions"), ax.positions());
        ArrayNode cs = o.putArray("constant_positions");
        for (boolean c : ax.constant()) cs.add(c);
        ints(o.putArray("aggregated_positions"), ax.aggregated());
        RunSummary.TermNames t = me.terms();
        o.putObject("terms").put("pairing", t.pairing()).put("E_definition", t.eDefinition()).put("macro", t.macro())
                .put("micro", t.micro()).put("macro_short", t.macroShort()).put("micro_short", t.microShort());
        ArrayNode pt = o.putArray("position_tokens"), pl = o.putArray("position_labels");
        for (String tok : ax.tokens()) pt.add(tok);
        for (String l : ax.labels()) pl.add(l);
        RunSummary.Results r = s.results();
        cells(o.putArray("macro"), r.macro());
        cells(o.putArray("micro"), r.micro());
        cells(o.putArray("context"), r.context());
        quantities(o.putArray("E"), r.e());
        RunSummary.Relative rel = s.relative();
        if (rel != null && rel.eRaw() != null) quantities(o.putArray("E_raw"), rel.eRaw());
        ArrayNode el = o.putArray("E_layer");
        for (LayerE x : r.eLayer()) {
            ObjectNode e = quantity(el.addObject(), x.e(), false);
            e.put("layer", x.layer());
            term(e, "macro_bits", "macro", x.macro());
            term(e, "micro_mean_bits", "micro", x.micro());
            if (rel != null) term(e, "raw_bits", "raw", x.raw());
            split(e, x.e());
        }
        ArrayNode it = o.putArray("IE_t");
        for (int p = 0; p < r.ieT().length; p++) quantity(it.addObject(), r.ieT()[p], false).put("position", ax.positions()[p]);
        quantity(o.putObject("IE"), r.ie(), true);
        if (rel != null) relative(o.putObject("null"), rel);
        if (s.context() != null) {
            quantities(o.putArray("E_context"), s.context().e());
            quantity(o.putObject("IE_context"), s.context().ie(), false);
        }
        ArrayNode w = o.putArray("warnings");
        for (String x : s.warnings()) w.add(x);
        RunSummary.Timing tm = s.timing();
        ObjectNode to = o.putObject("timing");
        finite(to, "capture_seconds", tm.captureSeconds());
        finite(to, "estimate_seconds", tm.estimateSeconds());
        finite(to, "total_seconds", tm.totalSeconds());
        if (tm.estimatesReused() >= 0) {
            to.put("estimates_reused", tm.estimatesReused());
            to.put("estimates_computed", tm.estimatesComputed());
        }
        to.set("forward_gemm_kernels", RunDir.JSON.valueToTree(tm.forwardKernels()));
        return o;
    }

    private static void relative(ObjectNode o, RunSummary.Relative rel) {
        o.put("what", rel.what());
        o.put("twins", rel.twins());
        ArrayNode seeds = o.putArray("seeds");
        for (long sd : rel.seeds()) seeds.add(sd);
        quantity(o.putObject("IE_raw"), rel.ieRaw(), false);
        ArrayNode per = o.putArray("IE_twins");
        for (RunSummary.Twin tw : rel.perTwin()) {
            ObjectNode x = quantity(per.addObject(), tw.ie(), false);
            x.put("seed", tw.seed());
            ArrayNode bits = x.putArray("E_layer_bits");
            for (double b : tw.eLayerBits()) {
                if (Double.isNaN(b)) bits.addNull();
                else bits.add(b);
            }
        }
        o.put("IE_twins_mean_bits", rel.twinsMeanBits());
    }

    private static void ints(ArrayNode a, int[] xs) {
        for (int x : xs) a.add(x);
    }

    /** An MI grid: a cell not estimated is null. */
    private static void cells(ArrayNode g, Val[][] m) {
        for (Val[] row : m) {
            ArrayNode r = g.addArray();
            for (Val v : row) {
                if (!v.present()) r.addNull();
                else r.add(json(v));
            }
        }
    }

    /** A grid of emergence quantities: one not estimated is an object of nulls. */
    private static void quantities(ArrayNode g, Val[][] m) {
        for (Val[] row : m) {
            ArrayNode r = g.addArray();
            for (Val v : row) quantity(r.addObject(), v, false);
        }
    }

    /** A reported quantity's fields ({@link RunSummaryJson#json}), with or without where it comes from. */
    private static ObjectNode quantity(ObjectNode o, Val v, boolean withSplit) {
        Val w = withSplit ? v : new Val(v.bits(), v.ciLow(), v.ciHigh(), v.estimator(), v.mode(), v.spread(), null);
        o.setAll(json(w));
        return o;
    }

    private static void split(ObjectNode o, Val v) {
        if (!v.present() || v.split() == null) return;
        o.put("constant_positions_bits", v.split().constantBits());
        o.put("varying_positions_bits", v.split().varyingBits());
        o.put("dominated_by_constant_positions", v.split().dominatedByConstant());
    }

    /** One of E(l)'s terms: its value under {@code key}, and prefix_ci_low, prefix_ci_high, prefix_se. */
    private static void term(ObjectNode o, String key, String prefix, Val v) {
        if (!v.present()) {
            o.putNull(key);
            return;
        }
        o.put(key, v.bits());
        o.put(prefix + "_ci_low", v.ciLow());
        o.put(prefix + "_ci_high", v.ciHigh());
        if (!Double.isNaN(v.se())) o.put(prefix + "_se", v.se());
    }

    private static void finite(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) o.put(key, v);
        else o.putNull(key);
    }

    /**
     * A value as summary.json writes it ({@link Combination}, an MI cell, {@link SummaryBuilder}'s split): bits, ci_low,
     * ci_high (null when missing), then estimator, mode, interval, twin_seed_se, t_quantile, se, n_convergence,
     * finite_n_shift, leave_out, constant_positions_bits, varying_positions_bits, dominated_by_constant_positions as
     * given — for the campaign files that record a run's IE as it stands in its summary.
     */
    public static ObjectNode json(Val v) {
        ObjectNode o = RunDir.JSON.createObjectNode();
        if (!v.present()) {
            o.putNull("bits");
            o.putNull("ci_low");
            o.putNull("ci_high");
            return o;
        }
        o.put("bits", v.bits());
        o.put("ci_low", v.ciLow());
        o.put("ci_high", v.ciHigh());
        if (v.estimator() != null) o.put("estimator", v.estimator());
        if (v.mode() != null) o.put("mode", v.mode());
        RunSummary.Spread sp = v.spread();
        if (sp != null) {
            if (sp.interval() != null) o.put("interval", sp.interval());
            if (!Double.isNaN(sp.twinSeedSe())) o.put("twin_seed_se", sp.twinSeedSe());
            if (!Double.isNaN(sp.tQuantile())) o.put("t_quantile", sp.tQuantile());
            if (!Double.isNaN(sp.se())) o.put("se", sp.se());
            if (sp.nConvergence() != null) {
                ObjectNode nc = o.putObject("n_convergence");
                nc.put("quarter", sp.nConvergence().quarter());
                nc.put("half", sp.nConvergence().half());
                nc.put("full", sp.nConvergence().full());
            }
            if (!Double.isNaN(sp.finiteNShift())) o.put("finite_n_shift", sp.finiteNShift());
            if (sp.leaveOut() != null) {
                var lo = o.putArray("leave_out");
                for (double x : sp.leaveOut()) lo.add(x);
            }
        }
        RunSummary.Split split = v.split();
        if (split != null) {
            o.put("constant_positions_bits", split.constantBits());
            o.put("varying_positions_bits", split.varyingBits());
            o.put("dominated_by_constant_positions", split.dominatedByConstant());
        }
        return o;
    }
}
