package org.emergence.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.emergence.common.IntRanges;
import org.emergence.common.Progress;
import org.emergence.common.UserError;
import org.emergence.data.Dataset;
import org.emergence.data.Npy;
import org.emergence.ie.ActsCapture;
import org.emergence.ie.RunRequest;
import org.emergence.model.ModelSources;
import org.emergence.model.NpyCapture;
import org.emergence.model.TokenBatch;
import org.emergence.model.Transformer;
import org.emergence.tokenize.Tokenizer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "capture", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a model on token sequences and save every chosen block's input and output.",
            "--format acts: the activation layout 'run --acts' reads (docs/activations.md), lone-token states included, so a "
                + "capture can be measured (and gives the numbers 'run' gives on the same sequences).",
            "--format stacked (default): OUT/block_inputs.npy and OUT/block_outputs.npy (float32 [L, B, T, H]), OUT/logits.npy "
                + "[B, T, V] with --logits, and OUT/capture.json.",
            "Sequences: --dataset SPEC (as in run), --ids IDS.npy, or --lines FILE (one sequence per line)."})
final class CaptureCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    PrecisionOption precision;

    @Option(names = "--model", defaultValue = RunCommand.DEFAULT_MODEL, paramLabel = Vocabulary.MODEL_LABEL,
            description = Vocabulary.MODEL + " Default: ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--revision", paramLabel = "REV", description = Vocabulary.REVISION)
    String revision;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Input input;

    static final class Input {
        @Option(names = "--dataset", paramLabel = "SPEC", description = Vocabulary.DATASET + " (default when no --ids or --lines: "
                + "icl:animal, with --n and --t as in run).")
        String dataset;

        @Option(names = "--ids", paramLabel = "IDS.npy", description = "Token ids, int32/int64 [B, T].")
        Path ids;

        @Option(names = "--lines", paramLabel = "FILE",
                description = "One sequence per line, tokenized with the model's tokenizer (special tokens: --special-tokens).")
        Path lines;

        /** The old spelling of --lines (validate's --text is a dataset spec). */
        @Option(names = "--text", hidden = true, paramLabel = "FILE")
        Path text;
    }

    @Option(names = "--n", defaultValue = "" + RunCommand.DEFAULT_N, paramLabel = "N",
            description = "Sequences (default ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--t", paramLabel = "T", description = Vocabulary.T)
    Integer t;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = Vocabulary.SEED)
    long seed;

    @Option(names = "--token-type-ids", paramLabel = "TT.npy", description = "BERT token type ids [B, T] (default 0; --format stacked).")
    Path tokenTypes;

    @Option(names = "--layers", paramLabel = "LIST", description = Vocabulary.LAYERS)
    String layers;

    @Option(names = "--keep-positions", paramLabel = "LIST", description = "--format stacked: token positions to keep, e.g. 0,7 (default: all).")
    String keepPositions;

    /** The old spelling of --keep-positions (run's --positions chooses the averaged positions). */
    @Option(names = "--positions", hidden = true, paramLabel = "LIST")
    String oldPositions;

    @Option(names = "--logits", description = "Also save logits [B, T, V].")
    boolean logits;

    @Option(names = "--batch", defaultValue = Vocabulary.BATCH_DEFAULT, paramLabel = "N", description = Vocabulary.BATCH)
    int batch;

    @Option(names = "--special-tokens", defaultValue = "auto", arity = "0..1", fallbackValue = "yes", paramLabel = "auto|yes|no",
            description = Vocabulary.SPECIAL_TOKENS)
    String specialTokens;

    @Option(names = "--micro-position", defaultValue = "original", paramLabel = "zero|original",
            description = Vocabulary.MICRO_POSITION)
    String microPosition;

    @Option(names = "--micro-specials", defaultValue = "auto", paramLabel = "auto|yes|no",
            description = Vocabulary.MICRO_SPECIALS)
    String microSpecials;

    @Option(names = "--pad", description = {"With --lines: pad shorter lines at the end (id 0) to the longest and mask the padding "
            + "out of attention; writes OUT/attention_mask.npy (int32 [B, T], 1 = real token). --format stacked only."})
    boolean pad;

    @Option(names = "--format", defaultValue = "stacked", paramLabel = "stacked|acts",
            description = "What to write: acts = the layout run --acts reads; stacked = [L, B, T, H] arrays (default ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
    Path out;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        common.applyThreads();
        precision.apply(spec.commandLine().getErr());
        var err = spec.commandLine().getErr();
        Vocabulary.Notes notes = new Vocabulary.Notes();
        notes.oldSpelling(input != null && input.text != null, "capture --text FILE", "--lines FILE");
        notes.oldSpelling(oldPositions != null, "capture --positions LIST", "--keep-positions LIST (run's --positions chooses "
                + "the positions averaged into E(l))");
        if (input != null && input.text != null) input.lines = input.text;
        if (keepPositions == null) keepPositions = oldPositions;
        model = ModelSources.withRevision(model, revision);
        if (batch < 1) throw new UserError("--batch must be >= 1, got " + batch);
        if (!format.equals("stacked") && !format.equals("acts")) throw new UserError("--format must be stacked or acts, got '" + format + "'");
        if (!java.util.List.of("auto", "yes", "no").contains(specialTokens)) {
            throw new UserError("--special-tokens must be auto, yes or no, got '" + specialTokens + "'");
        }
        boolean fromDataset = input == null || input.dataset != null;
        if (!fromDataset) {
            var pr = spec.commandLine().getParseResult();
            for (String o : new String[] {"--n", "--t", "--seed"}) {
                if (pr.hasMatchedOption(o)) throw new UserError(o + " applies to --dataset, not to --ids or --lines");
            }
        }
        if (pad && (input == null || input.lines == null)) throw new UserError("--pad applies to --lines input only");
        if (format.equals("acts")) {
            for (String[] o : new String[][] {{"--keep-positions", keepPositions}, {"--token-type-ids", tokenTypes == null ? null : "x"},
                {"--pad", pad ? "x" : null}}) {
                if (o[1] != null) throw new UserError(o[0] + " does not apply to --format acts (the layout holds every position of "
                        + "plain sequences, as run measures them)");
            }
            acts(fromDataset);
            notes.print(err);
            return 0;
        }
        TokenBatch b;
        Transformer m;
        if (fromDataset) {
            RunRequest.Prepared p = request().prepare(Main.version());
            m = p.model();
            b = TokenBatch.of(p.data().n(), p.data().t(), p.data().ids());
        } else if (input.ids != null) {
            m = ModelSources.load(model);
            b = TokenInput.fromNpy(input.ids);
        } else {
            // the tokenizer first: a missing one is reported before a large model is mapped
            try (Tokenizer tok = ModelSources.tokenizer(model)) {
                m = ModelSources.load(model);
                b = TokenInput.fromText(input.lines, tok, specials(tok), m.config().maxPositions(), pad);
            }
        }
        if (logits && !m.hasLogits()) {
            throw new UserError("--logits: " + model + " (" + m.config().modelType() + ") has no language-model head");
        }
        if (tokenTypes != null) b = b.withTokenTypes(TokenInput.tokenTypes(tokenTypes, b));
        m.validate(b, input == null ? "--dataset" : input.ids != null ? input.ids.toString() : input.lines != null ? input.lines.toString()
                : "--dataset " + input.dataset);
        int[] ls = layers(m);
        int[] ps = keepPositions == null ? null : IntRanges.parse(keepPositions, b.length(), "--keep-positions", "position");
        Progress p = Progress.start("capture", b.batch(), "seq", CommonOptions.quiet());
        NpyCapture.Result r = NpyCapture.run(m, model, b, ls, ps, logits, batch, out, p::step);
        p.finish();
        if (b.mask() != null) NpyCapture.recordMask(out, b);
        spec.commandLine().getOut().printf(Locale.ROOT, "captured %d sequences x %d tokens, %d layers in %.2f s (%.0f tokens/s) -> %s%n",
                b.batch(), b.length(), ls.length, r.seconds(), r.tokensPerSecond(), out);
        notes.print(err);
        return 0;
    }

    /** Whether lines get the tokenizer's special tokens: auto = what the model's tokenizer adds around a text, as in run. */
    private boolean specials(Tokenizer tok) {
        return switch (specialTokens) {
            case "yes" -> true;
            case "no" -> false;
            default -> {
                if (!tok.specialsKnown()) {
                    throw new UserError(tok.specialsSource() + ": cannot tell whether this model's tokenizer adds a BOS token; "
                            + "choose with --special-tokens yes|no");
                }
                yield true;
            }
        };
    }

    private int[] layers(Transformer m) {
        return layers == null ? java.util.stream.IntStream.range(0, m.config().layers()).toArray()
                : IntRanges.parse(layers, m.config().layers(), "--layers", "layer");
    }

    /** The run request whose dataset, micro level and special tokens a --dataset capture takes (run's rules). */
    private RunRequest request() {
        if (t != null && t < 1) throw new UserError("--t must be >= 1, got " + t);
        return new RunRequest(model, input == null || input.dataset == null ? org.emergence.data.Datasets.DEFAULT : input.dataset, n,
                t == null ? 0 : t, layers, seed, "none", null, MeasurementOptions.DEFAULT_NOISE, MeasurementOptions.DEFAULT_NOISE_SCALE,
                microPosition, microSpecials, MeasurementOptions.DEFAULT_PAIRING, "auto", org.emergence.mi.RowGroups.AUTO, 0.05,
                specialTokens, batch, null, false, true, false, null, 0, null, 1);
    }

    private void acts(boolean fromDataset) throws Exception {
        Transformer m;
        Dataset data;
        int[] pre = new int[0], suf = new int[0];
        boolean wrapped;
        if (fromDataset) {
            RunRequest.Prepared p = request().prepare(Main.version());
            m = p.model();
            data = p.data();
            pre = p.microPrefix();
            suf = p.microSuffix();
            wrapped = p.settings().specialTokens();
        } else {
            m = ModelSources.load(model);
            TokenBatch b;
            if (input.ids != null) {
                b = TokenInput.fromNpy(input.ids);
                wrapped = specialTokens.equals("yes");
            } else {
                try (Tokenizer tok = ModelSources.tokenizer(model)) {
                    wrapped = specials(tok);
                    b = TokenInput.fromText(input.lines, tok, wrapped, m.config().maxPositions(), false);
                }
            }
            data = new Dataset((input.ids != null ? "ids:" + input.ids : "lines:" + input.lines), "ids", "captured sequences", b.batch(),
                    b.length(), b.ids(), 0, new java.util.LinkedHashMap<>());
            boolean microWith = microSpecials.equals("yes") || microSpecials.equals("auto") && wrapped;
            if (!java.util.List.of("auto", "yes", "no").contains(microSpecials)) {
                throw new UserError("--micro-specials must be auto, yes or no, got '" + microSpecials + "'");
            }
            if (!microPosition.equals("original") && !microPosition.equals("zero")) {
                throw new UserError("--micro-position must be zero or original, got '" + microPosition + "'");
            }
            if (microWith) {
                try (Tokenizer tok = ModelSources.tokenizer(model)) {
                    pre = tok.specials().prefix();
                    suf = tok.specials().suffix();
                }
            }
        }
        int[] ls = layers(m);
        Progress p = Progress.start("capture", data.n(), "seq", CommonOptions.quiet());
        ActsCapture.Result r = ActsCapture.write(m, model, data, ls, microPosition.equals("original"), pre, suf, wrapped, logits, batch, out,
                "emergence " + Main.version() + " capture --format acts", p::step);
        p.finish();
        spec.commandLine().getOut().printf(Locale.ROOT, "captured %d sequences x %d tokens, blocks %s and %d lone items in %.2f s "
                + "(%.0f tokens/s) -> %s (measure it: emergence run --acts %s)%n", data.n(), data.t(), IntRanges.format(ls), r.items(),
                r.seconds(), r.tokensPerSecond(), out, out);
    }
}
