package org.emergence.study;

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
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.emergence.common.AtomicFiles;
import org.emergence.common.Seeds;
import org.emergence.common.UserError;
import org.emergence.data.TextWindows;
import org.emergence.model.ModelSources;
import org.emergence.model.NextToken;
import org.emergence.model.TokenBatch;
import org.emergence.model.Transformer;
import org.emergence.tokenize.Tokenizer;

/**
 * "Model-written" text made in-house, for the texts study (no LLM-written corpus is reachable
 * offline): each document continues the first {@value #PROMPT} tokens of a held-out human document
 * (text:builtin) by sampling from a causal model — temperature {@value #TEMPERATURE}, top-k
 * {@value #TOP_K}, seeded, up to the model's positions — and keeps only the sampled continuation,
 * decoded to text. Written once to STUDY_DIR/generated.jsonl (field "text") and reused on resume.
 */
final class TextSampler {
    private TextSampler() {}

    static final int PROMPT = 8, TOP_K = 40;
    static final double TEMPERATURE = 1.0;

    static void ensure(String generator, Path file, int docs, long seed, Consumer<String> log) throws IOException {
        if (Files.isRegularFile(file)) return;
        Transformer m = ModelSources.load(generator);
        if (!m.config().causal() || !m.hasLogits()) {
            throw new UserError("study texts: --generator " + generator + " is not a causal language model");
        }
        int len = Math.min(64, m.config().maxPositions());
        log.accept("sampling " + docs + " documents of " + (len - PROMPT) + " tokens from " + generator + " (temperature " + TEMPERATURE
                + ", top-k " + TOP_K + ") -> " + file);
        List<int[]> prompts = new ArrayList<>();
        try (Tokenizer tok = ModelSources.tokenizer(generator)) {
            for (String d : humanDocs()) {
                int[] ids = tok.encode(d, false);
                if (ids.length >= PROMPT) prompts.add(Arrays.copyOf(ids, PROMPT));
            }
            if (prompts.isEmpty()) throw new UserError("study texts: no prompts from the built-in text");
            SplittableRandom r = new SplittableRandom(Seeds.mix(seed, 0x5A3));
            StringBuilder out = new StringBuilder();
            ObjectMapper om = new ObjectMapper();
            int v = m.config().vocab();
            for (int d0 = 0; d0 < docs; d0 += 128) {
                int b = Math.min(128, docs - d0);
                int[][] seqs = new int[b][];
                for (int i = 0; i < b; i++) seqs[i] = prompts.get((d0 + i) % prompts.size()).clone();
                for (int step = PROMPT; step < len; step++) {
                    float[] logits = NextToken.lastLogits(m, TokenBatch.of(seqs));
                    for (int i = 0; i < b; i++) {
                        int next = sample(logits, i * v, v, r);
                        int[] s = Arrays.copyOf(seqs[i], seqs[i].length + 1);
                        s[s.length - 1] = next;
                        seqs[i] = s;
                    }
                }
                for (int[] s : seqs) {
                    String text = tok.decode(Arrays.copyOfRange(s, PROMPT, s.length)).replace("<|endoftext|>", "\n");
                    out.append(om.writeValueAsString(java.util.Map.of("text", text))).append('\n');
                }
            }
            AtomicFiles.writeString(file, out.toString());
        }
    }

    /** Top-k sampling at the temperature from one row of logits. */
    static int sample(float[] logits, int off, int v, SplittableRandom r) {
        int[] top = new int[TOP_K];
        Arrays.fill(top, -1);
        for (int k = 0; k < v; k++) {
            if (top[TOP_K - 1] >= 0 && logits[off + k] <= logits[off + top[TOP_K - 1]]) continue; // not among the k largest
            int pos = TOP_K;
            while (pos > 0 && (top[pos - 1] < 0 || logits[off + top[pos - 1]] < logits[off + k])) pos--;
            if (pos < TOP_K) {
                System.arraycopy(top, pos, top, pos + 1, TOP_K - pos - 1);
                top[pos] = k;
            }
        }
        double max = logits[off + top[0]], sum = 0;
        double[] p = new double[TOP_K];
        for (int i = 0; i < TOP_K && top[i] >= 0; i++) sum += p[i] = Math.exp((logits[off + top[i]] - max) / TEMPERATURE);
        double u = r.nextDouble() * sum;
        for (int i = 0; i < TOP_K && top[i] >= 0; i++) if ((u -= p[i]) <= 0) return top[i];
        return top[0];
    }

    static List<String> humanDocs() throws IOException {
        List<String> out = new ArrayList<>();
        try (InputStream in = TextWindows.class.getResourceAsStream("builtin-text.jsonl")) {
            if (in == null) throw new UserError("study texts: the built-in text is missing from this build");
            BufferedReader br = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            ObjectMapper om = new ObjectMapper();
            for (String line; (line = br.readLine()) != null; ) {
                JsonNode n = om.readTree(line);
                out.add(n.path("text").asText());
            }
        }
        return out;
    }
}
