package org.emergence.model;

import java.nio.FloatBuffer;
import org.emergence.common.UserError;

/**
 * Next-token predictions of a causal language model: held-out scores (perplexity, top-1
 * accuracy) over documents, and the top-1 token after each of a batch of prompts — what studies use
 * to score list continuations. Logits are the model's own (final norm, head), fp32.
 */
public final class NextToken {
    private NextToken() {}

    /**
     * Scores over every predicted token.
     *
     * @param nearTies predictions whose top-2 logits are within {@code margin}: where float rounding
     *                 between two implementations may flip the argmax
     */
    public record Scores(long predictions, long correct, double nllNats, long nearTies) {
        public double accuracy() {
            return predictions == 0 ? Double.NaN : correct / (double) predictions;
        }

        public double perplexity() {
            return Math.exp(nllNats / predictions);
        }
    }

    private static void requireCausal(Transformer m) {
        if (!m.config().causal() || !m.hasLogits()) {
            throw new UserError(m.config().modelType() + " is not a causal language model with a head: no next-token predictions");
        }
    }

    /**
     * Every next token of every document (token i + 1 predicted from tokens 0..i), each document read from
     * position 0. Rows of {@code docs} may have different lengths (at most the model's positions);
     * padding them at the end changes nothing before it in a causal model, so equal-length batches are run.
     */
    public static Scores score(Transformer m, int[][] docs, double margin, int batch) {
        requireCausal(m);
        int v = m.config().vocab();
        long predictions = 0, correct = 0, ties = 0;
        double nll = 0;
        for (int s0 = 0; s0 < docs.length; s0 += batch) {
            int s1 = Math.min(docs.length, s0 + batch), len = 0;
            for (int s = s0; s < s1; s++) len = Math.max(len, docs[s].length);
            if (len < 2) continue;
            int[][] rows = new int[s1 - s0][len];
            for (int s = s0; s < s1; s++) System.arraycopy(docs[s], 0, rows[s - s0], 0, docs[s].length);
            TokenBatch b = TokenBatch.of(rows);
            float[] logits = new float[b.rows() * v];
            m.run(b, CaptureRequest.of(Hooks.LOGITS), (hook, tb, data, npos, width) -> data.duplicate().get(0, logits, 0, logits.length));
            for (int s = s0; s < s1; s++) {
                int[] d = docs[s];
                for (int i = 0; i + 1 < d.length; i++) {
                    int off = ((s - s0) * len + i) * v;
                    double max = Double.NEGATIVE_INFINITY, second = Double.NEGATIVE_INFINITY;
                    int arg = -1;
                    for (int k = 0; k < v; k++) {
                        float x = logits[off + k];
                        if (x > max) {
                            second = max;
                            max = x;
                            arg = k;
                        } else if (x > second) {
                            second = x;
                        }
                    }
                    double sum = 0;
                    for (int k = 0; k < v; k++) sum += Math.exp(logits[off + k] - max);
                    nll -= logits[off + d[i + 1]] - max - Math.log(sum);
                    if (arg == d[i + 1]) correct++;
                    if (max - second < margin) ties++;
                    predictions++;
                }
            }
        }
        return new Scores(predictions, correct, nll, ties);
    }

    /** The top-1 next token after each row of {@code b} (rows of equal length). */
    public static int[] top1(Transformer m, TokenBatch b) {
        float[] last = lastLogits(m, b);
        int v = m.config().vocab();
        int[] out = new int[b.batch()];
        for (int r = 0; r < out.length; r++) {
            int arg = 0;
            for (int k = 1; k < v; k++) if (last[r * v + k] > last[r * v + arg]) arg = k;
            out[r] = arg;
        }
        return out;
    }

    /** Logits [B, V] at the last position of each row. */
    public static float[] lastLogits(Transformer m, TokenBatch b) {
        requireCausal(m);
        int v = m.config().vocab(), t = b.length(), hd = m.config().hidden();
        float[] out = new float[b.batch() * v];
        // the final hidden state at the last position only, then the head on those B rows (not on all B·T)
        m.run(b, CaptureRequest.of(Hooks.FINAL_NORM).atPositions(t - 1), (hook, tb, data, npos, width) -> {
            FloatBuffer f = org.emergence.tensor.Gemm.allocate((long) tb.batch() * hd);
            FloatBuffer d = data.duplicate();
            for (int i = 0; i < tb.batch() * hd; i++) f.put(i, d.get(i));
            m.logits(f, tb.batch()).get(0, out, 0, out.length);
        });
        return out;
    }
}
