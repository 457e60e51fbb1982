package org.emergence.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.emergence.data.Datasets;
import org.emergence.ie.RunOutcome;
import org.emergence.ie.RunRequest;
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
        printTable(o.summary());
        JsonNode tm = o.summary().path("timing");
        if (tm.path("estimates_reused").asInt(0) > 0) {
            spec.commandLine().getOut().printf(Locale.ROOT, "resumed: %d estimates reused from %s, %d computed now%n",
                    tm.path("estimates_reused").asInt(), p.dir().resolve("est"), tm.path("estimates_computed").asInt());
        }
        spec.commandLine().getOut().println("results: " + p.dir().resolve("results.csv"));
        if (report != null) spec.commandLine().getOut().println("report:  " + report);
        if (!o.summary().path("status").asText().equals("complete")) {
            // every estimate is computed before a run ends, so a partial end is a bug: say what is missing
            java.util.List<String> missing = org.emergence.report.Report.missing(p.dir());
            err.println("emergence: internal error: the run ended partial; missing: " + String.join(", ", missing.subList(0,
                    Math.min(20, missing.size()))) + (missing.size() > 20 ? " (and " + (missing.size() - 20) + " more)" : ""));
            return Main.EXIT_INTERNAL;
        }
        return 0;
    }

    private void printTable(JsonNode sum) {
        var out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "%nInformation Emergence, %s on %s (N=%d, T=%d; %s)%n", sum.path("model").path("name").asText(),
                sum.path("dataset").path("spec").asText(), sum.path("dataset").path("n").asInt(),
                sum.path("dataset").path("t").asInt(), sum.path("modes").path("macro").asText());
        JsonNode terms = sum.path("terms");
        String macroHead = terms.path("macro_short").asText("MI_macro"), microHead = terms.path("micro_short").asText("MI_micro");
        JsonNode nul = sum.path("null");
        boolean relative = nul.isObject();
        if (relative) {
            // a relative run: the model's own E(l) (raw), the twins' mean E(l), and E(l) = raw − twins with its interval
            out.printf(Locale.ROOT, "%5s  %13s  %18s  %9s  %9s  %10s  %s%n", "layer", macroHead, microHead, "E raw", "E twins",
                    "E(l) bits", "interval");
        } else {
            out.printf(Locale.ROOT, "%5s  %13s  %18s  %10s  %s%n", "layer", macroHead, microHead, "E(l) bits", "interval");
        }
        int li = 0;
        for (JsonNode r : sum.path("E_layer")) {
            if (relative) {
                double tw = 0;
                int k = 0;
                for (JsonNode t : nul.path("IE_twins")) {
                    JsonNode v = t.path("E_layer_bits").path(li);
                    if (v.isNumber()) {
                        tw += v.asDouble();
                        k++;
                    }
                }
                out.printf(Locale.ROOT, "%5d  %13s  %18s  %9s  %9s  %10s  [%s, %s]%n", r.path("layer").asInt(), fmt(r.get("macro_bits")),
                        fmt(r.get("micro_mean_bits")), fmt(r.get("raw_bits")), k == 0 ? "-" : String.format(Locale.ROOT, "%.3f", tw / k),
                        fmt(r.get("bits")), fmt(r.get("ci_low")), fmt(r.get("ci_high")));
            } else {
                out.printf(Locale.ROOT, "%5d  %13s  %18s  %10s  [%s, %s]%n", r.path("layer").asInt(), fmt(r.get("macro_bits")),
                        fmt(r.get("micro_mean_bits")), fmt(r.get("bits")), fmt(r.get("ci_low")), fmt(r.get("ci_high")));
            }
            li++;
        }
        JsonNode ie = sum.path("IE");
        out.printf(Locale.ROOT, "IE = %s bits [%s, %s]%s%n", fmt(ie.get("bits")), fmt(ie.get("ci_low")), fmt(ie.get("ci_high")),
                sum.path("modes").path("mixed").asBoolean() ? "  (mixed modes: see summary.json)" : "");
        if (relative) {
            StringBuilder tw = new StringBuilder();
            for (JsonNode t : nul.path("IE_twins")) {
                tw.append(tw.length() == 0 ? "" : ", ").append(fmt(t.get("bits"))).append(" (seed ").append(t.path("seed").asLong()).append(')');
            }
            out.printf(Locale.ROOT, "   = the model's raw IE %s [%s, %s] − the mean of %d untrained twins' IE %s: %s%n",
                    fmt(nul.path("IE_raw").get("bits")), fmt(nul.path("IE_raw").get("ci_low")), fmt(nul.path("IE_raw").get("ci_high")),
                    nul.path("twins").asInt(), fmt(nul.get("IE_twins_mean_bits")), tw);
        }
        out.println("E(l) = " + macroHead + " - " + microHead + ": " + terms.path("micro").asText("the micro term") + " (--pairing "
                + terms.path("pairing").asText("?") + ")");
        for (JsonNode w : sum.path("warnings")) out.println("warning: " + w.asText());
    }

    private static String fmt(JsonNode v) {
        return v == null || v.isNull() ? "-" : String.format(Locale.ROOT, "%.3f", v.asDouble());
    }
}
