package org.emergence.mi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.emergence.common.UserError;

/**
 * The steps every estimator shares: input checks (paired rows, finite values), diagnostics of the
 * samples, the exact answer 0 when X or Y is constant, timing, and the honesty rules (a saturation
 * warning near a variational ceiling, never a non-finite value).
 */
public abstract class AbstractEstimator implements Estimator {
    private final String name;

    protected AbstractEstimator(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    /** Fewest samples the estimator accepts. */
    protected int minSamples() {
        return 4;
    }

    /** What {@link #compute} returns; warnings and extra diagnostics go through the {@link Context}. */
    public record Result(double nats, double ciLow, double ciHigh, String intervalMethod, double ceilingNats) {
        public static Result of(double nats, double se, String method) {
            return new Result(nats, nats - 1.96 * se, nats + 1.96 * se, method, Double.NaN);
        }

        public Result withCeiling(double c) {
            return new Result(nats, ciLow, ciHigh, intervalMethod, c);
        }
    }

    /** Per-call state: diagnostics (computed once, on demand), warnings and extra diagnostics. */
    protected static final class Context {
        private final Matrix x, y;
        private final RowGroups groups;
        private Replicates replicates;
        private Diagnostics diagnostics;
        final List<String> warnings = new ArrayList<>();
        final Map<String, Object> extra = new LinkedHashMap<>();
        private String estimatorName;

        Context(Matrix x, Matrix y, Diagnostics known, RowGroups groups) {
            this.x = x;
            this.y = y;
            this.diagnostics = known;
            this.groups = groups;
        }

        /** The row groups replicates were asked for, or null. */
        public RowGroups groups() {
            return groups;
        }

        /** Supplies replicates computed in the same pass (otherwise they are recomputed on subsets). */
        public void replicates(Replicates r) {
            replicates = r;
        }

        public Diagnostics diagnostics() {
            if (diagnostics == null) diagnostics = Diagnostics.of(x, y);
            return diagnostics;
        }

        /** Supplies diagnostics from covariances the estimator computed anyway (no-op if already known). */
        public Diagnostics diagnostics(double[] covX, double[] covY) {
            if (diagnostics == null) diagnostics = Diagnostics.of(x, y, covX, covY);
            return diagnostics;
        }

        public void warn(String w) {
            if (!warnings.contains(w)) warnings.add(w);
        }

        public void put(String key, Object value) {
            extra.put(key, value);
        }

        /** Reports a different estimator name (e.g. a policy that delegated). */
        public void reportAs(String n) {
            estimatorName = n;
        }
    }

    /** The estimate proper; x and y are checked, finite and neither is constant. */
    protected abstract Result compute(Matrix x, Matrix y, long seed, Context ctx);

    @Override
    public final Estimate estimate(Matrix x, Matrix y, long seed) {
        return estimate(x, y, seed, null);
    }

    @Override
    public final Estimate estimateWithReplicates(Matrix x, Matrix y, long seed, RowGroups groups) {
        return estimate(x, y, seed, null, groups);
    }

    /** Same, reusing diagnostics already computed for exactly these x and y (null: compute them). */
    public Estimate estimate(Matrix x, Matrix y, long seed, Diagnostics known) {
        return estimate(x, y, seed, known, null);
    }

    /**
     * The estimate, with replicates over {@code groups} when it is not null (from the estimator's own
     * pass if it has one, else by recomputation on the subsets).
     */
    public Estimate estimate(Matrix x, Matrix y, long seed, Diagnostics known, RowGroups groups) {
        long t0 = System.nanoTime();
        Inputs.requirePair(x, y, minSamples());
        if (groups != null && groups.rows() != x.rows()) {
            throw new IllegalArgumentException("row groups cover " + groups.rows() + " rows, the samples have " + x.rows());
        }
        Context ctx = new Context(x, y, known, groups);
        // known diagnostics already say it: a constant variable is one distinct row (by value, like the columns)
        boolean constX = known != null ? known.distinctX() == 1 : isConstant(x);
        boolean constY = known != null ? known.distinctY() == 1 : isConstant(y);
        Result r;
        if (constX || constY) {
            ctx.warn((constX ? "X" : "Y") + " is constant (a single distinct row): MI is exactly 0");
            r = new Result(0, 0, 0, "exact (constant variable)", Double.NaN);
        } else {
            r = compute(x, y, seed, ctx);
        }
        if (!Double.isFinite(r.nats())) {
            throw new UserError(name + " produced a non-finite estimate (" + r.nats()
                    + "); the samples are too degenerate for it: try discrete-exact or --noise");
        }
        double lo = Double.isFinite(r.ciLow()) ? r.ciLow() : r.nats();
        double hi = Double.isFinite(r.ciHigh()) ? r.ciHigh() : r.nats();
        if (Double.isFinite(r.ceilingNats())) {
            ctx.put("ceiling_nats", r.ceilingNats());
            if (r.nats() >= 0.9 * r.ceilingNats()) {
                ctx.warn(String.format(Locale.ROOT,
                        "saturated: the estimate %.3f nats is within 10%% of this estimator's ceiling %.3f nats "
                                + "(%.3f bits; ln(n_eval) for variational bounds); the true MI may be much larger",
                        r.nats(), r.ceilingNats(), r.ceilingNats() * Estimate.LOG2E));
            }
        }
        Map<String, Object> diag = new LinkedHashMap<>(ctx.diagnostics().toMap());
        diag.putAll(ctx.extra);
        double secs = (System.nanoTime() - t0) / 1e9;
        String reported = ctx.estimatorName != null ? ctx.estimatorName : name;
        Estimate e = new Estimate(reported, x.rows(), x.cols(), y.cols(), r.nats(), lo, hi, r.intervalMethod(), secs,
                List.copyOf(ctx.warnings), java.util.Collections.unmodifiableMap(diag), null);
        if (groups == null) return e;
        Replicates rep = ctx.replicates;
        if (rep == null && (constX || constY)) {
            rep = new Replicates(new double[groups.groups()], new double[2], new double[4], 0);
        } else if (rep == null) {
            Replicates sub = Estimator.byRecomputation(this, x, y, seed, groups);
            rep = new Replicates(sub.leaveOutNats(), sub.halfNats(), sub.quarterNats(), (hi - lo) / (2 * 1.959963984540054));
        }
        Estimate out = Estimates.withReplicates(e, rep);
        return Estimates.with(out, Map.of(), List.of(), (System.nanoTime() - t0) / 1e9);
    }

    static boolean isConstant(Matrix m) {
        for (boolean v : Diagnostics.variesByColumn(m)) if (v) return false;
        return true;
    }

    /** Indices of the columns that take more than one value. */
    static int[] varyingColumns(Matrix m) {
        boolean[] v = Diagnostics.variesByColumn(m);
        return java.util.stream.IntStream.range(0, v.length).filter(i -> v[i]).toArray();
    }
}
