package org.emergence.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.emergence.common.UserError;
import org.emergence.ie.RunRequest;
import org.emergence.report.ValidationReport;
import org.emergence.validate.Validation;
import org.emergence.validate.ValidationOptions;
import org.emergence.validate.ValidationResult;
import org.emergence.validate.Verdict;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "validate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Validity controls for a model and a measurement: trained vs untrained, natural vs scrambled text, "
                + "random inputs, a one-token shift, convergence in N, robustness to σ and interval calibration.",
            "Prints a PASS/FAIL table with the rule of each control; writes validate.json and validate.html.",
            "Every condition is an ordinary run under OUT/runs: re-running the same command resumes."})
public final class ValidateCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    PrecisionOption precision;

    @Mixin
    MeasurementOptions measure;

    @Option(names = "--model", defaultValue = RunCommand.DEFAULT_MODEL, paramLabel = Vocabulary.MODEL_LABEL,
            description = Vocabulary.MODEL + " Default: ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--revision", paramLabel = "REV", description = Vocabulary.REVISION)
    String revision;

    @Option(names = "--dataset", defaultValue = "icl:animal", paramLabel = "SPEC",
            description = "In-context dataset of the model controls (default ${DEFAULT-VALUE}; none = text controls only, for a tokenizer that splits the list entities).")
    String dataset;

    @Option(names = "--text", defaultValue = "auto", paramLabel = "SPEC",
            description = "Natural text of the text controls: auto = text the model writes itself (text:sampled, its own "
                    + "domain) for a causal language model, the built-in held-out text (text:builtin) for an encoder; or any "
                    + "text: dataset (default ${DEFAULT-VALUE}).")
    String text;

    @Option(names = "--t", paramLabel = "T", description = Vocabulary.TEXT_T)
    Integer t;

    /** The old spelling: text tokens, special tokens not counted. */
    @Option(names = "--text-tokens", hidden = true, paramLabel = "K")
    Integer textTokens;

    @Option(names = "--text-scale", defaultValue = "shared", paramLabel = "shared|own",
            description = Vocabulary.TEXT_SCALE)
    String textScale;

    @Option(names = "--n", defaultValue = "1000", paramLabel = "N", description = "Sequences per condition (default ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = Vocabulary.SEED)
    long seed;

    @Option(names = "--init-seeds", defaultValue = "1,2", paramLabel = "LIST",
            description = "Seeds of the untrained models (default ${DEFAULT-VALUE}).")
    String initSeeds;

    @Option(names = "--sigma-factors", defaultValue = "0.5,2", paramLabel = "LIST",
            description = "Multiples of --noise for σ-robustness (default ${DEFAULT-VALUE}).")
    String sigmaFactors;

    @Option(names = "--replicates", defaultValue = "4", paramLabel = "R",
            description = "Fresh draws of the ICL condition for interval calibration (default ${DEFAULT-VALUE}).")
    int replicates;

    @Option(names = "--skip", paramLabel = "LIST", description = "Controls to leave out, e.g. sigma_robustness,interval_calibration.")
    String skip;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default validate/<model>).")
    Path out;

    @Option(names = "--force", description = "Run even when the pre-flight check finds too little disk or memory.")
    boolean force;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        common.applyThreads();
        precision.apply(spec.commandLine().getErr());
        model = org.emergence.model.ModelSources.withRevision(model, revision);
        long[] seeds;
        double[] factors;
        try {
            seeds = Arrays.stream(initSeeds.split(",")).map(String::strip).mapToLong(Long::parseLong).toArray();
            factors = sigmaFactors.isBlank() ? new double[0]
                    : Arrays.stream(sigmaFactors.split(",")).map(String::strip).mapToDouble(Double::parseDouble).toArray();
        } catch (NumberFormatException e) {
            throw new UserError("--init-seeds and --sigma-factors take comma-separated numbers (" + e.getMessage() + ")");
        }
        if (seeds.length == 0) throw new UserError("--init-seeds: at least one seed");
        if (factors.length == 0) {
            throw new UserError("--sigma-factors: give at least one factor (e.g. 0.5,2): the σ-robustness control would otherwise pass "
                    + "without testing any σ");
        }
        for (double f : factors) if (!(f > 0) || f == 1) throw new UserError("--sigma-factors: each factor must be > 0 and not 1, got " + f);
        if (n < 8) throw new UserError("--n must be at least 8, got " + n);
        Vocabulary.Notes notes = new Vocabulary.Notes();
        int textTokens = TextLength.textTokens(model, measure.specialTokens, t, this.textTokens, notes);
        if (!textScale.equals("shared") && !textScale.equals("own")) throw new UserError("--text-scale must be shared or own, got '" + textScale + "'");
        Set<String> skipped = new LinkedHashSet<>();
        if (skip != null) for (String s : skip.split(",")) if (!s.isBlank()) skipped.add(s.strip());
        Path dir = out != null ? out : Path.of("validate", Path.of(model).getFileName().toString().replaceAll("[^A-Za-z0-9_.=-]+", "_"));
        RunRequest base = measure.request(model, dataset, n, 0, null, seed, "none", null, false, force);
        var err = spec.commandLine().getErr();
        ValidationOptions plan = new ValidationOptions(base, dataset, text, textTokens, seeds, factors, replicates, dir, skipped,
                textScale.equals("shared"));
        ValidationResult v = Validation.run(plan, Main.version(), s -> {
            if (!CommonOptions.quiet()) err.println(s);
        });
        ValidationReport.write(plan.out(), v);
        print(v, dir);
        notes.print(err);
        return 0;
    }

    private void print(ValidationResult v, Path dir) {
        var o = spec.commandLine().getOut();
        o.printf(Locale.ROOT, "%nValidity controls, %s (%s)%n", v.model(), v.measurement());
        o.printf(Locale.ROOT, "text noise scale: %s%n", v.settings().textScale());
        o.printf(Locale.ROOT, "%-28s %-7s %s%n", "control", "verdict", "measured");
        for (Verdict c : v.controls()) {
            // each control's measured text carries its headline number with its interval, named (a difference, a ratio …)
            o.printf(Locale.ROOT, "%-28s %-7s %s%n", c.name(), c.verdict(), c.measured());
            o.printf(Locale.ROOT, "%-28s         rule: %s%n", "", c.rule());
        }
        o.printf(Locale.ROOT, "%d of %d controls pass%n", v.summary().passed(), v.summary().total());
        o.println("validate: " + dir.resolve("validate.json"));
        o.println("report:   " + dir.resolve("validate.html"));
    }
}
