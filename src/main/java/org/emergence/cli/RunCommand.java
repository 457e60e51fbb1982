package org.emergence.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.emergence.common.IntRanges;
import org.emergence.common.UserError;
import org.emergence.data.Dataset;
import org.emergence.data.Datasets;
import org.emergence.ie.EmergenceRun;
import org.emergence.ie.RunSettings;
import org.emergence.mi.Estimators;
import org.emergence.model.Transformer;
import org.emergence.tokenize.Tokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure Information Emergence: E(l, t), E(l), IE(t) and IE with intervals, results.csv, "
                + "summary.json and report.html.",
            "With no options: the built-in MiniLM on a built-in in-context list dataset, offline.",
            "Re-running the same command resumes an interrupted run."})
public final class RunCommand implements Callable<Integer> {
    public static final String DEFAULT_MODEL = "minilm";
    public static final int DEFAULT_N = 2000;
    /** σ relative to each variable's RMS; see README "Modes and defaults" for the sweep behind it. */
    public static final double DEFAULT_NOISE = 4.0;
    /** The IE estimator with noise: the exact plug-in noisy MI, bounded by the samples' entropy. */
    public static final String DEFAULT_NOISY_ESTIMATOR = "mixture";

    @Mixin
    CommonOptions common;

    @Option(names = "--model", defaultValue = DEFAULT_MODEL, paramLabel = "DIR|NAME",
            description = "Hugging Face model directory or built-in model (default ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--dataset", defaultValue = Datasets.DEFAULT, paramLabel = "SPEC",
            description = "icl:<category>[:shots=K][:sep=\", \"], text:<file>[:field=NAME], random[:var=0.81], "
                    + "ids:<file.npy> (default ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--n", defaultValue = "" + DEFAULT_N, description = "Sequences (default ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--t", defaultValue = "0", description = "Tokens per sequence (default: the dataset's own length; 8 for random).")
    int t;

    @Option(names = "--layers", paramLabel = "LIST", description = "Blocks to measure, e.g. 0,3,5-7 (default: all).")
    String layers;

    @Option(names = "--estimator", paramLabel = "NAME",
            description = "MI estimator (default: " + DEFAULT_NOISY_ESTIMATOR + " with noise, " + Estimators.DEFAULT
                    + " with --noise 0); see 'emergence mi --help'.")
    String estimator;

    @Option(names = "--noise", defaultValue = "" + DEFAULT_NOISE, paramLabel = "SIGMA",
            description = "Noise σ added to block inputs and outputs, relative to each variable's RMS "
                    + "(default ${DEFAULT-VALUE}); 0 = raw activations (micro MIs exact and discrete).")
    double noise;

    @Option(names = "--noise-absolute", description = "σ is absolute rather than relative to the RMS.")
    boolean noiseAbsolute;

    @Option(names = "--micro-position", defaultValue = "zero", paramLabel = "zero|original",
            description = "Position id of a token fed alone: 0 (default) or its original position.")
    String microPosition;

    @Option(names = "--discrete-threshold", defaultValue = "0.05", paramLabel = "F",
            description = "Raw mode: pairs with at most F·n distinct values use discrete-exact MI (default ${DEFAULT-VALUE}).")
    double discreteThreshold;

    @Option(names = "--special-tokens", defaultValue = "auto", paramLabel = "auto|yes|no",
            description = "Wrap icl/text sequences in the tokenizer's special tokens ([CLS] … [SEP]); auto = yes for "
                    + "encoders, which were trained with them, no for decoders (default ${DEFAULT-VALUE}).")
    String specialTokens;

    @Option(names = "--seed", defaultValue = "0", description = "Seed for the dataset, noise and estimators (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--batch", defaultValue = "256", description = "Sequences per forward pass (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--out", paramLabel = "RUN_DIR",
            description = "Run directory (default runs/<model>-<dataset>-<hash of the settings>).")
    Path out;

    @Option(names = "--keep-activations", description = "Keep the spilled activations (RUN_DIR/acts) after the run.")
    boolean keepActivations;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        common.applyThreads();
        if (!microPosition.equals("zero") && !microPosition.equals("original")) {
            throw new UserError("--micro-position must be zero or original, got '" + microPosition + "'");
        }
        if (!(noise >= 0) || Double.isInfinite(noise)) throw new UserError("--noise must be >= 0, got " + noise);
        if (!(discreteThreshold > 0 && discreteThreshold <= 1)) throw new UserError("--discrete-threshold must be in (0, 1]");
        if (estimator == null) estimator = noise > 0 ? DEFAULT_NOISY_ESTIMATOR : Estimators.DEFAULT;
        if (noise == 0 && estimator.startsWith("mixture")) {
            throw new UserError("--estimator mixture computes noise-regularised MI: it needs --noise > 0");
        }
        Estimators.get(estimator); // refuse unknown names before any work
        Transformer m = ModelArgs.load(model);
        boolean special = switch (specialTokens) {
            case "auto" -> !m.config().causal();
            case "yes" -> true;
            case "no" -> false;
            default -> throw new UserError("--special-tokens must be auto, yes or no, got '" + specialTokens + "'");
        };
        Dataset d;
        if (Datasets.needsTokenizer(dataset)) {
            try (Tokenizer tok = ModelArgs.tokenizer(model)) {
                d = Datasets.build(dataset, tok, n, t, seed, special);
            }
        } else {
            d = Datasets.build(dataset, null, n, t, seed);
        }
        int[] ls = layers == null ? java.util.stream.IntStream.range(0, m.config().layers()).toArray()
                : IntRanges.parse(layers, m.config().layers(), "--layers", "layer");
        RunSettings s = new RunSettings(model, m.config().modelType(), dataset, d.details().containsKey("special_tokens"),
                d.n(), d.t(), ls, estimator, seed, noise,
                noiseAbsolute, microPosition, discreteThreshold, Main.version());
        Path dir = out != null ? out : defaultDir(s);
        var err = spec.commandLine().getErr();
        if (!CommonOptions.quiet()) {
            err.printf(Locale.ROOT, "model %s (%s, %d layers), dataset %s: %s%n", model, m.config().modelType(),
                    m.config().layers(), dataset, d.description());
            err.printf(Locale.ROOT, "N = %d sequences of T = %d tokens, estimator %s, noise %s -> %s%n", d.n(), d.t(),
                    estimator, noise > 0 ? noise + (noiseAbsolute ? " (absolute)" : " (relative)") : "none (raw)", dir);
        }
        EmergenceRun.Outcome o = EmergenceRun.run(s, m, d, dir, batch, keepActivations, CommonOptions.quiet());
        Path report = org.emergence.report.Report.build(dir);
        printTable(o.summary());
        spec.commandLine().getOut().println("results: " + dir.resolve("results.csv"));
        if (report != null) spec.commandLine().getOut().println("report:  " + report);
        return 0;
    }

    /** runs/&lt;model&gt;-&lt;dataset&gt;-&lt;8 hex of the settings&gt;: the same command always resumes the same directory. */
    static Path defaultDir(RunSettings s) {
        String key = s.toJson().without("version").toString();
        String hash;
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            hash = HexFormat.of().formatHex(d).substring(0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        String name = (Path.of(s.model()).getFileName() + "-" + s.dataset()).replaceAll("[^A-Za-z0-9_.=-]+", "_");
        if (name.length() > 60) name = name.substring(0, 60);
        return Path.of("runs", name + "-" + hash);
    }

    private void printTable(JsonNode sum) {
        var out = spec.commandLine().getOut();
        boolean causal = sum.path("model").path("causal").asBoolean();
        out.printf(Locale.ROOT, "%nInformation Emergence, %s on %s (N=%d, T=%d; %s)%n", sum.path("model").path("name").asText(),
                sum.path("dataset").path("spec").asText(), sum.path("dataset").path("n").asInt(),
                sum.path("dataset").path("t").asInt(), sum.path("modes").path("macro").asText());
        out.printf(Locale.ROOT, "%5s  %12s  %14s  %10s  %s%n", "layer", causal ? "MI_macro(T-1)" : "MI_macro(avg)",
                "mean MI_micro", "E(l) bits", "interval");
        for (JsonNode r : sum.path("E_layer")) {
            out.printf(Locale.ROOT, "%5d  %12s  %14s  %10s  [%s, %s]%n", r.path("layer").asInt(), fmt(r.get("macro_bits")),
                    fmt(r.get("micro_mean_bits")), fmt(r.get("bits")), fmt(r.get("ci_low")), fmt(r.get("ci_high")));
        }
        JsonNode ie = sum.path("IE");
        out.printf(Locale.ROOT, "IE = %s bits [%s, %s]%s%n", fmt(ie.get("bits")), fmt(ie.get("ci_low")), fmt(ie.get("ci_high")),
                sum.path("modes").path("mixed").asBoolean() ? "  (mixed modes: see summary.json)" : "");
        for (JsonNode w : sum.path("warnings")) out.println("warning: " + w.asText());
    }

    private static String fmt(JsonNode v) {
        return v == null || v.isNull() ? "-" : String.format(Locale.ROOT, "%.3f", v.asDouble());
    }
}
