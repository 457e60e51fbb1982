package org.emergence.ie;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;

/**
 * A run's summary.json as a typed value: what the report, the CLI, emergence.csv, validate and study read instead of
 * looking into the JSON by string keys. A plain value: {@code RunSummaryJson} reads it ({@code RunSummaryJson.read(Path)},
 * {@code RunSummaryJson.of(JsonNode, String)}), {@code RunSummaryWriter} writes it, and {@link SummaryBuilder} builds it;
 * the layout of the file is documented in docs/outputs.md.
 *
 * <p>Read tolerantly: every number may be null (not yet estimated), and missing arrays or short rows mean "not
 * estimated". Missing values are {@code NaN} ({@link Val#MISSING}); infinite values are kept as they are (the
 * renderers skip anything non-finite). Optional blocks a summary may lack (older runs; {@code null} without twins;
 * {@code E_context} for encoders) are null.
 *
 * @param file     where it was read from (null when built from a tree in memory)
 * @param relative the null model of a run relative to untrained twins, or null (a raw run)
 * @param context  the published code's variant (in-context MIs in place of micro ones; causal models), or null
 */
public record RunSummary(
        Path file,
        Header header,
        Model model,
        Dataset dataset,
        Method method,
        Axes axes,
        Results results,
        Relative relative,
        Context context,
        List<String> warnings,
        Timing timing) {

    /** tool, version, status ("complete" or "partial"), created, updated (each null when absent, but status). */
    public record Header(String tool, String version, String status, String created, String updated) {}

    /** The model measured; null components are absent from the file. */
    public record Model(String name, String modelType, Integer layers, Integer hidden, Boolean causal, String ablation) {}

    /** The dataset: its spec, N sequences of T tokens, and details (a free-form map, without position tokens). */
    public record Dataset(String spec, Long n, Integer t, String description, JsonNode details) {}

    /**
     * How the run measured: its settings, the one-line measurement, the estimation modes, how intervals were made, and
     * the names of E(l)'s two terms (null in summaries written before they existed).
     */
    public record Method(Settings settings, String measurement, Modes modes, String intervalMethod, TermNames terms) {}

    /**
     * The run's settings (settings.json without model and dataset): the few every reader needs, typed, and the whole
     * map ({@code all}, null when absent) for the report's settings table and the campaign files that record it.
     */
    public record Settings(String estimator, JsonNode noise, Boolean noiseAbsolute, String pairing, Long seed, String positions,
                           JsonNode all) {
        public static final Settings NONE = new Settings(null, null, null, null, null, null, null);
    }

    public record Modes(String macro, String micro, boolean mixed, String note) {}

    /** E(l)'s two terms as the run names them ({@link Terms}), stated in summary.json. */
    public record TermNames(String pairing, String eDefinition, String macro, String micro, String macroShort, String microShort) {}

    /**
     * The measured grid: layers and positions, which positions hold the same token in every sequence, which ones E(l)
     * and IE average over, and each position's token text (null where it varies) and label (null when absent).
     */
    public record Axes(int[] layers, int[] positions, boolean[] constant, int[] aggregated, String[] tokens, String[] labels) {}

    /**
     * Every MI (macro, micro, context cells with estimator and mode) and emergence quantity: E(l, t), E(l) with its
     * terms, IE(t) and IE. Matrices have one row per layer and one entry per position.
     */
    public record Results(Val[][] macro, Val[][] micro, Val[][] context, Val[][] e, LayerE[] eLayer, Val[] ieT, Val ie) {}

    /**
     * A relative run's null model: the twins' seeds, this run's own (raw) E(l, t) and IE, and each twin's IE and E(l);
     * E(l)'s raw value is {@link LayerE#raw()}. {@code eRaw} is null when the summary lacks it.
     */
    public record Relative(String what, int twins, long[] seeds, Val[][] eRaw, Val ieRaw, List<Twin> perTwin, double twinsMeanBits) {}

    /** One untrained twin: its seed, IE, and E(l) per measured layer (NaN where missing). */
    public record Twin(long seed, Val ie, double[] eLayerBits) {}

    /** E_context(l, t) and IE_context. */
    public record Context(Val[][] e, Val ie) {}

    /**
     * Timing in seconds (NaN when absent), estimates reused and computed on resume (-1 when absent), which GEMM ran each
     * forward product (empty when absent), and the block as read from a file ({@code all}, for the report's table; null
     * when absent or built in memory).
     */
    public record Timing(double captureSeconds, double estimateSeconds, double totalSeconds, int estimatesReused,
                         int estimatesComputed, java.util.Map<String, String> forwardKernels, JsonNode all) {
        public static final Timing NONE = new Timing(Double.NaN, Double.NaN, Double.NaN, -1, -1, java.util.Map.of(), null);
    }

    /**
     * A value in bits with its interval (NaN where missing); for MI cells the estimator and mode (null if absent); for
     * reported quantities how the interval was made ({@link Spread}, null if absent) and where the value comes from
     * ({@link Split}, null if absent).
     */
    public record Val(double bits, double ciLow, double ciHigh, String estimator, String mode, Spread spread, Split split) {
        public static final Val MISSING = new Val(Double.NaN, Double.NaN, Double.NaN, null, null, null, null);

        public Val(double bits, double ciLow, double ciHigh) {
            this(bits, ciLow, ciHigh, null, null, null, null);
        }

        public boolean present() {
            return !Double.isNaN(bits);
        }

        public boolean finite() {
            return Double.isFinite(bits);
        }

        /** Finite and of a magnitude a chart axis can span ({@link #PLOT_LIMIT}). */
        public boolean plottable() {
            return plottable(bits);
        }

        /** Lower end for plotting: the interval's if plottable, else the value; never above the value. */
        public double plotLow() {
            return plottable(ciLow) ? Math.min(ciLow, bits) : bits;
        }

        public double plotHigh() {
            return plottable(ciHigh) ? Math.max(ciHigh, bits) : bits;
        }

        /**
         * Largest magnitude (bits) the charts draw; anything beyond is not a plausible mutual information and would
         * overflow the axis arithmetic, so it is reported as not plotted.
         */
        public static final double PLOT_LIMIT = 1e12;

        public static boolean plottable(double v) {
            return Double.isFinite(v) && Math.abs(v) <= PLOT_LIMIT;
        }

        public boolean hasInterval() {
            return Double.isFinite(ciLow) && Double.isFinite(ciHigh);
        }

        /** The interval's method ("jackknife", "quadrature" …), or null. */
        public String interval() {
            return spread == null ? null : spread.interval();
        }

        /** The jackknife standard error, NaN without replicates. */
        public double se() {
            return spread == null ? Double.NaN : spread.se();
        }

        /** The number of jackknife groups (leave-one-group-out values), 0 without replicates. */
        public int groups() {
            return spread == null || spread.leaveOut() == null ? 0 : spread.leaveOut().length;
        }

        /** As a quantity to compare with others ({@link Estimated}). */
        public Estimated estimated() {
            double[] lo = spread == null ? null : spread.leaveOut();
            return new Estimated(bits, ciLow, ciHigh, se(), lo != null && lo.length >= 4 ? lo.clone() : null);
        }
    }

    /**
     * How a reported quantity's interval was made: its method, the twins' seed SE and the t quantile (relative runs with
     * several twins), the jackknife SE, the values on a quarter, half and all sequences, the last doubling's shift and
     * the leave-one-group-out values (absent: NaN / null).
     */
    public record Spread(String interval, double twinSeedSe, double tQuantile, double se, Convergence nConvergence,
                         double finiteNShift, double[] leaveOut) {}

    /** The same estimate on a quarter, half and all of the sequences. */
    public record Convergence(double quarter, double half, double full) {}

    /** A value's parts from constant-token positions and from positions whose token varies. */
    public record Split(double constantBits, double varyingBits, boolean dominatedByConstant) {}

    /**
     * One entry of E_layer: E(l) and the two terms it is the difference of (the macro and the micro MI it pairs with),
     * and for a relative run this run's own E(l) ({@code raw}), each term with its interval and SE where given.
     */
    public record LayerE(int layer, Val e, Val macro, Val micro, Val raw) {
        public static LayerE missing(int layer) {
            return new LayerE(layer, Val.MISSING, Val.MISSING, Val.MISSING, Val.MISSING);
        }

        public double macroBits() {
            return macro.bits();
        }

        public double microMeanBits() {
            return micro.bits();
        }
    }

    // ------------------------------------------------------------------ shortcuts readers use most

    public String status() {
        return header.status();
    }

    public boolean partial() {
        return "partial".equals(header.status());
    }

    public boolean complete() {
        return "complete".equals(header.status());
    }

    /** True for decoder (causal) models; false for encoders or when unknown. */
    public boolean causal() {
        return Boolean.TRUE.equals(model.causal());
    }

    public int[] layers() {
        return axes.layers();
    }

    public int[] positions() {
        return axes.positions();
    }

    public Val ie() {
        return results.ie();
    }

    public Settings settings() {
        return method.settings();
    }

    public Modes modes() {
        return method.modes();
    }
}
