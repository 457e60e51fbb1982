package org.emergence.ie;

import java.util.function.IntFunction;
import org.emergence.common.Seeds;
import org.emergence.common.UserError;
import org.emergence.mi.Estimate;
import org.emergence.mi.Matrix;
import org.emergence.mi.NoiseRegularized;
import org.emergence.mi.RowGroups;

/**
 * The estimates of one run as independent cells, one per (level, layer, position): what a backend that
 * computes them elsewhere (the Spark module) needs to reproduce a local run's numbers exactly.
 * A cell's result depends only on the run's settings, its two [N, H] sample matrices and its layer's
 * noise scale; the seed and the jackknife partition are derived here from the settings, the same way
 * for every backend.
 */
public final class EstimateCells {
    private final RunSettings s;
    private final MiPolicy policy;
    /** the sequences' partition for the jackknife, the same for every cell of the run (null: none) */
    private final RowGroups groups;

    public EstimateCells(RunSettings s) {
        this.s = s;
        this.policy = new MiPolicy(s.measurement());
        this.groups = groupsFor(s.measurement().groups(), s.n(), s.seed());
    }

    RowGroups groups() {
        return groups;
    }

    /** Whether cells need their layer's pooled state RMS ({@link #pooledRms}) before and after the block. */
    public boolean needsLayerScale() {
        return policy.needsLayerScale();
    }

    /**
     * One cell: the MI between block l's input x and output y [N, H] at position i, as the run keeps it
     * (est/*.json, {@link EstimateFile#toJson}).
     *
     * @param layerRms the pooled RMS of the block's input and output states (null when not needed)
     */
    public EstimateFile estimate(Level level, int l, int i, boolean random, Matrix x, Matrix y, double[] layerRms) {
        long seed = Seeds.mix(Seeds.mix(Seeds.mix(s.seed(), level.ordinal() + 1), l), i);
        Estimate e = policy.estimate(level, l, random, x, y, seed, groups, layerRms);
        finite(e.nats());
        finite(e.ciLowNats());
        finite(e.ciHighNats());
        return new EstimateFile(level, l, i, policy.mode(level, l, random), e);
    }

    /** The file name of a cell's estimate in a run directory's est/. */
    public static String fileName(Level level, int layer, int position) {
        return EstimateFile.fileName(level, layer, position);
    }

    /**
     * sqrt of the mean squared deviation of a layer's states from their position's column means, pooled
     * over all T positions: the spread of a state across sequences, whatever its position.
     */
    public static double pooledRms(IntFunction<Matrix> position, int t, String what) {
        double s = 0;
        for (int i = 0; i < t; i++) {
            double r = NoiseRegularized.rms(position.apply(i));
            s += r * r;
        }
        double v = Math.sqrt(s / t);
        if (!Double.isFinite(v)) {
            throw new UserError(what + ": the states are not finite (NaN or infinity: in the activation files, or from an input "
                    + "variance or a model that overflows)");
        }
        if (!(v > 0)) throw new UserError(what + ": every state is the same at every position (zero spread); "
                + "a noise scale relative to it is undefined: use --noise-scale absolute");
        return v;
    }

    /**
     * The run's partition of its N sequences: G groups, fewer when N is small (every group keeps at least
     * two sequences and G stays a multiple of 4, so that halves and quarters are whole groups); none when
     * N < 8 or G = 0.
     */
    static RowGroups groupsFor(int groups, int n, long seed) {
        int g = Math.min(groups, n / 2 / 4 * 4);
        return g >= 4 ? RowGroups.random(n, g, Seeds.mix(seed, 0x9A0B)) : null;
    }

    /** Estimators never return NaN/∞ by contract; this is the last line of defence for the files. */
    private static double finite(double v) {
        if (!Double.isFinite(v)) throw new IllegalStateException("estimator returned a non-finite value " + v);
        return v;
    }
}
