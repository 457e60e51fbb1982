package org.emergence.ie;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import org.emergence.common.UserError;

/**
 * How a run turns activations into E and IE: the estimator and its noise, how a token is fed alone
 * (the micro level), which micro MIs a macro MI is compared with, which positions make up E(l), and
 * the row groups behind every interval. Every field changes the numbers, so all are part of a run's
 * settings. docs/measurement.md gives the evidence behind the defaults.
 *
 * @param estimator        MI estimator name (see {@code emergence mi --help})
 * @param noise            σ of the Gaussian noise added to block inputs and outputs (0 = raw activations)
 * @param noiseScale       what σ is a multiple of
 * @param microPosition    "zero" (a token alone at position id 0) or "original" (at its position id in the sequence)
 * @param microSpecials    feed a lone token with the tokenizer's special tokens around it ([CLS] x [SEP]) and take
 *                         the token's state; only when the dataset's sequences carry them
 * @param pairing          which micro MIs E(l, t) subtracts from MI_macro(l, t)
 * @param positions        which E(l, t) make up E(l) and IE
 * @param groups           row groups (sequences) of the delete-a-group jackknife behind every interval; 0 = none
 *                         (intervals then only hold each estimator's own error)
 * @param discreteThreshold raw mode: pairs with at most this share of distinct (x, y) values use discrete-exact
 * @param referenceRms     with the layer scale: the pooled RMS of each hidden state h^k (k = 0 … L; NaN where not
 *                         measured) taken from a reference run of the same model ({@code --noise-reference}), used
 *                         instead of this run's own, so datasets measured through one model share one noise scale;
 *                         null = this run's own RMS
 * @param nullTwins        untrained twins (the same architecture at its Hugging Face initialisation, K seeds derived
 *                         from the run's seed) measured on the same sequences with the same measurement; every E and
 *                         IE is reported relative to their mean (0 = raw, the paper's quantities)
 * @param noiseScales      how many noise scales, each double the last: σ, 2σ, 4σ … (every MI is the mean over them,
 *                         a band of resolutions rather than one); 1 = σ alone
 * @param ieCellsOnly      estimate only the cells IE needs (a twin of a last-position measurement: the last position,
 *                         and the micro MIs prefix pairing averages); false: every (level, position)
 */
public record Measurement(String estimator, double noise, NoiseScale noiseScale, String microPosition, boolean microSpecials,
                          Pairing pairing, Positions positions, int groups, double discreteThreshold, double[] referenceRms,
                          int nullTwins, int noiseScales, boolean ieCellsOnly)
        implements java.io.Serializable {

    /** What the noise σ multiplies. */
    public enum NoiseScale {
        /**
         * The root mean square of the block's in-context states, within positions and pooled over all
         * positions — one scale for the block input h^l and one for its output h^(l+1) — shared by every
         * position and by both levels, so macro and micro MIs are measured at the same resolution.
         */
        LAYER,
        /** The RMS of each variable separately: every (layer, position, level) and X, Y its own scale. */
        VARIABLE,
        /** σ itself, in activation units, for every variable. */
        ABSOLUTE;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static NoiseScale parse(String s) {
            for (NoiseScale v : values()) if (v.key().equals(s)) return v;
            throw new UserError("--noise-scale must be layer, variable or absolute, got '" + s + "'");
        }
    }

    /** Which micro MIs a macro MI is compared with. */
    public enum Pairing {
        /** MI_micro of the token at the same position: E(l, t) = MI_macro(l, t) − MI_micro(l, t). */
        MATCHED,
        /**
         * The published definition: the mean micro MI of the tokens the position can see — i ≤ t in a causal
         * model, every position in an encoder.
         */
        PREFIX;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Pairing parse(String s) {
            for (Pairing v : values()) if (v.key().equals(s)) return v;
            throw new UserError("--pairing must be matched or prefix, got '" + s + "'");
        }
    }

    /** Which positions make up E(l) = mean of E(l, t) over them, and IE = mean of E(l) over layers. */
    public enum Positions {
        /** The last position only (a causal model's last token has read the whole sequence). */
        LAST,
        /** Every position. */
        ALL,
        /** The positions whose token varies across the dataset (constant ones — separators, [CLS] — left out). */
        VARYING;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Positions parse(String s) {
            for (Positions v : values()) if (v.key().equals(s)) return v;
            throw new UserError("--positions must be last, all or varying, got '" + s + "'");
        }
    }

    static final String REFERENCE_NEEDS_LAYER_SCALE =
            "--noise-reference sets the layer scale of σ: it needs --noise > 0 and --noise-scale layer";

    public Measurement {
        if (!(noise >= 0) || Double.isInfinite(noise)) throw new UserError("--noise must be >= 0, got " + noise);
        if (!microPosition.equals("zero") && !microPosition.equals("original")) {
            throw new UserError("--micro-position must be zero or original, got '" + microPosition + "'");
        }
        if (groups != 0 && (groups < 4 || groups % 4 != 0)) {
            throw new UserError("--groups must be 0 (no resampling) or a multiple of 4 that is at least 4, got " + groups);
        }
        if (!(discreteThreshold > 0 && discreteThreshold <= 1)) throw new UserError("--discrete-threshold must be in (0, 1]");
        if (noise == 0 && org.emergence.mi.Estimators.needsNoise(org.emergence.mi.Estimators.get(estimator))) {
            throw new UserError("--estimator mixture computes noise-regularised MI: it needs --noise > 0");
        }
        if (referenceRms != null && (noise == 0 || noiseScale != NoiseScale.LAYER)) throw new UserError(REFERENCE_NEEDS_LAYER_SCALE);
        if (nullTwins < 0 || nullTwins > MAX_TWINS) throw new UserError("--null-twins must be 0 … " + MAX_TWINS + ", got " + nullTwins);
        if (noiseScales < 1 || noiseScales > 8) throw new UserError("--noise-scales must be 1 … 8, got " + noiseScales);
    }

    /** More twins than this would multiply a run's cost without narrowing the null much further. */
    public static final int MAX_TWINS = 16;

    /** The same measurement without a reference: σ scaled by this run's own layer RMS; raw (no twins). */
    public Measurement(String estimator, double noise, NoiseScale noiseScale, String microPosition, boolean microSpecials,
                       Pairing pairing, Positions positions, int groups, double discreteThreshold) {
        this(estimator, noise, noiseScale, microPosition, microSpecials, pairing, positions, groups, discreteThreshold, null, 0, 1, false);
    }

    /** A measurement with every cell estimated. */
    public Measurement(String estimator, double noise, NoiseScale noiseScale, String microPosition, boolean microSpecials,
                       Pairing pairing, Positions positions, int groups, double discreteThreshold, double[] referenceRms,
                       int nullTwins, int noiseScales) {
        this(estimator, noise, noiseScale, microPosition, microSpecials, pairing, positions, groups, discreteThreshold,
                referenceRms, nullTwins, noiseScales, false);
    }

    /** The noise multiples of the band: σ, 2σ, … ({@link #noiseScales} of them; none without noise). */
    public double[] noiseBand() {
        if (!noisy()) return new double[0];
        double[] b = new double[noiseScales];
        for (int k = 0; k < b.length; k++) b[k] = noise * Math.pow(2, k);
        return b;
    }

    /** Whether a run estimates the MI of this level at this position (of T). */
    public boolean needs(Level level, int pos, int t) {
        if (!ieCellsOnly || positions != Positions.LAST) return true;
        return pos == t - 1 || (level == Level.MICRO && pairing == Pairing.PREFIX);
    }

    /** Whether E and IE are reported relative to untrained twins. */
    public boolean relative() {
        return nullTwins > 0;
    }

    /** The same measurement, estimating only the cells IE needs. */
    public Measurement withIeCellsOnly() {
        return new Measurement(estimator, noise, noiseScale, microPosition, microSpecials, pairing, positions, groups,
                discreteThreshold, referenceRms, nullTwins, noiseScales, true);
    }

    /** The same measurement of a twin: raw (twins have no twins of their own), and only the cells IE needs. */
    public Measurement twin() {
        // a twin is measured at its own layer RMS, also when the run takes its scale from a reference run
        // (--noise-reference): the reference is a trained model's, and an untrained network's states are on another scale
        return new Measurement(estimator, noise, noiseScale, microPosition, microSpecials, pairing, positions, groups,
                discreteThreshold, null, 0, noiseScales, true);
    }

    public boolean noisy() {
        return noise > 0;
    }

    public boolean resampled() {
        return groups > 0;
    }

    void put(ObjectNode o) {
        o.put("estimator", estimator);
        o.put("noise", noise);
        o.put("noise_scale", noiseScale.key());
        o.put("micro_position", microPosition);
        o.put("micro_specials", microSpecials);
        o.put("pairing", pairing.key());
        o.put("positions", positions.key());
        o.put("groups", groups);
        o.put("discrete_threshold", discreteThreshold);
        if (nullTwins > 0) o.put("null_twins", nullTwins);
        if (noiseScales > 1 && noisy()) o.put("noise_scales", noiseScales);
        if (ieCellsOnly) o.put("ie_cells_only", true);
        if (referenceRms != null) {
            // the values, not the directory, determine the numbers: a resumed run must see the same ones
            var a = o.putArray("noise_reference_rms");
            for (double v : referenceRms) {
                if (Double.isFinite(v)) a.add(v);
                else a.addNull();
            }
        }
    }

    /** "mixture, σ = 1 × layer RMS, micro at position 0, matched, all positions". */
    public String describe() {
        String sig = noiseScales == 1 ? trim(noise) : java.util.Arrays.stream(noiseBand()).mapToObj(Measurement::trim)
                .collect(java.util.stream.Collectors.joining(", ")) + " (mean)";
        String n = !noisy() ? "raw activations" : noiseScale == NoiseScale.ABSOLUTE ? "σ = " + sig + " (absolute)"
                : "σ = " + sig + " × " + (referenceRms != null ? "reference " : "") + noiseScale.key() + " RMS";
        return estimator + ", " + n + ", micro at " + (microPosition.equals("zero") ? "position 0" : "its own position")
                + (microSpecials ? " with special tokens" : "") + ", " + pairing.key() + " pairing, " + positions.key()
                + " positions" + (nullTwins > 0 ? ", relative to " + nullTwins + " untrained twin" + (nullTwins > 1 ? "s" : "") : "");
    }

    public Measurement withNoise(double sigma) {
        return new Measurement(estimator, sigma, noiseScale, microPosition, microSpecials, pairing, positions, groups,
                discreteThreshold, referenceRms, nullTwins, noiseScales, ieCellsOnly);
    }

    /** A number as settings show it: 6 significant digits, no trailing zeros ("0.5", "1e-05"). */
    static String trim(double v) {
        String t = String.format(Locale.ROOT, "%.6g", v);
        if (t.contains(".") && !t.contains("e")) t = t.replaceAll("0+$", "").replaceAll("\\.$", "");
        return t;
    }
}
