package org.emergence.ie;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.emergence.common.Progress;
import org.emergence.common.Seeds;
import org.emergence.mi.Matrix;
import org.emergence.model.ModelConfig;
import org.emergence.model.TokenBatch;
import org.emergence.model.Transformer;
import org.emergence.tensor.Gemm;

/**
 * The paper's untrained-input baseline: every block's input is replaced by i.i.d. N(0, var)
 * vectors, fresh for every block, sequence and position (and, for the micro level, fed alone), so
 * the block output can only carry what the block computes from noise. Inputs are regenerated from
 * the seed rather than stored; outputs are spilled like a normal run's activations (RUN_DIR/acts, one block at a
 * time), and a resumed run reuses a finished output file.
 */
final class RandomBaseline implements ActivationSource {
    private final Transformer model;
    private final long seed;
    private final double var;
    private final int h;
    private final boolean originalPosition;
    private int n, t, batch;
    private Context c;
    private SpillFiles spill;
    private FloatBuffer batchBuf; // [batch·T, H], reused

    /**
     * @param var              the variance of the i.i.d. inputs
     * @param originalPosition micro inputs are fed at their own position (else at 0)
     */
    RandomBaseline(Transformer model, long seed, double var, boolean originalPosition) {
        this.model = model;
        this.seed = seed;
        this.var = var;
        this.h = model.config().hidden();
        this.originalPosition = originalPosition;
    }

    @Override
    public ModelConfig config() {
        return model.config();
    }

    @Override
    public void start(Context context) {
        c = context;
        n = c.n();
        t = c.t();
        batch = c.batch();
        spill = c.spill();
    }

    @Override
    public void capture(int l, boolean estimates) throws IOException {
        Path f = c.dir().randomOutput(l);
        if (!estimates || c.resume().complete(f)) return;
        try (SpillWriter w = spill.writer(f)) {
            forward(l, w, batchBuffer(), c.quiet());
            w.commit();
        }
    }

    @Override
    public Block block(int l) {
        Path out = c.dir().randomOutput(l);
        return new Block(i -> inputs(l, false, i), i -> spill.position(out, i), i -> micro(l, i, batchBuffer()), Math.sqrt(var));
    }

    @Override
    public void release(int l) throws IOException {
        if (!c.keepActivations()) Files.deleteIfExists(c.dir().randomOutput(l));
    }

    private FloatBuffer batchBuffer() {
        if (batchBuf == null) batchBuf = Gemm.allocate((long) batch * t * h);
        return batchBuf;
    }

    /** i.i.d. N(0, var) input of block l for sequence seq at position pos (micro inputs use a separate stream). */
    private void input(int l, boolean micro, int seq, int pos, float[] dst, int off) {
        SplittableRandom r = new SplittableRandom(Seeds.mix(Seeds.mix(Seeds.mix(seed, 0x5EED + l), micro ? 1 : 0),
                (long) seq * 65536 + pos));
        Seeds.gaussians(r, Math.sqrt(var), dst, off, h);
    }

    /** Block l on every sequence's random inputs, written as [T, N, H] through {@code w}. */
    private void forward(int l, SpillWriter w, FloatBuffer buf, boolean quiet) throws IOException {
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
    private Matrix inputs(int l, boolean micro, int i) {
        float[] v = new float[n * h];
        for (int seq = 0; seq < n; seq++) input(l, micro, seq, i, v, seq * h);
        return new Matrix(v, n, h);
    }

    /** Micro pairs: each position's random vector fed alone through block l. */
    private Matrix[] micro(int l, int i, FloatBuffer buf) {
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
