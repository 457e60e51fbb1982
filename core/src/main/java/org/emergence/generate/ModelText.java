package org.emergence.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.emergence.common.AtomicFiles;
import org.emergence.common.UserError;
import org.emergence.data.TextWindows;
import org.emergence.model.Transformer;
import org.emergence.tokenize.Tokenizer;

/**
 * Documents a causal model writes itself: {@code text:sampled} (the model's own domain, sampled from its start
 * token) and the "generated" source of {@code study texts} (continuations of held-out human text).
 */
public final class ModelText {
    private ModelText() {}

    /** Tokens of a human document that prompt a model without a start token (and every study-texts document). */
    public static final int HUMAN_PROMPT = 8;
    /** Documents sampled per round of {@code text:sampled}, until the windows suffice. */
    static final int ROUND = 128;
    /**
     * At most this many documents for {@code text:sampled} unless {@code :docs=} says otherwise (32 rounds: a model
     * whose text hardly ever holds a clean window — no sentence ends, constant newlines — is told so, not sampled for
     * hours; stories260K needs 768 documents for 1,500 windows of 8 tokens).
     */
    static final int MAX_DOCS = 32 * ROUND;

    /**
     * What a model's text starts with: the special tokens its tokenizer puts before a text (BOS), else its
     * end-of-text token when the tokenizer has one ({@code <|endoftext|>}, GPT-2's start as well as end); empty when
     * it has neither.
     */
    public static int[] startTokens(Tokenizer tok) {
        int[] pre = tok.specials().prefix();
        if (pre.length > 0) return pre;
        int[] eot = tok.encode("<|endoftext|>", false);
        return eot.length == 1 && tok.isSpecial(eot[0]) ? eot : new int[0];
    }

    /** The first {@value #HUMAN_PROMPT} tokens of every built-in human document long enough. */
    public static List<int[]> humanPrompts(Tokenizer tok) {
        List<int[]> prompts = new ArrayList<>();
        for (String d : humanDocs()) {
            int[] ids = tok.encode(d, false);
            if (ids.length >= HUMAN_PROMPT) prompts.add(Arrays.copyOf(ids, HUMAN_PROMPT));
        }
        if (prompts.isEmpty()) throw new UserError("no prompts from the built-in text");
        return prompts;
    }

    /**
     * {@code text:sampled[:length=L][:temperature=X][:top_k=K][:docs=D]}: documents the model writes from its start
     * token (from {@value #HUMAN_PROMPT} tokens of held-out human text when it has none), sampled in rounds of
     * {@value #ROUND} until their windows are 1.5 × the N wanted (or {@code docs} documents exactly).
     *
     * @param model the trained model (never an ablated twin: every condition measures the same text)
     */
    public static TextWindows.DocumentSource sampled(Transformer model, Tokenizer tok, long seed, int batch, Consumer<String> log) {
        return (spec, windows) -> {
            int len = spec.intOption("length", 64);
            TextSampler s = new TextSampler(len, spec.doubleOption("temperature", 1.0), spec.intOption("top_k", 0), seed);
            int[] start = startTokens(tok);
            List<int[]> prompts = start.length > 0 ? List.of(start) : humanPrompts(tok);
            int fixed = spec.intOption("docs", 0);
            if (fixed < 0) throw new UserError("--dataset " + spec.spec() + ": docs must be >= 1");
            int stop = endToken(tok);
            List<String> docs = new ArrayList<>();
            long t0 = System.nanoTime();
            while (fixed > 0 ? docs.size() < fixed : windows.found(docs) < windows.wanted() * 3 / 2) {
                if (fixed == 0 && docs.size() >= MAX_DOCS) break;
                int b = fixed > 0 ? Math.min(ROUND, fixed - docs.size()) : ROUND;
                // each round continues the same seed stream: document i's text depends only on i and the seed
                TextSampler round = new TextSampler(s.length(), s.temperature(), s.topK(), org.emergence.common.Seeds.mix(seed, docs.size()));
                docs.addAll(round.sample(model, tok, prompts, b, stop, Math.min(b, batch)));
                if (log != null) {
                    log.accept(String.format(java.util.Locale.ROOT, "text:sampled: %d documents of up to %d tokens (%.0f s)", docs.size(),
                            len, (System.nanoTime() - t0) / 1e9));
                }
            }
            return docs;
        };
    }

    /** The id of the end-of-text token the model stops at (−1: none known). */
    static int endToken(Tokenizer tok) {
        int[] suf = tok.specials().suffix();
        if (suf.length == 1) return suf[0];
        for (String e : new String[] {"</s>", "<|endoftext|>", "<eos>"}) {
            int[] ids = tok.encode(e, false);
            if (ids.length == 1 && tok.isSpecial(ids[0])) return ids[0];
        }
        return -1;
    }

    /**
     * study texts' "generated" source: {@code docs} continuations of {@value #HUMAN_PROMPT} tokens of held-out
     * human text (temperature 1, top-k 40, 64 tokens), written once to {@code file} (field "text").
     */
    public static void ensureContinuations(Transformer m, Tokenizer tok, String generator, Path file, int docs, long seed,
                                           Consumer<String> log) throws IOException {
        if (Files.isRegularFile(file)) return;
        if (!m.config().causal() || !m.hasLogits()) {
            throw new UserError("study texts: --generator " + generator + " is not a causal language model");
        }
        TextSampler s = new TextSampler(Math.min(64, m.config().maxPositions()), 1.0, 40, seed);
        log.accept("sampling " + docs + " documents of " + (s.length() - HUMAN_PROMPT) + " tokens from " + generator
                + " (temperature 1, top-k 40) -> " + file);
        StringBuilder out = new StringBuilder();
        ObjectMapper om = new ObjectMapper();
        for (String text : s.sample(m, tok, humanPrompts(tok), docs, -1, 128)) {
            out.append(om.writeValueAsString(java.util.Map.of("text", text.replace("<|endoftext|>", "\n")))).append('\n');
        }
        AtomicFiles.writeString(file, out.toString());
    }

    static List<String> humanDocs() {
        List<String> out = new ArrayList<>();
        try (InputStream in = TextWindows.class.getResourceAsStream("builtin-text.jsonl")) {
            if (in == null) throw new UserError("the built-in text is missing from this build");
            BufferedReader br = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            ObjectMapper om = new ObjectMapper();
            for (String line; (line = br.readLine()) != null; ) {
                JsonNode n = om.readTree(line);
                out.add(n.path("text").asText());
            }
        } catch (IOException e) {
            throw new UserError("cannot read the built-in text (" + e.getMessage() + ")", e);
        }
        return out;
    }
}
