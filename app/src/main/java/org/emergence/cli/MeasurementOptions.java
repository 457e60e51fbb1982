package org.emergence.cli;

import java.nio.file.Path;
import org.emergence.ie.RunRequest;
import org.emergence.mi.Estimators;
import picocli.CommandLine.Option;

/**
 * How activations become E and IE — the options {@code run}, {@code validate} and {@code study} share,
 * with the defaults docs/measurement.md justifies.
 */
public final class MeasurementOptions {
    /** σ as a multiple of the layer's pooled RMS; see docs/measurement.md for the controls behind it. */
    public static final double DEFAULT_NOISE = 2.0;
    public static final String DEFAULT_NOISE_SCALE = "layer";
    public static final String DEFAULT_PAIRING = "matched";
    public static final String DEFAULT_MICRO_POSITION = "original";
    /** The IE estimator with noise: the exact plug-in noisy MI, bounded by the samples' entropy. */
    public static final String DEFAULT_NOISY_ESTIMATOR = "mixture";
    /** Untrained twins a run is measured against (docs/measurement.md gives the evidence). */
    public static final int DEFAULT_NULL_TWINS = 2;
    /** Noise scales of the band (σ, 2σ, 4σ; docs/validity.md gives the evidence). */
    public static final int DEFAULT_NOISE_SCALES = 3;

    @Option(names = "--estimator", paramLabel = "NAME",
            description = "MI estimator (default: " + DEFAULT_NOISY_ESTIMATOR + " with noise, " + Estimators.DEFAULT
                    + " with --noise 0); see 'emergence mi --help'.")
    String estimator;

    @Option(names = "--noise", defaultValue = "" + DEFAULT_NOISE, paramLabel = "SIGMA",
            description = "Noise σ added to block inputs and outputs, a multiple of --noise-scale "
                    + "(default ${DEFAULT-VALUE}); 0 = raw activations (micro MIs exact and discrete).")
    double noise;

    @Option(names = "--noise-scales", defaultValue = "" + DEFAULT_NOISE_SCALES, paramLabel = "K",
            description = "A band of K noise scales, each double the last (σ, 2σ, 4σ …): every MI is their mean, "
                    + "the measurement averaged over resolutions (default ${DEFAULT-VALUE}: σ = 2, 4, 8 × the layer RMS; "
                    + "1 = σ alone).")
    int noiseScales;

    @Option(names = "--noise-scale", defaultValue = DEFAULT_NOISE_SCALE, paramLabel = "layer|variable|absolute",
            description = "What σ multiplies: layer = the RMS of the block's in-context states pooled over positions, "
                    + "shared by every position and both levels (default); variable = each variable's own RMS; "
                    + "absolute = activation units.")
    String noiseScale;

    @Option(names = "--noise-absolute", description = "Same as --noise-scale absolute.")
    boolean noiseAbsolute;

    @Option(names = "--noise-reference", paramLabel = "RUN_DIR",
            description = "Scale σ by the layer RMS of another finished run of the same model (e.g. on natural text) "
                    + "instead of this run's own, so datasets measured through one model share one noise scale.")
    Path noiseReference;

    @Option(names = "--micro-position", defaultValue = DEFAULT_MICRO_POSITION, paramLabel = "zero|original",
            description = Vocabulary.MICRO_POSITION)
    String microPosition;

    @Option(names = "--micro-specials", defaultValue = "auto", paramLabel = "auto|yes|no",
            description = Vocabulary.MICRO_SPECIALS)
    String microSpecials;

    @Option(names = "--pairing", defaultValue = DEFAULT_PAIRING, paramLabel = "matched|prefix",
            description = "Micro MIs subtracted from MI_macro(l, t): the token at t (matched, default) or the mean over "
                    + "the positions t can see (prefix, the paper's).")
    String pairing;

    @Option(names = "--positions", defaultValue = "auto", paramLabel = "auto|last|all|varying",
            description = "Positions averaged into E(l) and IE: auto = last for causal models, all for encoders; "
                    + "varying = positions whose token varies (default ${DEFAULT-VALUE}).")
    String positions;

    @Option(names = "--groups", paramLabel = "G",
            description = "Groups of sequences for the jackknife behind every interval (a multiple of 4; 0 = intervals "
                    + "without sampling error) (default " + org.emergence.mi.RowGroups.DEFAULT + ", fewer when --n allows "
                    + "fewer; a count typed here that --n cannot hold is refused).")
    Integer groups;

    @Option(names = "--discrete-threshold", defaultValue = "0.05", paramLabel = "F",
            description = "Raw mode: pairs with at most F·n distinct values use discrete-exact MI (default ${DEFAULT-VALUE}).")
    double discreteThreshold;

    @Option(names = "--special-tokens", defaultValue = "auto", arity = "0..1", fallbackValue = "yes", paramLabel = "auto|yes|no",
            description = Vocabulary.SPECIAL_TOKENS)
    String specialTokens;

    @Option(names = "--null-twins", defaultValue = "" + DEFAULT_NULL_TWINS, paramLabel = "K",
            description = "Untrained twins (the same architecture at its Hugging Face initialisation, K seeds) measured on "
                    + "the same sequences; E and IE are reported relative to their mean, what training added (default "
                    + "${DEFAULT-VALUE}; 0 = raw, the paper's quantities).")
    int nullTwins;

    @Option(names = "--preset", paramLabel = "default|paper",
            description = "paper = the published definitions: raw activations (--noise 0), the micro mean over the positions a "
                    + "token sees (--pairing prefix), a token alone at position 0 without special tokens (--micro-position zero "
                    + "--micro-specials no --special-tokens no), the last position, no untrained twins (--null-twins 0); options "
                    + "given explicitly win. study: also the paper's list sizes and N.")
    String preset;

    @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE)
    picocli.CommandLine.Model.CommandSpec mixee;

    @Option(names = "--batch", defaultValue = Vocabulary.BATCH_DEFAULT, paramLabel = "N", description = Vocabulary.BATCH)
    int batch;

    /** The preset given (null: none). */
    public String preset() {
        return preset;
    }

    /** Applies {@code --preset paper}: the published definitions, for every option not given explicitly. */
    private void applyPreset() {
        if (preset == null || preset.equals("default")) return;
        if (!preset.equals("paper")) throw new org.emergence.common.UserError("--preset must be default or paper, got '" + preset + "'");
        var pr = mixee == null ? null : mixee.commandLine() == null ? null : mixee.commandLine().getParseResult();
        java.util.function.Predicate<String> given = o -> pr != null && pr.hasMatchedOption(o);
        if (!given.test("--noise")) noise = 0;
        if (!given.test("--pairing")) pairing = "prefix";
        if (!given.test("--micro-position")) microPosition = "zero";
        if (!given.test("--micro-specials")) microSpecials = "no";
        if (!given.test("--special-tokens")) specialTokens = "no";
        if (!given.test("--positions")) positions = "last";
        if (!given.test("--null-twins")) nullTwins = 0;
        if (!given.test("--noise-scales")) noiseScales = 1;
    }

    /** The run request of these options for one model and dataset. */
    public RunRequest request(String model, String dataset, int n, int t, String layers, long seed, String ablate, Path out,
                              boolean keepActivations, boolean force) {
        applyPreset();
        if (groups != null && groups < 0) throw new org.emergence.common.UserError("--groups must be 0 or more, got " + groups);
        return RunRequest.builder().model(model).dataset(dataset).n(n).t(t).layers(layers).seed(seed).ablate(ablate)
                .estimator(estimator).noise(noise).noiseScale(noiseAbsolute ? "absolute" : noiseScale).microPosition(microPosition)
                .microSpecials(microSpecials).pairing(pairing).positions(positions).groups(groups == null ? org.emergence.mi.RowGroups.AUTO : groups)
                .discreteThreshold(discreteThreshold)
                .specialTokens(specialTokens).batch(batch).out(out).keepActivations(keepActivations).quiet(CommonOptions.quiet())
                .force(force).noiseReference(noiseReference).nullTwins(nullTwins).noiseScales(noiseScales).build();
    }
}
