package org.emergence.ie;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.emergence.common.AtomicFiles;
import org.emergence.data.Dataset;
import org.emergence.mi.Diagnostics;
import org.emergence.model.ModelConfig;

/**
 * Assembles E(l, t), E(l), IE(t) and IE with intervals from the per-(layer, position) estimates and
 * writes summary.json, results.csv and emergence.csv.
 *
 * <p>E(l, t) = MI_macro(l, t) − the micro MIs it is paired with ({@link Measurement.Pairing}); E(l) is
 * the mean of E(l, t) over the positions of {@link Measurement.Positions}; IE(t) and IE average over the
 * measured layers. Every reported quantity is a linear combination of estimates, and its interval is
 * that of a {@link Combination}: the delete-a-group jackknife over the run's sequences when every
 * estimate carries replicates, else the estimates' own intervals in quadrature (said so in
 * summary.json).
 */
final class SummaryBuilder {
    private final RunSettings s;
    private final Measurement m;
    private final ModelConfig cfg;
    private final Dataset data;
    private final String modelName;
    private final MiPolicy policy;
    private final boolean random;
    private final int t;
    private final int[] layers;
    /** positions whose token is the same in every sequence (separators, [CLS], [SEP] …) */
    private final boolean[] constant;
    private final String created = Instant.now().toString();
    /** level → layer → position → estimate JSON. */
    private final Map<Level, Map<Integer, Map<Integer, JsonNode>>> est = new LinkedHashMap<>();
    /** The untrained twins' estimates, the same way (empty: raw run), and their seeds. */
    private final List<Map<Level, Map<Integer, Map<Integer, JsonNode>>>> twins = new ArrayList<>();
    private final List<Long> twinSeeds = new ArrayList<>();
    /**
     * Which estimates a combination is built from: this run minus the twins' mean (RELATIVE, the reported values of a
     * relative measurement), this run alone (RAW), or one twin alone (TWIN, index {@link #twin}).
     */
    private enum Source { RELATIVE, RAW, TWIN }
    private Source source = Source.RELATIVE;
    private int twin;
    private double captureSecs = Double.NaN, estimateSecs = Double.NaN, totalSecs = Double.NaN;

    SummaryBuilder(RunSettings s, ModelConfig cfg, Dataset data, String modelName, MiPolicy policy, boolean random) {
        this.s = s;
        this.m = s.measurement();
        this.cfg = cfg;
        this.data = data;
        this.modelName = modelName;
        this.policy = policy;
        this.random = random;
        this.t = data.t();
        this.layers = s.layers();
        this.constant = constantPositions(data);
        for (Level l : Level.values()) est.put(l, new TreeMap<>());
    }

    /** Positions whose token never varies across the dataset (none for the random baseline). */
    static boolean[] constantPositions(Dataset d) {
        boolean[] c = new boolean[d.t()];
        if (d.isRandom()) return c;
        for (int i = 0; i < d.t(); i++) {
            c[i] = true;
            for (int seq = 1; seq < d.n() && c[i]; seq++) c[i] = d.token(seq, i) == d.token(0, i);
        }
        return c;
    }

    void load(Map<String, JsonNode> done) {
        for (JsonNode j : done.values()) put(j);
    }

    void put(JsonNode j) {
        put(est, j);
    }

    private static void put(Map<Level, Map<Integer, Map<Integer, JsonNode>>> into, JsonNode j) {
        Level level = Level.valueOf(j.get("level").asText().toUpperCase(Locale.ROOT));
        into.get(level).computeIfAbsent(j.get("layer").asInt(), k -> new TreeMap<>()).put(j.get("position").asInt(), j);
    }

    /** One untrained twin's finished estimates (by file name): every reported E and IE becomes relative to the twins. */
    void twin(long seed, Map<String, JsonNode> done) {
        Map<Level, Map<Integer, Map<Integer, JsonNode>>> m = new LinkedHashMap<>();
        for (Level l : Level.values()) m.put(l, new TreeMap<>());
        for (JsonNode j : done.values()) put(m, j);
        twins.add(m);
        twinSeeds.add(seed);
    }

    private final List<String> recovered = new ArrayList<>();

    /** Damaged files found on resume and recomputed (reported among the warnings). */
    void recovered(List<String> what) {
        recovered.addAll(what);
    }

    private int reused = -1, computed = -1;

    /** How many of the run's estimates an earlier (interrupted) run had finished, and how many this one computes. */
    void estimates(int reused, int computed) {
        this.reused = reused;
        this.computed = computed;
    }

    void timing(double capture, double estimate, double total) {
        captureSecs = capture;
        estimateSecs = estimate;
        totalSecs = total;
    }

    private JsonNode get(Level level, int layer, int pos) {
        return get(est, level, layer, pos);
    }

    private static JsonNode get(Map<Level, Map<Integer, Map<Integer, JsonNode>>> from, Level level, int layer, int pos) {
        Map<Integer, JsonNode> byPos = from.get(level).get(layer);
        return byPos == null ? null : byPos.get(pos);
    }

    // ------------------------------------------------------------------ linear combinations

    /** a·MI(level, l, pos) of the current {@link Source}: this run's, minus the twins' mean when relative. */
    private Combination term(Level level, int l, int pos, double a) {
        Combination c = new Combination();
        if (source == Source.TWIN) return c.add(get(twins.get(twin), level, l, pos), a, constant[pos]);
        c.add(get(level, l, pos), a, constant[pos]);
        if (source == Source.RELATIVE) {
            for (var tw : twins) c.add(get(tw, level, l, pos), -a / twins.size(), constant[pos]);
        }
        return c;
    }

    /**
     * A reported quantity: relative to the twins' mean when there are twins, its interval widened by the spread of the
     * same quantity over the twins (var over twins / K: what a fresh draw of the twins' seeds would change).
     */
    private Combination quantity(java.util.function.Supplier<Combination> q) {
        Combination c = q.get();
        if (source != Source.RELATIVE || twins.size() < 2 || c.missing()) return c;
        double[] v = new double[twins.size()];
        try {
            source = Source.TWIN;
            for (twin = 0; twin < v.length; twin++) v[twin] = q.get().value;
        } finally {
            source = Source.RELATIVE;
        }
        double mean = 0, ss = 0;
        for (double x : v) mean += x / v.length;
        for (double x : v) ss += (x - mean) * (x - mean);
        c.twinVariance(ss / (v.length - 1) / v.length, v.length);
        return c;
    }

    /** The same quantity from this run alone (raw) or from one twin. */
    private Combination from(Source s, int k, java.util.function.Supplier<Combination> q) {
        Source was = source;
        int wasTwin = twin;
        try {
            source = s;
            twin = k;
            return q.get();
        } finally {
            source = was;
            twin = wasTwin;
        }
    }

    /** The micro MIs E(l, t) subtracts, as a mean with weight 1 (the in-context MIs for the context variant). */
    private Combination pairedMicro(Level microLevel, int l, int pos) {
        Combination c = new Combination();
        if (m.pairing() == Measurement.Pairing.MATCHED && microLevel == Level.MICRO) {
            return c.add(term(Level.MICRO, l, pos, 1), 1);
        }
        int upTo = cfg.causal() ? pos : t - 1;
        for (int i = 0; i <= upTo; i++) c.add(term(microLevel == Level.CONTEXT ? Level.MACRO : microLevel, l, i, 1), 1.0 / (upTo + 1));
        return c;
    }

    private Combination e(Level microLevel, int l, int pos) {
        return term(Level.MACRO, l, pos, 1).add(pairedMicro(microLevel, l, pos), -1);
    }

    /** The positions E(l) and IE average over. */
    int[] aggregated() {
        return switch (m.positions()) {
            case LAST -> new int[] {t - 1};
            case ALL -> java.util.stream.IntStream.range(0, t).toArray();
            case VARYING -> {
                int[] v = java.util.stream.IntStream.range(0, t).filter(i -> !constant[i]).toArray();
                yield v.length > 0 ? v : java.util.stream.IntStream.range(0, t).toArray();
            }
        };
    }

    private Combination overPositions(java.util.function.IntFunction<Combination> f) {
        int[] ps = aggregated();
        Combination c = new Combination();
        for (int p : ps) c.add(f.apply(p), 1.0 / ps.length);
        return c;
    }

    private Combination eLayer(Level microLevel, int l) {
        return overPositions(p -> e(microLevel, l, p));
    }

    private Combination macroLayer(int l) {
        return overPositions(p -> term(Level.MACRO, l, p, 1));
    }

    private Combination microLayer(int l) {
        return overPositions(p -> pairedMicro(Level.MICRO, l, p));
    }

    private Combination ieT(Level microLevel, int pos) {
        Combination c = new Combination();
        for (int l : layers) c.add(e(microLevel, l, pos), 1.0 / layers.length);
        return c;
    }

    private Combination ie(Level microLevel) {
        Combination c = new Combination();
        for (int l : layers) c.add(eLayer(microLevel, l), 1.0 / layers.length);
        return c;
    }

    /** IE's leave-one-group-out values, for differences between runs (null without replicates). */
    double[] ieLeaveOut() {
        return quantity(() -> ie(Level.MICRO)).leaveOut();
    }

    // ------------------------------------------------------------------ summary.json

    boolean complete() {
        for (int l : layers) {
            for (int p = 0; p < t; p++) {
                if ((m.needs(Level.MACRO, p, t) && get(Level.MACRO, l, p) == null) || (m.needs(Level.MICRO, p, t) && get(Level.MICRO, l, p) == null)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** A result is dominated by constant-token positions when they contribute more than half of it. */
    static final double DOMINATED = 0.5;

    ObjectNode json(boolean finished) {
        ObjectNode o = RunDir.JSON.createObjectNode();
        o.put("tool", "emergence");
        o.put("version", s.version());
        o.put("status", finished && complete() ? "complete" : "partial");
        o.put("created", created);
        o.put("updated", Instant.now().toString());
        ObjectNode mo = o.putObject("model");
        mo.put("name", modelName);
        mo.put("model_type", cfg.modelType());
        mo.put("layers", cfg.layers());
        mo.put("hidden", cfg.hidden());
        mo.put("causal", cfg.causal());
        mo.put("ablation", s.ablation());
        ObjectNode d = o.putObject("dataset");
        d.put("spec", data.spec());
        d.put("n", data.n());
        d.put("t", t);
        d.put("description", data.description());
        ObjectNode details = RunDir.JSON.valueToTree(data.details());
        details.remove(org.emergence.data.PositionTokens.KEY);
        d.set("details", details);
        ObjectNode st = s.toJson();
        st.remove("model");
        st.remove("model_type");
        st.remove("dataset");
        o.set("settings", st);
        o.put("measurement", m.describe());
        ObjectNode modes = o.putObject("modes");
        String macroMode = policy.mode(Level.MACRO, 1, random);
        if (!policy.mode(Level.MACRO, 0, random).equals(macroMode)) {
            macroMode = macroMode + " (" + m.estimator() + "); layer 0: " + policy.mode(Level.MACRO, 0, random);
        }
        modes.put("macro", macroMode);
        modes.put("micro", policy.mode(Level.MICRO, 1, random));
        boolean mixed = policy.mixed(random);
        modes.put("mixed", mixed);
        modes.put("note", mixed
                ? "Raw activations (no noise): micro MIs (and layer 0) are exact discrete MIs of token identities, later "
                    + "macro MIs are continuous estimates; E(l, t) subtracts one kind from the other (mixed modes)."
                : s.noisy()
                    ? "Every MI is estimated between noise-regularised states X + σZ and Y + σZ' with the same estimator, "
                        + "so E(l, t) compares like with like."
                    : "Every MI is a continuous estimate on random inputs.");
        Combination ie = quantity(() -> ie(Level.MICRO));
        o.put("interval_method", intervalMethod(ie));
        ArrayNode ls = o.putArray("layers");
        for (int l : layers) ls.add(l);
        ArrayNode ps = o.putArray("positions");
        for (int p = 0; p < t; p++) ps.add(p);
        ArrayNode cs = o.putArray("constant_positions");
        for (int p = 0; p < t; p++) cs.add(constant[p]);
        ArrayNode ag = o.putArray("aggregated_positions");
        for (int p : aggregated()) ag.add(p);
        Terms.of(cfg.causal(), m.pairing(), aggregated(), t).json(o.putObject("terms"));
        List<String> tokens = positionTokens();
        ArrayNode pt = o.putArray("position_tokens"), pl = o.putArray("position_labels");
        for (int p = 0; p < t; p++) {
            String tok = tokens == null ? null : tokens.get(p);
            if (tok == null) pt.addNull();
            else pt.add(tok);
            pl.add(random ? "" : org.emergence.data.PositionTokens.label(tok, data.kind()));
        }
        o.set("macro", grid(Level.MACRO));
        o.set("micro", grid(Level.MICRO));
        o.set("context", grid(Level.MACRO));
        ArrayNode eg = o.putArray("E");
        for (int l : layers) {
            ArrayNode row = eg.addArray();
            for (int p = 0; p < t; p++) {
                final int ll = l, pp = p;
                quantity(() -> e(Level.MICRO, ll, pp)).json(row.addObject());
            }
        }
        if (!twins.isEmpty()) {
            // this run alone at every position (the twins measure only the positions IE needs when that is the last one)
            ArrayNode er = o.putArray("E_raw");
            for (int l : layers) {
                ArrayNode row = er.addArray();
                for (int p = 0; p < t; p++) {
                    final int ll = l, pp = p;
                    from(Source.RAW, 0, () -> e(Level.MICRO, ll, pp)).json(row.addObject());
                }
            }
        }
        ArrayNode el = o.putArray("E_layer");
        for (int l : layers) {
            Combination c = quantity(() -> eLayer(Level.MICRO, l));
            ObjectNode x = c.json(el.addObject());
            x.put("layer", l);
            // the run's own MIs (the twins' are in "null"), each with its interval
            putTerm(x, "macro_bits", "macro", from(Source.RAW, 0, () -> macroLayer(l)));
            putTerm(x, "micro_mean_bits", "micro", from(Source.RAW, 0, () -> microLayer(l)));
            if (!twins.isEmpty()) putTerm(x, "raw_bits", "raw", from(Source.RAW, 0, () -> eLayer(Level.MICRO, l)));
            split(x, c);
        }
        ArrayNode it = o.putArray("IE_t");
        for (int p = 0; p < t; p++) {
            final int pp = p;
            quantity(() -> ieT(Level.MICRO, pp)).json(it.addObject()).put("position", p);
        }
        split(ie.json(o.putObject("IE")), ie);
        if (!twins.isEmpty()) nullModel(o.putObject("null"));
        if (cfg.causal()) {
            // the published code's variant: in-context MIs in place of micro ones. For an encoder every position
            // sees the whole sequence, so it would subtract the macro MIs from themselves (0 by construction)
            ArrayNode ec = o.putArray("E_context");
            for (int l : layers) {
                ArrayNode rowc = ec.addArray();
                for (int p = 0; p < t; p++) {
                    final int ll = l, pp = p;
                    from(Source.RAW, 0, () -> e(Level.CONTEXT, ll, pp)).json(rowc.addObject());
                }
            }
            from(Source.RAW, 0, () -> ie(Level.CONTEXT)).json(o.putObject("IE_context"));
        }
        ArrayNode w = o.putArray("warnings");
        for (String x : warnings(ie)) w.add(x);
        ObjectNode tm = o.putObject("timing");
        putFinite(tm, "capture_seconds", captureSecs);
        putFinite(tm, "estimate_seconds", estimateSecs);
        putFinite(tm, "total_seconds", totalSecs);
        if (reused >= 0) {
            tm.put("estimates_reused", reused);
            tm.put("estimates_computed", computed);
        }
        // which GEMM ran each forward product of this process (a resumed run lists only what it recomputed)
        tm.set("forward_gemm_kernels", RunDir.JSON.valueToTree(org.emergence.tensor.SgemmChoice.used()));
        return o;
    }

    /**
     * How the intervals were made, naming the groups and the t quantile actually used: a run of few sequences
     * has fewer groups than {@code --groups} asks for ({@link EmergenceRun#groupsFor}), and below 8 none at all.
     */
    String intervalMethod(Combination ie) {
        if (ie.resampled()) {
            int g = ie.groups();
            return "delete-a-group jackknife over " + g + " random groups of the " + data.n() + " sequences"
                    + (g < m.groups() ? " (--groups " + m.groups() + " asks for more, but every group needs at least two "
                        + "sequences and G must be a multiple of 4)" : "")
                    + ": every estimate is recomputed without each group (macro and micro on the same sequences, each "
                    + "sequence keeping its noise draws), every E, IE(t), IE is the same combination of those replicates, and "
                    + "intervals are value ± t(" + (g - 1) + ")·SE, 95%. They cover a fresh draw of the sequences "
                    + "and the Monte Carlo error; n_convergence gives the value at N/4 and N/2 (the same estimate on "
                    + "quarters and halves of the sequences) as a finite-N diagnostic."
                    + (twins.isEmpty() ? "" : " Relative to " + twins.size() + " untrained twins: each replicate is the "
                        + "run's minus the twins' mean on the same groups" + (twins.size() > 1 ? ", and the spread of the "
                        + "quantity over the twins (variance / K) is added to the jackknife variance (twin_seed_se), and the t quantile "
                        + "takes the Welch–Satterthwaite degrees of freedom of that sum (t_quantile; K − 1 for the twins' part: "
                        + "with 2 twins it is wide, because their spread is estimated from two values)" : "") + ".");
        }
        return "each estimate's own interval (see results.csv interval_method), combined in quadrature for E, IE "
                + "(independence assumed; " + samplingErrorOmitted() + ")";
    }

    /** Why an interval lacks the sampling error of the dataset draw. */
    private String samplingErrorOmitted() {
        if (m.groups() == 0) return "sampling error of the dataset not included: --groups 0; run with --groups > 0 to include it";
        return "sampling error of the dataset not included: " + data.n() + " sequences are too few for the jackknife "
                + "(it needs at least 8, two per group of 4 groups)";
    }

    /**
     * The null model of a relative measurement: the twins' seeds, each twin's IE and E(l), their mean, and this run's raw
     * IE and E(l) — IE = raw − the twins' mean.
     */
    private void nullModel(ObjectNode o) {
        o.put("what", "untrained twins: the same architecture at its Hugging Face initialisation, measured on the same "
                + "sequences with the same measurement; IE and every E are this run's values minus the twins' mean");
        o.put("twins", twins.size());
        ArrayNode seeds = o.putArray("seeds");
        for (long sd : twinSeeds) seeds.add(sd);
        from(Source.RAW, 0, () -> ie(Level.MICRO)).json(o.putObject("IE_raw"));
        ArrayNode per = o.putArray("IE_twins");
        for (int k = 0; k < twins.size(); k++) {
            final int kk = k;
            ObjectNode x = from(Source.TWIN, k, () -> ie(Level.MICRO)).json(per.addObject());
            x.put("seed", twinSeeds.get(k));
            ArrayNode layersOf = x.putArray("E_layer_bits");
            for (int l : layers) {
                Combination c = from(Source.TWIN, kk, () -> eLayer(Level.MICRO, l));
                if (c.missing()) layersOf.addNull();
                else layersOf.add(c.value);
            }
        }
        double mean = 0;
        for (JsonNode x : per) mean += x.path("bits").asDouble(Double.NaN) / twins.size();
        o.put("IE_twins_mean_bits", mean);
    }

    /** Where a value comes from: constant-token positions vs positions whose token varies. */
    private static void split(ObjectNode x, Combination c) {
        if (c.missing()) return;
        x.put("constant_positions_bits", c.constantPart);
        x.put("varying_positions_bits", c.value - c.constantPart);
        x.put("dominated_by_constant_positions", Math.abs(c.constantPart) > DOMINATED * Math.abs(c.value) && c.value != 0);
    }

    /** One of E(l)'s terms: its value under {@code key}, and prefix_ci_low, prefix_ci_high, prefix_se. */
    private static void putTerm(ObjectNode o, String key, String prefix, Combination c) {
        if (c.missing()) {
            o.putNull(key);
            return;
        }
        o.put(key, c.value);
        o.put(prefix + "_ci_low", c.low());
        o.put(prefix + "_ci_high", c.high());
        if (c.resampled()) o.put(prefix + "_se", c.se());
    }

    private static void putFinite(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) o.put(key, v);
        else o.putNull(key);
    }

    private ArrayNode grid(Level level) {
        ArrayNode g = RunDir.JSON.createArrayNode();
        for (int l : layers) {
            ArrayNode row = g.addArray();
            for (int p = 0; p < t; p++) {
                JsonNode e = get(level, l, p);
                if (e == null) {
                    row.addNull();
                    continue;
                }
                ObjectNode c = row.addObject();
                c.put("bits", e.get("mi_bits").asDouble());
                c.put("ci_low", e.get("ci_low_bits").asDouble());
                c.put("ci_high", e.get("ci_high_bits").asDouble());
                c.put("estimator", e.get("estimator").asText());
                c.put("mode", e.get("mode").asText());
            }
        }
        return g;
    }

    /** Distinct warnings with where they occurred (capped), plus the mixed-mode and provenance notes. */
    List<String> warnings(Combination ie) {
        Map<String, List<String>> where = new LinkedHashMap<>();
        for (Level level : new Level[] {Level.MACRO, Level.MICRO}) {
            for (Map.Entry<Integer, Map<Integer, JsonNode>> byLayer : est.get(level).entrySet()) {
                for (Map.Entry<Integer, JsonNode> byPos : byLayer.getValue().entrySet()) {
                    for (JsonNode w : byPos.getValue().get("warnings")) {
                        // group messages that differ only in numbers
                        String key = w.asText().replaceAll("[0-9][0-9.e+-]*", "#");
                        where.computeIfAbsent(key, k -> new ArrayList<>())
                                .add(level.key() + " l" + byLayer.getKey() + " t" + byPos.getKey() + ": " + w.asText());
                    }
                }
            }
        }
        List<String> out = new ArrayList<>(recovered);
        if (!ie.missing() && ie.value != 0 && Math.abs(ie.constantPart) > DOMINATED * Math.abs(ie.value)) {
            out.add(String.format(Locale.ROOT, "IE is dominated by constant-token positions: %.3f of %.3f bits come from "
                    + "positions whose token is the same in every sequence (there the micro MI is 0 by construction)",
                    ie.constantPart, ie.value));
        }
        if (ie.resampled()) {
            JsonNode j = ie.json(RunDir.JSON.createObjectNode());
            double shift = j.path("finite_n_shift").asDouble(), se = j.path("se").asDouble();
            if (Math.abs(shift) > 2 * se) {
                out.add(String.format(Locale.ROOT, "IE still moves with N: %+.3f bits from N/2 to N (SE %.3f); the interval covers a "
                        + "fresh draw at this N, not the change with N: compare runs at equal N", shift, se));
            }
        }
        if (!ie.missing() && !ie.resampled()) {
            out.add("intervals omit the sampling error of the dataset draw (" + samplingErrorOmitted() + "): they cover the "
                    + "estimators' own error only");
        }
        if (policy.mixed(random)) {
            out.add("mixed modes: E(l, t) subtracts exact discrete micro MIs from continuous macro estimates (raw mode, --noise 0)");
        }
        for (List<String> v : where.values()) {
            out.add(BitsText.of(v.size() == 1 ? v.get(0) : v.get(0) + " (and " + (v.size() - 1) + " similar)"));
        }
        return out;
    }

    void write(Path root, boolean finished) throws IOException {
        AtomicFiles.writeString(root.resolve("summary.json"), RunDir.JSON.writeValueAsString(json(finished)) + "\n");
    }

    // ------------------------------------------------------------------ results.csv, emergence.csv

    /** results.csv (every MI) and emergence.csv (every E and IE, from the summary just written). */
    void writeTables(Path root, ObjectNode summary) throws IOException {
        ResultsTable.write(root.resolve("results.csv"), layers, t, est, positionTokens());
        EmergenceTable.write(root.resolve(EmergenceTable.FILE), RunSummary.of(summary, root.resolve("summary.json").toString()));
    }

    /** The token text of each constant position (null where it varies), or null when the dataset has none. */
    @SuppressWarnings("unchecked")
    List<String> positionTokens() {
        Object v = data.details().get(org.emergence.data.PositionTokens.KEY);
        return v instanceof List<?> l && l.size() == t ? (List<String>) l : null;
    }
}
