package org.emergence.ie;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.emergence.common.AtomicFiles;
import org.emergence.data.Dataset;
import org.emergence.ie.EstimateCombinations.Source;
import org.emergence.mi.Estimate;
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
    /** The finished estimates and every reported quantity as a combination of them. */
    private final EstimateCombinations mi;
    private final List<String> recovered = new ArrayList<>();
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
        this.mi = new EstimateCombinations(m, cfg, t, layers, constant);
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

    void load(Map<String, EstimateFile> done) {
        mi.load(done);
    }

    void put(EstimateFile j) {
        mi.put(j);
    }

    /** One untrained twin's finished estimates (by file name): every reported E and IE becomes relative to the twins. */
    void twin(long seed, Map<String, EstimateFile> done) {
        mi.twin(seed, done);
    }

    /** IE's leave-one-group-out values, for differences between runs (null without replicates). */
    double[] ieLeaveOut() {
        return mi.ieLeaveOut();
    }

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

    // ------------------------------------------------------------------ summary.json

    boolean complete() {
        for (int l : layers) {
            for (int p = 0; p < t; p++) {
                if ((m.needs(Level.MACRO, p, t) && mi.get(Level.MACRO, l, p) == null) || (m.needs(Level.MICRO, p, t) && mi.get(Level.MICRO, l, p) == null)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** A result is dominated by constant-token positions when they contribute more than half of it. */
    static final double DOMINATED = 0.5;

    /** summary.json as it stands: complete when the run has finished and every estimate is in. */
    ObjectNode json(boolean finished) {
        return RunSummaryWriter.write(summary(finished));
    }

    /** The run's summary as it stands (what {@link #json} writes). */
    RunSummary summary(boolean finished) {
        RunSummary.Header header = new RunSummary.Header("emergence", s.version(), finished && complete() ? "complete" : "partial",
                created, Instant.now().toString());
        RunSummary.Model model = new RunSummary.Model(modelName, cfg.modelType(), cfg.layers(), cfg.hidden(), cfg.causal(), s.ablation());
        ObjectNode details = RunDir.JSON.valueToTree(data.details());
        details.remove(org.emergence.data.PositionTokens.KEY);
        RunSummary.Dataset dataset = new RunSummary.Dataset(data.spec(), (long) data.n(), t, data.description(), details);
        ObjectNode st = s.toJson();
        st.remove("model");
        st.remove("model_type");
        st.remove("dataset");
        String macroMode = policy.mode(Level.MACRO, 1, random);
        if (!policy.mode(Level.MACRO, 0, random).equals(macroMode)) {
            macroMode = macroMode + " (" + m.estimator() + "); layer 0: " + policy.mode(Level.MACRO, 0, random);
        }
        boolean mixed = policy.mixed(random);
        RunSummary.Modes modes = new RunSummary.Modes(macroMode, policy.mode(Level.MICRO, 1, random), mixed, mixed
                ? "Raw activations (no noise): micro MIs (and layer 0) are exact discrete MIs of token identities, later "
                    + "macro MIs are continuous estimates; E(l, t) subtracts one kind from the other (mixed modes)."
                : s.noisy()
                    ? "Every MI is estimated between noise-regularised states X + σZ and Y + σZ' with the same estimator, "
                        + "so E(l, t) compares like with like."
                    : "Every MI is a continuous estimate on random inputs.");
        Combination ie = mi.quantity(() -> mi.ie(Level.MICRO));
        Terms terms = Terms.of(cfg.causal(), m.pairing(), mi.aggregated(), t);
        RunSummary.Method method = new RunSummary.Method(RunSummaryJson.settings(st), m.describe(), modes, intervalMethod(ie),
                new RunSummary.TermNames(terms.pairing(), terms.eDefinition(), terms.macro(), terms.micro(), terms.macroShort(),
                        terms.microShort()));
        List<String> tokens = positionTokens();
        String[] toks = new String[t], labels = new String[t];
        for (int p = 0; p < t; p++) {
            toks[p] = tokens == null ? null : tokens.get(p);
            labels[p] = random ? "" : org.emergence.data.PositionTokens.label(toks[p], data.kind());
        }
        RunSummary.Axes axes = new RunSummary.Axes(layers.clone(), java.util.stream.IntStream.range(0, t).toArray(), constant.clone(),
                mi.aggregated(), toks, labels);
        RunSummary.Val[][] e = grid((l, p) -> mi.quantity(() -> mi.e(Level.MICRO, l, p)));
        RunSummary.LayerE[] eLayer = new RunSummary.LayerE[layers.length];
        for (int i = 0; i < layers.length; i++) {
            int l = layers[i];
            RunSummary.Val el = withSplit(mi.quantity(() -> mi.eLayer(Level.MICRO, l)));
            // the run's own MIs (the twins' are in "null"), each with its interval
            eLayer[i] = new RunSummary.LayerE(l, el, term(el, mi.from(Source.RAW, 0, () -> mi.macroLayer(l))),
                    term(el, mi.from(Source.RAW, 0, () -> mi.microLayer(l))),
                    mi.twins() == 0 ? RunSummary.Val.MISSING : term(el, mi.from(Source.RAW, 0, () -> mi.eLayer(Level.MICRO, l))));
        }
        RunSummary.Val[] ieT = new RunSummary.Val[t];
        for (int p = 0; p < t; p++) {
            final int pp = p;
            ieT[p] = mi.quantity(() -> mi.ieT(Level.MICRO, pp)).val();
        }
        RunSummary.Results results = new RunSummary.Results(cells(Level.MACRO), cells(Level.MICRO), cells(Level.MACRO), e, eLayer, ieT,
                withSplit(ie));
        // the published code's variant: in-context MIs in place of micro ones. For an encoder every position sees the
        // whole sequence, so it would subtract the macro MIs from themselves (0 by construction)
        RunSummary.Context context = cfg.causal() ? new RunSummary.Context(grid((l, p) -> mi.from(Source.RAW, 0, () -> mi.e(Level.CONTEXT, l, p))),
                mi.from(Source.RAW, 0, () -> mi.ie(Level.CONTEXT)).val()) : null;
        RunSummary.Timing timing = new RunSummary.Timing(captureSecs, estimateSecs, totalSecs, reused, computed,
                // which GEMM ran each forward product of this process (a resumed run lists only what it recomputed)
                org.emergence.tensor.SgemmChoice.used(), null);
        return new RunSummary(null, header, model, dataset, method, axes, results, mi.twins() == 0 ? null : nullModel(), context,
                warnings(ie), timing);
    }

    /** A value per (layer, position) of the measured grid. */
    private RunSummary.Val[][] grid(java.util.function.BiFunction<Integer, Integer, Combination> f) {
        RunSummary.Val[][] g = new RunSummary.Val[layers.length][t];
        for (int i = 0; i < layers.length; i++) for (int p = 0; p < t; p++) g[i][p] = f.apply(layers[i], p).val();
        return g;
    }

    /**
     * The null model of a relative measurement: the twins' seeds, each twin's IE and E(l), their mean, and this run's raw
     * E(l, t) (at every position: the twins measure only the positions IE needs when that is the last one) and IE —
     * IE = raw − the twins' mean.
     */
    private RunSummary.Relative nullModel() {
        List<RunSummary.Twin> per = new ArrayList<>();
        double mean = 0;
        for (int k = 0; k < mi.twins(); k++) {
            final int kk = k;
            double[] el = new double[layers.length];
            for (int i = 0; i < layers.length; i++) {
                int l = layers[i];
                Combination c = mi.from(Source.TWIN, kk, () -> mi.eLayer(Level.MICRO, l));
                el[i] = c.missing() ? Double.NaN : c.value;
            }
            RunSummary.Val v = mi.from(Source.TWIN, k, () -> mi.ie(Level.MICRO)).val();
            per.add(new RunSummary.Twin(mi.twinSeed(k), v, el));
            mean += v.bits() / mi.twins();
        }
        return new RunSummary.Relative("untrained twins: the same architecture at its Hugging Face initialisation, measured on the "
                + "same sequences with the same measurement; IE and every E are this run's values minus the twins' mean", mi.twins(),
                mi.twinSeeds(), grid((l, p) -> mi.from(Source.RAW, 0, () -> mi.e(Level.MICRO, l, p))),
                mi.from(Source.RAW, 0, () -> mi.ie(Level.MICRO)).val(), List.copyOf(per), mean);
    }

    /** A value with where it comes from: constant-token positions vs positions whose token varies. */
    private static RunSummary.Val withSplit(Combination c) {
        RunSummary.Val v = c.val();
        if (c.missing()) return v;
        return new RunSummary.Val(v.bits(), v.ciLow(), v.ciHigh(), null, null, v.spread(), new RunSummary.Split(c.constantPart,
                c.value - c.constantPart, Math.abs(c.constantPart) > DOMINATED * Math.abs(c.value) && c.value != 0));
    }

    /** One of E(l)'s terms: its value and interval (SE with replicates), read with E(l)'s interval method and groups. */
    private static RunSummary.Val term(RunSummary.Val of, Combination c) {
        if (c.missing()) return RunSummary.Val.MISSING;
        RunSummary.Spread spread = of.spread() == null && !c.resampled() ? null : new RunSummary.Spread(of.interval(), Double.NaN,
                Double.NaN, c.resampled() ? c.se() : Double.NaN, null, Double.NaN, of.spread() == null ? null : of.spread().leaveOut());
        return new RunSummary.Val(c.value, c.low(), c.high(), null, null, spread, null);
    }

    /**
     * How the intervals were made, naming the groups and the t quantile actually used: a run of few sequences
     * has fewer groups than {@code --groups} asks for ({@link EstimateCells#groupsFor}), and below 8 none at all.
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
                    + (mi.twins() == 0 ? "" : " Relative to " + mi.twins() + " untrained twins: each replicate is the "
                        + "run's minus the twins' mean on the same groups" + (mi.twins() > 1 ? ", and the spread of the "
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

    /** An MI grid: each estimate's value, interval, estimator and mode (missing where not estimated yet). */
    private RunSummary.Val[][] cells(Level level) {
        RunSummary.Val[][] g = new RunSummary.Val[layers.length][t];
        for (int i = 0; i < layers.length; i++) {
            for (int p = 0; p < t; p++) {
                EstimateFile f = mi.get(level, layers[i], p);
                Estimate e = f == null ? null : f.estimate();
                g[i][p] = e == null ? RunSummary.Val.MISSING
                        : new RunSummary.Val(e.bits(), e.ciLowBits(), e.ciHighBits(), e.estimator(), f.mode(), null, null);
            }
        }
        return g;
    }

    /** Distinct warnings with where they occurred (capped), plus the mixed-mode and provenance notes. */
    List<String> warnings(Combination ie) {
        Map<String, List<String>> where = new LinkedHashMap<>();
        for (Level level : new Level[] {Level.MACRO, Level.MICRO}) {
            for (Map.Entry<Integer, Map<Integer, EstimateFile>> byLayer : mi.estimates().get(level).entrySet()) {
                for (Map.Entry<Integer, EstimateFile> byPos : byLayer.getValue().entrySet()) {
                    for (String w : byPos.getValue().estimate().warnings()) {
                        // group messages that differ only in numbers
                        String key = w.replaceAll("[0-9][0-9.e+-]*", "#");
                        where.computeIfAbsent(key, k -> new ArrayList<>())
                                .add(level.key() + " l" + byLayer.getKey() + " t" + byPos.getKey() + ": " + w);
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
        if (ie.resampled() && !ie.missing()) {
            RunSummary.Spread sp = ie.val().spread();
            double shift = sp.finiteNShift(), se = sp.se();
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
        ResultsTable.write(root.resolve("results.csv"), layers, t, mi.estimates(), positionTokens());
        EmergenceTable.write(root.resolve(EmergenceTable.FILE), RunSummaryJson.of(summary, root.resolve("summary.json").toString()));
    }

    /** The token text of each constant position (null where it varies), or null when the dataset has none. */
    @SuppressWarnings("unchecked")
    List<String> positionTokens() {
        Object v = data.details().get(org.emergence.data.PositionTokens.KEY);
        return v instanceof List<?> l && l.size() == t ? (List<String>) l : null;
    }
}
