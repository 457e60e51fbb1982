package org.emergence.ie;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.emergence.common.Progress;
import org.emergence.common.Seeds;
import org.emergence.data.DType;
import org.emergence.mi.Matrix;
import org.emergence.model.TokenBatch;
import org.emergence.model.Transformer;

/**
 * The paper's untrained-input baseline: every block's input is replaced by i.i.d. N(0, var)
 * vectors, fresh for every block, sequence and position (and, for the micro level, fed alone), so
 * the block output can only carry what the block computes from noise. Inputs are regenerated from
 * the seed rather than stored; outputs are spilled like a normal run's activations.
 */
final class RandomBaseline {
    private final Transformer model;
    private final long seed;
    private final double var;
    private final int n, t, h, batch;
    private final boolean originalPosition;

    RandomBaseline(Transformer model, long seed, double var, int n, int t, int batch, boolean originalPosition) {
        this.model = model;
        this.seed = seed;
        this.var = var;
        this.n = n;
        this.t = t;
        this.h = model.config().hidden();
        this.batch = batch;
        this.originalPosition = originalPosition;
    }

    /** i.i.d. N(0, var) input of block l for sequence seq at position pos (micro inputs use a separate stream). */
    private void input(int l, boolean micro, int seq, int pos, float[] dst, int off) {
        SplittableRandom r = new SplittableRandom(Seeds.mix(Seeds.mix(Seeds.mix(seed, 0x5EED + l), micro ? 1 : 0),
                (long) seq * 65536 + pos));
        Seeds.gaussians(r, Math.sqrt(var), dst, off, h);
    }

    /** Block l on every sequence's random inputs, written as [T, N, H] through {@code w}. */
    void forward(int l, SpillWriter w, FloatBuffer buf, boolean quiet) throws IOException {
        Progress p = Progress.start("block " + l + " on random inputs", n, "seq", quiet);
        float[] row = new float[h];
        for (int s0 = 0; s0 < n; s0 += batch) {
            int s1 = Math.min(n, s0 + batch);
            for (int j = 0; j < s1 - s0; j++) {
                for (int i = 0; i < t; i++) {
                    input(l, false, s0 + j, i, row, 0);
                    buf.put((j * t + i) * h, row, 0, h);
                }
            }
            model.block(l, TokenBatch.of(s1 - s0, t, new int[(s1 - s0) * t]), buf);
            w.write(buf, s0, s1);
            p.step(s1 - s0);
        }
        p.finish();
    }

    /** All N random inputs of block l at position i. */
    Matrix inputs(int l, boolean micro, int i) {
        float[] v = new float[n * h];
        for (int seq = 0; seq < n; seq++) input(l, micro, seq, i, v, seq * h);
        return new Matrix(v, n, h);
    }

    /** Micro pairs: each position's random vector fed alone through block l. */
    Matrix[] micro(int l, int i, FloatBuffer buf) {
        Matrix x = inputs(l, true, i);
        float[] y = new float[n * h];
        int pos = originalPosition ? i : 0;
        int chunk = batch * t; // rows of one batch buffer
        for (int s0 = 0; s0 < n; s0 += chunk) {
            int s1 = Math.min(n, s0 + chunk);
            int[] positions = new int[s1 - s0];
            Arrays.fill(positions, pos);
            TokenBatch tb = new TokenBatch(s1 - s0, 1, new int[s1 - s0], positions, null, null);
            buf.put(0, x.data(), s0 * h, (s1 - s0) * h);
            model.block(l, tb, buf);
            buf.get(0, y, s0 * h, (s1 - s0) * h);
        }
        return new Matrix[] {x, new Matrix(y, n, h)};
    }
}
