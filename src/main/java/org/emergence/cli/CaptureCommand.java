package org.emergence.cli;

import org.emergence.model.ModelSources;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.emergence.common.IntRanges;
import org.emergence.common.Progress;
import org.emergence.common.UserError;
import org.emergence.data.Npy;
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
            "Writes OUT/block_inputs.npy and OUT/block_outputs.npy (float32 [L, B, T, H]), "
                + "OUT/logits.npy [B, T, V] with --logits, and OUT/capture.json."})
final class CaptureCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    PrecisionOption precision;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = ModelSources.DESCRIPTION)
    String model;

    @Option(names = "--revision", paramLabel = "REV", description = "Revision of a hub-cache repo id: a branch or tag under refs/, or a commit (default main).")
    String revision;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    static final class Input {
        @Option(names = "--ids", paramLabel = "IDS.npy", description = "Token ids, int32/int64 [B, T].")
        Path ids;

        @Option(names = "--text", paramLabel = "FILE",
                description = "One sequence per line, tokenized with the model's tokenizer.json (no special tokens unless --special-tokens).")
        Path text;
    }

    @Option(names = "--token-type-ids", paramLabel = "TT.npy", description = "BERT token type ids [B, T] (default 0).")
    Path tokenTypes;

    @Option(names = "--layers", paramLabel = "LIST", description = "Blocks to capture, e.g. 0,3,5-7 (default: all).")
    String layers;

    @Option(names = "--positions", paramLabel = "LIST", description = "Token positions to keep, e.g. 0,7 (default: all).")
    String positions;

    @Option(names = "--logits", description = "Also save logits [B, T, V].")
    boolean logits;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "64", description = "Sequences per forward pass (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--special-tokens", description = "With --text: add the tokenizer's special tokens ([CLS]/[SEP], BOS).")
    boolean specialTokens;

    @Option(names = "--pad", description = {"With --text: pad shorter lines at the end (id 0) to the longest and mask the padding "
            + "out of attention; writes OUT/attention_mask.npy (int32 [B, T], 1 = real token)."})
    boolean pad;

    @Option(names = "--out", required = true, paramLabel = "OUT", description = "Output directory.")
    Path out;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        common.applyThreads();
        precision.apply(spec.commandLine().getErr());
        model = org.emergence.model.ModelSources.withRevision(model, revision);
        if (batch < 1) throw new UserError("--batch must be >= 1, got " + batch);
        if (pad && input.text == null) throw new UserError("--pad applies to --text input only");
        TokenBatch b;
        Transformer m;
        if (input.ids != null) {
            m = ModelSources.load(model);
            b = TokenInput.fromNpy(input.ids);
        } else {
            // the tokenizer first: a missing one is reported before a large model is mapped
            try (Tokenizer tok = ModelSources.tokenizer(model)) {
                m = ModelSources.load(model);
                b = TokenInput.fromText(input.text, tok, specialTokens, m.config().maxPositions(), pad);
            }
        }
        if (logits && !m.hasLogits()) {
            throw new UserError("--logits: " + model + " (" + m.config().modelType() + ") has no language-model head");
        }
        if (tokenTypes != null) b = b.withTokenTypes(TokenInput.tokenTypes(tokenTypes, b));
        m.validate(b, input.ids != null ? input.ids.toString() : input.text.toString());
        int[] ls = layers == null ? java.util.stream.IntStream.range(0, m.config().layers()).toArray()
                : IntRanges.parse(layers, m.config().layers(), "--layers", "layer");
        int[] ps = positions == null ? null : IntRanges.parse(positions, b.length(), "--positions", "position");
        Progress p = Progress.start("capture", b.batch(), "seq", CommonOptions.quiet());
        NpyCapture.Result r = NpyCapture.run(m, model, b, ls, ps, logits, batch, out, p::step);
        p.finish();
        if (b.mask() != null) {
            Npy.writeInts(out.resolve("attention_mask.npy"), new long[] {b.batch(), b.length()}, b.mask());
            // record it in capture.json: padding rows of the activations are computed but meaningless
            Path info = out.resolve("capture.json");
            com.fasterxml.jackson.databind.ObjectMapper om = new com.fasterxml.jackson.databind.ObjectMapper()
                    .enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);
            com.fasterxml.jackson.databind.node.ObjectNode j = (com.fasterxml.jackson.databind.node.ObjectNode) om.readTree(info.toFile());
            j.put("attention_mask", "attention_mask.npy");
            j.put("padding", "lines padded at the end with id 0; rows where attention_mask is 0 are padding");
            org.emergence.common.AtomicFiles.writeString(info, om.writeValueAsString(j) + "\n");
        }
        spec.commandLine().getOut().printf(Locale.ROOT, "captured %d sequences x %d tokens, %d layers in %.2f s (%.0f tokens/s) -> %s%n",
                b.batch(), b.length(), ls.length, r.seconds(), r.tokensPerSecond(), out);
        return 0;
    }
}
