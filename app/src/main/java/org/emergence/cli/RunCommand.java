package org.emergence.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.emergence.data.Datasets;
import org.emergence.ie.RunOutcome;
import org.emergence.ie.RunRequest;
import org.emergence.ie.RunSummary;
import org.emergence.ie.RunSummaryJson;
import org.emergence.mi.Estimators;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure Information Emergence: E(l, t), E(l), IE(t) and IE with intervals, results.csv, "
                + "summary.json and report.html.",
            "With no options: the built-in tinylm (a 6-layer GPT-2 trained by this project) on built-in in-context lists, offline.",
            "Re-running the same command resumes an interrupted run."})
public class RunCommand implements Callable<Integer> {
    public static final String DEFAULT_MODEL = RunRequest.DEFAULT_MODEL;
    public static final int DEFAULT_N = RunRequest.DEFAULT_N;

    @Mixin
    CommonOptions common;

    @Mixin
    PrecisionOption precision;

    @Mixin
    MeasurementOptions measure;

    @Option(names = "--model", defaultValue = DEFAULT_MODEL, paramLabel = Vocabulary.MODEL_LABEL,
            description = Vocabulary.MODEL + " Default: ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--revision", paramLabel = "REV", description = Vocabulary.REVISION)
    String revision;

    @Option(names = "--dataset", defaultValue = Datasets.DEFAULT, paramLabel = "SPEC",
            description = Vocabulary.DATASET + " (default ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--n", defaultValue = "" + DEFAULT_N, paramLabel = "N", description = "Sequences (default ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--t", paramLabel = "T", description = Vocabulary.T)
    Integer t;

    @Option(names = "--layers", paramLabel = "LIST", description = Vocabulary.LAYERS)
    String layers;

    @Option(names = "--ablate", defaultValue = "none", paramLabel = "SPEC",
            description = "Model transform: none, untrained[:SEED] (same shape, Hugging Face initialisation), "
                    + "attn-reinit[:SEED] (Q/K/V Xavier-normal, zero bias), ln-zero (norm weights and biases 0).")
    String ablate;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = Vocabulary.SEED)
    long seed;

    @Option(names = "--out", paramLabel = "RUN_DIR",
            description = "Run directory (default runs/<model>-<dataset>-<hash of the settings>).")
    Path out;

    @Option(names = "--keep-activations", description = "Keep the spilled activations (RUN_DIR/acts) after the run.")
    boolean keepActivations;

    @Option(names = "--force", description = "Run even when the pre-flight check finds too little disk or memory.")
    boolean force;

    @Option(names = "--acts", paramLabel = "DIR", description = "Read the activations from DIR (captured elsewhere, layout in "
            + "docs/activations.md) instead of running a model; replaces --model and --dataset.")
    Path acts;

    @Option(names = "--save-acts", paramLabel = "DIR", description = "Also write this run's activations to DIR in the layout --acts reads.")
    Path saveActs;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** The request these options make (also used by tests and other commands). */
    public RunRequest request() {
        if (t != null && t < 1) throw new org.emergence.common.UserError("--t must be >= 1, got " + t);
        return measure.request(org.emergence.model.ModelSources.withRevision(model, revision), dataset, n, t == null ? 0 : t, layers, seed,
                ablate, out, keepActivations, force);
    }

    @Override
    public Integer call() throws Exception {
        common.applyThreads();
        precision.apply(spec.commandLine().getErr());
        RunRequest.Prepared p;
        if (acts != null) {
            var pr = spec.commandLine().getParseResult();
            for (String o : new String[] {"--model", "--dataset", "--ablate", "--t", "--n", "--save-acts"}) {
                if (pr.hasMatchedOption(o)) throw new org.emergence.common.UserError("--acts " + acts + ": " + o + " does not apply (the "
                        + "activations fix the model, the sequences and their number)");
            }
            p = request().prepareActs(acts, Main.version());
        } else {
            p = request().prepare(Main.version());
        }
        // SIGTERM or Ctrl-C during the run: say that the directory is resumable (the JVM still exits 143 / 130)
        Path dir = p.dir();
        Thread resumable = new Thread(() -> System.err.println("emergence: interrupted; everything finished so far is kept in " + dir
                + ": run the same command again to resume"));
        Runtime.getRuntime().addShutdownHook(resumable);
        var err = spec.commandLine().getErr();
        if (!CommonOptions.quiet()) {
            if (p.model() == null) {
                err.printf(Locale.ROOT, "activations of %s (%s) from %s%n", p.settings().model(), p.settings().modelType(), acts);
            } else {
                err.printf(Locale.ROOT, "model %s (%s, %d layers%s), dataset %s: %s%n", model, p.model().config().modelType(),
                        p.model().config().layers(), p.settings().ablation().equals("none") ? "" : ", " + p.settings().ablation(),
                        dataset, p.data().description());
            }
            err.printf(Locale.ROOT, "N = %d sequences of T = %d tokens, %s -> %s%n", p.data().n(), p.data().t(),
                    p.settings().measurement().describe(), p.dir());
        }
        RunOutcome o;
        try {
            o = p.execute(saveActs);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(resumable);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already exiting: the hook runs
            }
        }
        return finish(p, o);
    }

    protected boolean keepActivations() {
        return keepActivations;
    }

    /** The options that take activations from or to a layout (--acts, --save-acts), or null when none is given. */
    protected String actsOption() {
        return acts != null ? "--acts" : saveActs != null ? "--save-acts" : null;
    }

    /** Applies --threads (and the other common options) before a run. */
    protected void applyCommon() {
        common.applyThreads();
        precision.apply(spec.commandLine().getErr());
    }

    /** The end of a run: report, table, file names; a run that ended partial exits non-zero and lists what is missing. */
    protected int finish(RunRequest.Prepared p, RunOutcome o) {
        var err = spec.commandLine().getErr();
        Path report = org.emergence.report.Report.build(p.dir());
        RunSummary sum = RunSummaryJson.of(o.summary(), p.dir().resolve("summary.json").toString());
        printTable(sum);
        RunSummary.Timing tm = sum.timing();
        if (tm.estimatesReused() > 0) {
            spec.commandLine().getOut().printf(Locale.ROOT, "resumed: %d estimates reused from %s, %d computed now%n",
                    tm.estimatesReused(), p.dir().resolve("est"), tm.estimatesComputed());
        }
        spec.commandLine().getOut().println("results: " + p.dir().resolve("results.csv"));
        if (report != null) spec.commandLine().getOut().println("report:  " + report);
        if (!sum.complete()) {
            // every estimate is computed before a run ends, so a partial end is a bug: say what is missing
            java.util.List<String> missing = org.emergence.report.Report.missing(p.dir());
            err.println("emergence: internal error: the run ended partial; missing: " + String.join(", ", missing.subList(0,
                    Math.min(20, missing.size()))) + (missing.size() > 20 ? " (and " + (missing.size() - 20) + " more)" : ""));
            return Main.EXIT_INTERNAL;
        }
        return 0;
    }

    private void printTable(RunSummary sum) {
        var out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "%nInformation Emergence, %s on %s (N=%d, T=%d; %s)%n", sum.model().name(), sum.dataset().spec(),
                sum.dataset().n() == null ? 0 : sum.dataset().n(), sum.dataset().t() == null ? 0 : sum.dataset().t(), sum.modes().macro());
        RunSummary.TermNames terms = sum.method().terms();
        String macroHead = terms == null ? "MI_macro" : terms.macroShort(), microHead = terms == null ? "MI_micro" : terms.microShort();
        RunSummary.Relative nul = sum.relative();
        boolean relative = nul != null;
        if (relative) {
            // a relative run: the model's own E(l) (raw), the twins' mean E(l), and E(l) = raw − twins with its interval
            out.printf(Locale.ROOT, "%5s  %13s  %18s  %9s  %9s  %10s  %s%n", "layer", macroHead, microHead, "E raw", "E twins",
                    "E(l) bits", "interval");
        } else {
            out.printf(Locale.ROOT, "%5s  %13s  %18s  %10s  %s%n", "layer", macroHead, microHead, "E(l) bits", "interval");
        }
        RunSummary.LayerE[] layers = sum.results().eLayer();
        for (int li = 0; li < layers.length; li++) {
            RunSummary.LayerE r = layers[li];
            if (relative) {
                double tw = 0;
                int k = 0;
                for (RunSummary.Twin t : nul.perTwin()) {
                    double v = t.eLayerBits()[li];
                    if (!Double.isNaN(v)) {
                        tw += v;
                        k++;
                    }
                }
                out.printf(Locale.ROOT, "%5d  %13s  %18s  %9s  %9s  %10s  [%s, %s]%n", r.layer(), fmt(r.macroBits()),
                        fmt(r.microMeanBits()), fmt(r.raw().bits()), k == 0 ? "-" : String.format(Locale.ROOT, "%.3f", tw / k),
                        fmt(r.e().bits()), fmt(r.e().ciLow()), fmt(r.e().ciHigh()));
            } else {
                out.printf(Locale.ROOT, "%5d  %13s  %18s  %10s  [%s, %s]%n", r.layer(), fmt(r.macroBits()),
                        fmt(r.microMeanBits()), fmt(r.e().bits()), fmt(r.e().ciLow()), fmt(r.e().ciHigh()));
            }
        }
        RunSummary.Val ie = sum.ie();
        out.printf(Locale.ROOT, "IE = %s bits [%s, %s]%s%n", fmt(ie.bits()), fmt(ie.ciLow()), fmt(ie.ciHigh()),
                sum.modes().mixed() ? "  (mixed modes: see summary.json)" : "");
        if (relative) {
            StringBuilder tw = new StringBuilder();
            for (RunSummary.Twin t : nul.perTwin()) {
                tw.append(tw.length() == 0 ? "" : ", ").append(fmt(t.ie().bits())).append(" (seed ").append(t.seed()).append(')');
            }
            out.printf(Locale.ROOT, "   = the model's raw IE %s [%s, %s] − the mean of %d untrained twins' IE %s: %s%n",
                    fmt(nul.ieRaw().bits()), fmt(nul.ieRaw().ciLow()), fmt(nul.ieRaw().ciHigh()), nul.twins(),
                    fmt(nul.twinsMeanBits()), tw);
        }
        out.println("E(l) = " + macroHead + " - " + microHead + ": " + (terms == null ? "the micro term" : terms.micro()) + " (--pairing "
                + (terms == null ? "?" : terms.pairing()) + ")");
        for (String w : sum.warnings()) out.println("warning: " + w);
    }

    /** A value to 3 decimals, "-" where missing. */
    private static String fmt(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3f", v);
    }
}
