package org.emergence.model;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.emergence.common.UserError;
import org.emergence.model.io.Weight;

/**
 * Non-finite activations (NaN, ±∞) are caught where they appear, and blamed on a tensor: a checkpoint
 * with NaN or infinite weights otherwise turns every later number into NaN, and the first error would
 * come from an estimator knowing neither layer nor weight.
 */
public final class Finite {
    private Finite() {}

    /**
     * Checks the residual stream after block {@code l} (−1: the embeddings) for rows [0, rows); on a
     * non-finite value, scans that stage's weights and names the first tensor holding one.
     */
    public static void require(Transformer m, FloatBuffer h, int rows, int l, TokenBatch b, String where) {
        int hd = m.config().hidden();
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < hd; j++) {
                float v = h.get(r * hd + j);
                if (Float.isFinite(v)) continue;
                String stage = l < 0 ? "the embeddings" : "block " + l;
                String culprit = culprit(m, l);
                throw new UserError(m.dir() + ": " + stage + " produced " + (Float.isNaN(v) ? "NaN" : "an infinite value")
                        + " (" + where + ", sequence " + r / b.length() + ", position " + r % b.length() + ")"
                        + (culprit != null ? "; tensor '" + culprit + "' holds non-finite weights" : "; its weights are finite "
                            + "(the activations overflow float32)"));
            }
        }
    }

    /** The first tensor of a stage with a non-finite value, or null. */
    static String culprit(Transformer m, int l) {
        Layout layout = m.family().layout(m.config());
        List<Layout.Tensor> ts = new ArrayList<>();
        if (l < 0) {
            for (Layout.Tensor t : new Layout.Tensor[] {layout.tokens(), layout.positions(), layout.tokenTypes()}) if (t != null) ts.add(t);
            if (layout.embeddingNorm() != null) addNorm(ts, layout.embeddingNorm());
        } else {
            Layout.Block bl = layout.blocks()[l];
            for (Layout.NormSpec n : new Layout.NormSpec[] {bl.norm1(), bl.norm2(), bl.norm1Post(), bl.norm2Post()}) addNorm(ts, n);
            for (Layout.LinearSpec s : bl.qkv()) addLinear(ts, s);
            for (Layout.LinearSpec s : new Layout.LinearSpec[] {bl.out(), bl.up(), bl.gate(), bl.down()}) addLinear(ts, s);
        }
        for (Layout.Tensor t : ts) {
            Weight w = m.checkpoint().find(t.name());
            if (w != null && !finite(w)) return t.name();
        }
        return null;
    }

    private static void addNorm(List<Layout.Tensor> ts, Layout.NormSpec n) {
        if (n == null) return;
        ts.add(n.weight());
        if (n.bias() != null) ts.add(n.bias());
    }

    private static void addLinear(List<Layout.Tensor> ts, Layout.LinearSpec s) {
        if (s == null) return;
        ts.add(s.weight());
        if (s.bias() != null) ts.add(s.bias());
    }

    static boolean finite(Weight w) {
        long n = w.numel();
        int chunk = 1 << 20;
        FloatBuffer buf = FloatBuffer.allocate(chunk);
        for (long s = 0; s < n; s += chunk) {
            int k = (int) Math.min(chunk, n - s);
            w.readF32(s, k, buf, 0);
            for (int i = 0; i < k; i++) if (!Float.isFinite(buf.get(i))) return false;
        }
        return true;
    }
}
