package org.emergence.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.emergence.common.UserError;
import org.emergence.ie.RunRequest;
import org.emergence.report.StudyReport;
import org.emergence.study.Study;
import org.emergence.study.StudyOptions;
import org.emergence.study.StudyResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "study", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The paper's studies, one command each: shots, errors, texts, models, ablations.",
            "Every condition is an ordinary resumable run under OUT/runs; writes study.csv, study.json, charts/ and study.html.",
            "Differences between conditions come with 95%% intervals (paired jackknife on the same sequences)."})
public final class StudyCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    PrecisionOption precision;

    @Mixin
    MeasurementOptions measure;

    @Parameters(index = "0", arity = "0..1", paramLabel = "KIND", description = "shots, errors, texts, models or ablations.")
    String kind;

    @Option(names = "--plan", paramLabel = "FILE", description = "A JSON plan (keys = these options' long names without dashes).")
    Path plan;

    @Option(names = "--model", paramLabel = Vocabulary.MODEL_LABEL, description = Vocabulary.MODEL + " Repeat for a models study. "
            + "Default: shots, ablations minilm; errors tinylm; texts tinylm-2l; models tinylm-2l, tinylm-4l, tinylm-6l.")
    List<String> models;

    @Option(names = "--series", paramLabel = "size|training", description = "models study: the built-in size series or the "
            + "training checkpoints of tinylm-6l (instead of --model).")
    String series;

    @Option(names = "--categories", defaultValue = "animal", paramLabel = "LIST", description = "ICL categories (default ${DEFAULT-VALUE}).")
    String categories;

    @Option(names = "--kmin", paramLabel = "K", description = "Fewest items per list (default: 1, or for an encoder the smallest K "
            + "with at least N distinct lists, so that every K is measured at the same N).")
    Integer kmin;

    @Option(names = "--kmax", defaultValue = "8", description = "Most items per list (default ${DEFAULT-VALUE}).")
    int kmax;

    @Option(names = "--replicates", paramLabel = "R", description = "Fresh dataset draws per condition (default 1; errors 4).")
    Integer replicates;

    @Option(names = "--dataset", defaultValue = "icl:animal", paramLabel = "SPEC", description = "Dataset of models and ablations "
            + "studies (default ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--source", paramLabel = "NAME=SPEC", description = "texts: a text source (repeat); default human=text:builtin.")
    List<String> sources;

    @Option(names = "--generator", paramLabel = "MODEL", description = "texts: sample a 'model-written' source from this causal "
            + "model (default tinylm for the texts study; 'none' for no generated source).")
    String generator;

    @Option(names = "--ablations", defaultValue = "none,untrained:1,attn-reinit:1,ln-zero", paramLabel = "LIST",
            description = "ablations: --ablate specs (default ${DEFAULT-VALUE}); the random-input baseline is always added.")
    String ablations;

    @Option(names = "--long-sep", paramLabel = "SEP", description = "shots: also the variant with longer demonstrations, SEP after "
            + "every item (e.g. \" and also \").")
    String longSep;

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

    @Option(names = "--out", paramLabel = "DIR", description = "Study directory (default studies/<kind>-<model>).")
    Path out;

    @Option(names = "--force", description = "Run even when the pre-flight check finds too little disk or memory.")
    boolean force;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        common.applyThreads();
        precision.apply(spec.commandLine().getErr());
        if (kind == null && plan == null) throw new UserError("study: give a KIND (" + String.join(", ", Study.kinds()) + ") or --plan FILE");
        String k = kind != null ? kind : "shots";
        if (series != null && !List.of("size", "training").contains(series)) throw new UserError("--series must be size or training");
        // an unknown kind is refused here, with one line naming the known ones
        List<String> ms = models != null ? models : Study.defaultModels(k, series);
        Map<String, String> src = new LinkedHashMap<>();
        if (sources != null) {
            for (String s : sources) {
                int eq = s.indexOf('=');
                if (eq <= 0) throw new UserError("--source " + s + ": expected NAME=SPEC");
                src.put(s.substring(0, eq), s.substring(eq + 1));
            }
        }
        String gen = generator != null ? (generator.equals("none") ? null : generator) : k.equals("texts") ? "tinylm" : null;
        Path dir = out != null ? out : Path.of("studies", k + "-" + Path.of(ms.get(0)).getFileName().toString().replaceAll("[^A-Za-z0-9_.=-]+", "_"));
        RunRequest base = measure.request(ms.get(0), dataset, n, 0, null, seed, "none", null, false, force);
        if (kmin != null && kmin < 1) throw new UserError("--kmin must be >= 1, got " + kmin);
        Vocabulary.Notes notes = new Vocabulary.Notes();
        StudyOptions o = new StudyOptions(k, ms, split(categories), kmin == null ? 0 : kmin, kmax, replicates != null ? replicates : k.equals("errors") ? 4 : 1,
                dataset, src, split(ablations), measure.preset() == null || measure.preset().equals("default") ? null : measure.preset(), longSep, gen,
                TextLength.textTokens(ms.get(0), measure.specialTokens, t, textTokens, notes), textScale, dir, base);
        if (plan != null) {
            // options typed on the command line win over the plan's values
            java.util.Set<String> given = new java.util.HashSet<>();
            for (var opt : spec.commandLine().getParseResult().matchedOptions()) {
                given.add(opt.longestName().replaceFirst("^--", "").replace('-', '_'));
            }
            if (given.contains("model")) given.add("models");
            if (given.contains("t")) given.add("text_tokens"); // --t is the new spelling of a plan's text_tokens
            o = StudyOptions.fromPlan(plan, o, given);
        }
        var err = spec.commandLine().getErr();
        StudyResult s = Study.run(o, Main.version(), line -> {
            if (!CommonOptions.quiet()) err.println(line);
        });
        StudyReport.write(o.out(), s);
        var pout = spec.commandLine().getOut();
        pout.printf(Locale.ROOT, "%nStudy %s (%s)%n", s.kind(), s.measurement());
        for (String v : s.verdicts()) pout.println("  " + v);
        for (String v : s.notes()) pout.println("note: " + v);
        pout.println("study:  " + o.out().resolve("study.json"));
        pout.println("report: " + o.out().resolve("study.html"));
        notes.print(spec.commandLine().getErr());
        return 0;
    }

    private static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        for (String x : Arrays.asList(s.split(","))) if (!x.isBlank()) out.add(x.strip());
        return out;
    }
}
