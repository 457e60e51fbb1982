package org.emergence.generate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.emergence.common.Seeds;
import org.emergence.common.UserError;
import org.emergence.model.NextToken;
import org.emergence.model.TokenBatch;
import org.emergence.model.Transformer;
import org.emergence.tokenize.Tokenizer;

/**
 * Text written by a causal language model itself: each document continues a prompt (the model's start token,
 * or a few tokens of a human document) by ancestral sampling — temperature, optional top-k, seeded — for a fixed
 * number of tokens or until the end-of-text token, and keeps only the continuation, decoded to text. Every step
 * runs the whole prefix again (no key/value cache): cost grows with the square of the length, which is why
 * documents are short by default.
 *
 * @param length      tokens per document, prompt included (at most the model's positions)
 * @param temperature softmax temperature (1 = the model's own distribution)
 * @param topK        keep only the k most likely tokens (0 = all)
 * @param seed        the sampling seed: a new seed is a fresh draw of the text
 */
public record TextSampler(int length, double temperature, int topK, long seed) {
    public TextSampler {
        if (length < 2) throw new UserError("sampled text: length must be >= 2 tokens, got " + length);
        if (!(temperature > 0) || Double.isInfinite(temperature)) throw new UserError("sampled text: temperature must be > 0, got " + temperature);
        if (topK < 0) throw new UserError("sampled text: top_k must be >= 0, got " + topK);
    }

    /**
     * {@code docs} documents, document i continuing {@code prompts[i mod prompts]}; documents stop early at
     * {@code stop} (−1: never).
     */
    public List<String> sample(Transformer m, Tokenizer tok, List<int[]> prompts, int docs, int stop, int batch) {
        if (!m.config().causal() || !m.hasLogits()) throw new UserError("sampled text needs a causal language model with a head");
        if (prompts.isEmpty()) throw new UserError("sampled text: no prompt to start from");
        int len = Math.min(length, m.config().maxPositions());
        int v = m.config().vocab();
        List<String> out = new ArrayList<>(docs);
        for (int d0 = 0; d0 < docs; d0 += batch) {
            int b = Math.min(batch, docs - d0);
            int[][] seqs = new int[b][];
            boolean[] ended = new boolean[b];
            // one stream per document: a document's text does not depend on the batch it was sampled in
            SplittableRandom[] rng = new SplittableRandom[b];
            for (int i = 0; i < b; i++) {
                seqs[i] = prompts.get((d0 + i) % prompts.size()).clone();
                rng[i] = new SplittableRandom(Seeds.mix(Seeds.mix(seed, 0x5A3), d0 + i));
            }
            int start = seqs[0].length;
            for (int[] s : seqs) if (s.length != start) throw new IllegalArgumentException("prompts of different lengths");
            for (int step = start; step < len; step++) {
                float[] logits = NextToken.lastLogits(m, TokenBatch.of(seqs));
                for (int i = 0; i < b; i++) {
                    int next = ended[i] ? Math.max(stop, 0) : sample(logits, i * v, v, rng[i]);
                    if (next == stop) ended[i] = true;
                    int[] s = Arrays.copyOf(seqs[i], seqs[i].length + 1);
                    s[s.length - 1] = next;
                    seqs[i] = s;
                }
                boolean all = true;
                for (boolean e : ended) all &= e;
                if (all) break;
            }
            for (int[] s : seqs) {
                int end = s.length;
                for (int k = start; k < s.length; k++) {
                    if (s[k] == stop) {
                        end = k;
                        break;
                    }
                }
                out.add(tok.decode(Arrays.copyOfRange(s, start, end)));
            }
        }
        return out;
    }

    /** One token from a row of logits: softmax at the temperature over all tokens, or over the top k. */
    int sample(float[] logits, int off, int v, SplittableRandom r) {
        int k = topK == 0 || topK >= v ? v : topK;
        int[] keep = new int[k];
        if (k == v) {
            for (int i = 0; i < v; i++) keep[i] = i;
        } else {
            Arrays.fill(keep, -1);
            for (int c = 0; c < v; c++) {
                if (keep[k - 1] >= 0 && logits[off + c] <= logits[off + keep[k - 1]]) continue; // not among the k largest
                int pos = k;
                while (pos > 0 && (keep[pos - 1] < 0 || logits[off + keep[pos - 1]] < logits[off + c])) pos--;
                if (pos < k) {
                    System.arraycopy(keep, pos, keep, pos + 1, k - pos - 1);
                    keep[pos] = c;
                }
            }
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int c : keep) if (c >= 0) max = Math.max(max, logits[off + c]);
        double sum = 0;
        double[] p = new double[k];
        for (int i = 0; i < k; i++) if (keep[i] >= 0) sum += p[i] = Math.exp((logits[off + keep[i]] - max) / temperature);
        double u = r.nextDouble() * sum;
        for (int i = 0; i < k; i++) if (keep[i] >= 0 && (u -= p[i]) <= 0) return keep[i];
        return keep[0];
    }
}
