package org.emergence.ie;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.emergence.model.ModelConfig;

/**
 * A run's finished MI estimates (and its untrained twins') by level, layer and position, and every reported quantity as
 * a linear {@link Combination} of them: E(l, t), E(l) and its two terms, IE(t), IE — relative to the twins' mean when
 * there are twins, from this run alone or from one twin. {@link SummaryBuilder} turns them into the summary.
 */
final class EstimateCombinations {
    private final Measurement m;
    private final ModelConfig cfg;
    private final int t;
    private final int[] layers;
    private final boolean[] constant;
    /** level → layer → position → estimate. */
    private final Map<Level, Map<Integer, Map<Integer, EstimateFile>>> est = new LinkedHashMap<>();
    /** The untrained twins' estimates, the same way (empty: raw run), and their seeds. */
    private final List<Map<Level, Map<Integer, Map<Integer, EstimateFile>>>> twins = new ArrayList<>();
    private final List<Long> twinSeeds = new ArrayList<>();
    /**
     * Which estimates a combination is built from: this run minus the twins' mean (RELATIVE, the reported values of a
     * relative measurement), this run alone (RAW), or one twin alone (TWIN, index {@link #twin}).
     */
    enum Source { RELATIVE, RAW, TWIN }
    private Source source = Source.RELATIVE;
    private int twin;

    void load(Map<String, EstimateFile> done) {
        for (EstimateFile j : done.values()) put(j);
    }

    void put(EstimateFile j) {
        put(est, j);
    }

    private static void put(Map<Level, Map<Integer, Map<Integer, EstimateFile>>> into, EstimateFile j) {
        into.get(j.level()).computeIfAbsent(j.layer(), k -> new TreeMap<>()).put(j.position(), j);
    }

    /** One untrained twin's finished estimates (by file name): every reported E and IE becomes relative to the twins. */
    void twin(long seed, Map<String, EstimateFile> done) {
        Map<Level, Map<Integer, Map<Integer, EstimateFile>>> m = new LinkedHashMap<>();
        for (Level l : Level.values()) m.put(l, new TreeMap<>());
        for (EstimateFile j : done.values()) put(m, j);
        twins.add(m);
        twinSeeds.add(seed);
    }


    EstimateFile get(Level level, int layer, int pos) {
        return get(est, level, layer, pos);
    }

    private static EstimateFile get(Map<Level, Map<Integer, Map<Integer, EstimateFile>>> from, Level level, int layer, int pos) {
        Map<Integer, EstimateFile> byPos = from.get(level).get(layer);
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
    Combination quantity(java.util.function.Supplier<Combination> q) {
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
    Combination from(Source s, int k, java.util.function.Supplier<Combination> q) {
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

    Combination e(Level microLevel, int l, int pos) {
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

    Combination eLayer(Level microLevel, int l) {
        return overPositions(p -> e(microLevel, l, p));
    }

    Combination macroLayer(int l) {
        return overPositions(p -> term(Level.MACRO, l, p, 1));
    }

    Combination microLayer(int l) {
        return overPositions(p -> pairedMicro(Level.MICRO, l, p));
    }

    Combination ieT(Level microLevel, int pos) {
        Combination c = new Combination();
        for (int l : layers) c.add(e(microLevel, l, pos), 1.0 / layers.length);
        return c;
    }

    Combination ie(Level microLevel) {
        Combination c = new Combination();
        for (int l : layers) c.add(eLayer(microLevel, l), 1.0 / layers.length);
        return c;
    }

    /** IE's leave-one-group-out values, for differences between runs (null without replicates). */
    double[] ieLeaveOut() {
        return quantity(() -> ie(Level.MICRO)).leaveOut();
    }

    EstimateCombinations(Measurement m, ModelConfig cfg, int t, int[] layers, boolean[] constant) {
        this.m = m;
        this.cfg = cfg;
        this.t = t;
        this.layers = layers;
        this.constant = constant;
        for (Level l : Level.values()) est.put(l, new TreeMap<>());
    }

    /** The finished estimates of this run (level → layer → position → estimate). */
    Map<Level, Map<Integer, Map<Integer, EstimateFile>>> estimates() {
        return est;
    }

    int twins() {
        return twins.size();
    }

    long twinSeed(int k) {
        return twinSeeds.get(k);
    }

    long[] twinSeeds() {
        return twinSeeds.stream().mapToLong(Long::longValue).toArray();
    }
}
