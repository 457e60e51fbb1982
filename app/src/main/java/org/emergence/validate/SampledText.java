package org.emergence.validate;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.emergence.common.AtomicFiles;
import org.emergence.data.DatasetSpec;
import org.emergence.data.Datasets;
import org.emergence.data.TextWindows;
import org.emergence.generate.ModelText;
import org.emergence.ie.RunRequest;
import org.emergence.model.ModelSources;
import org.emergence.model.Transformer;
import org.emergence.tokenize.Tokenizer;

/**
 * The text of the text controls: {@code auto} is the model's own text ({@code text:sampled}) for a causal language
 * model — text in its domain, whatever it was trained on — and the built-in held-out prose for an encoder. Text a model
 * writes is written once, to OUT/sampled-text.jsonl, and every condition reads that file.
 */
final class SampledText {
    private SampledText() {}

    static final String AUTO = "auto";

    /**
     * The text spec every condition uses (a file spec when the model writes the text).
     *
     * @param b          the campaign's base request (model, N, seed, batch)
     * @param text       the text spec asked for, or {@link #AUTO}
     * @param out        the campaign directory, where a written text is kept
     * @param textTokens tokens per text window
     */
    static String materialize(RunRequest b, String text, Path out, int textTokens, Consumer<String> log) throws IOException {
        if (text.equals(AUTO)) {
            Transformer m = ModelSources.load(b.model());
            // in-domain text: the built-in models' own held-out text (the tinylm series was trained on its corpus), the
            // text a causal language model writes itself, the built-in held-out text for encoders
            boolean own = m.config().causal() && m.hasLogits() && !org.emergence.model.BuiltinModels.isBuiltin(b.model());
            text = own ? "text:" + TextWindows.SAMPLED : "text:" + TextWindows.BUILTIN;
        }
        DatasetSpec spec = DatasetSpec.parse(text);
        if (!spec.kind().equals("text") || !spec.argument().equals(TextWindows.SAMPLED)) return text;
        Path file = out.resolve("sampled-text.jsonl");
        if (!Files.isRegularFile(file)) {
            Transformer m = ModelSources.load(b.model());
            List<String> docs = new ArrayList<>();
            try (Tokenizer tok = ModelSources.tokenizer(b.model())) {
                TextWindows.DocumentSource source = ModelText.sampled(m, tok, b.seed(), b.batch(), log);
                // as many documents as the conditions with the most windows need: the shifted windows (lookahead 1)
                Datasets.build(text + ":lookahead=1", tok, b.n(), textTokens, b.seed(), false, (sp, count) -> {
                    List<String> d = source.documents(sp, count);
                    docs.addAll(d);
                    return d;
                });
            }
            StringBuilder sb = new StringBuilder();
            ObjectMapper om = new ObjectMapper();
            for (String d : docs) sb.append(om.writeValueAsString(java.util.Map.of("text", d))).append('\n');
            Files.createDirectories(out);
            AtomicFiles.writeString(file, sb.toString());
            log.accept("text written by the model: " + docs.size() + " documents -> " + file);
        }
        return "text:" + file.toAbsolutePath() + ":field=text";
    }
}
