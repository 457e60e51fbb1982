package org.emergence.ie;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.emergence.common.Progress;
import org.emergence.data.Dataset;
import org.emergence.data.Npy;
import org.emergence.data.NpyHeader;
import org.emergence.model.Finite;
import org.emergence.model.ModelConfig;
import org.emergence.model.TokenBatch;
import org.emergence.model.Transformer;
import org.emergence.tensor.Gemm;

/**
 * The model's own forward pass as a run's activations, layer-major: the residual stream of all N sequences is spilled
 * to RUN_DIR/acts as [T, N, H] files; block l reads h^l and writes h^(l+1), and h^l is deleted once block l's
 * estimates are persisted. A resumed run skips every finished activation file; a missing input (deleted, damaged, or a
 * run killed between files) is recomputed from the embeddings. Micro states (each distinct token fed alone) are few and
 * advance block by block in memory. With {@code --save-acts} each block's states are also written in the layout
 * {@code run --acts} reads ({@link SavedActs}).
 */
final class ModelActivations implements ActivationSource {
    private final Transformer model;
    private final Dataset data;
    private final int[] microPrefix, microSuffix;
    /** where to write the run's activations (--save-acts); null: nowhere */
    private final Path saveActs;

    private Context c;
    private SpillFiles spill;
    private RunDir dir;
    private int n, t, h, batch;
    private MicroStates micro;
    private SavedActs saved;
    private FloatBuffer batchBuf; // [batch·T, H], reused

    /**
     * @param microPrefix special tokens a lone token is fed after (the micro level; empty = alone)
     * @param microSuffix special tokens it is fed before
     * @param saveActs    directory to write the run's activations to, in the layout {@code run --acts} reads; or null
     */
    ModelActivations(Transformer model, Dataset data, int[] microPrefix, int[] microSuffix, Path saveActs) {
        this.model = model;
        this.data = data;
        this.microPrefix = microPrefix;
        this.microSuffix = microSuffix;
        this.saveActs = saveActs;
    }

    @Override
    public ModelConfig config() {
        return model.config();
    }

    @Override
    public void validate(Dataset d) {
        model.validate(TokenBatch.of(d.n(), d.t(), d.ids()), "--dataset " + d.spec());
    }

    @Override
    public void start(Context context) throws IOException {
        this.c = context;
        this.dir = c.dir();
        this.n = c.n();
        this.t = c.t();
        this.h = c.h();
        this.batch = c.batch();
        this.spill = c.spill();
        RunSettings s = c.settings();
        micro = new MicroStates(model, data, s.measurement().microPosition().equals("original"), microPrefix, microSuffix, batch);
        if (saveActs != null) saved = SavedActs.start(saveActs, s, model.config(), data, micro, spill, batch);
    }

    @Override
    public boolean owes(int l) {
        return saved != null && !saved.has(l);
    }

    @Override
    public void capture(int l, boolean estimates) throws IOException {
        RunResume resume = c.resume();
        boolean nextReady = resume.complete(dir.hidden(l + 1));
        if (!estimates && (nextReady || l == c.last())) return;
        if (!resume.complete(dir.hidden(l))) {
            if (l != 0) {
                // the input of block l is gone (deleted, damaged, or a run killed between files): recompute it
                resume.recovered(dir.hidden(l) + " is missing: recomputed from the embeddings through blocks 0-" + (l - 1));
            }
            embedAll();
            for (int k = 0; k < l; k++) {
                forwardBlock(k);
                if (!c.keepActivations()) Files.deleteIfExists(dir.hidden(k));
            }
        }
        if (!nextReady) forwardBlock(l);
    }

    @Override
    public Block block(int l) throws IOException {
        // micro states before and after block l for all items; the micro residual then moves on to l + 1
        float[][] microBA = micro.beforeAfter(l);
        if (saved != null) saved.layer(dir, l, microBA, batchBuffer());
        Path in = dir.hidden(l), out = dir.hidden(l + 1);
        return new Block(i -> spill.position(in, i), i -> spill.position(out, i), i -> micro.pairs(microBA, i), Double.NaN);
    }

    @Override
    public void release(int l) throws IOException {
        if (!c.keepActivations()) Files.deleteIfExists(dir.hidden(l));
    }

    @Override
    public void finish() throws IOException {
        if (saved != null) saved.manifest(c.settings().layers());
    }

    private TokenBatch batchOf(int s0, int s1) {
        int[] ids = Arrays.copyOfRange(data.ids(), s0 * t, s1 * t);
        return TokenBatch.of(s1 - s0, t, ids);
    }

    private void embedAll() throws IOException {
        Progress p = Progress.start("embed", n, "seq", c.quiet());
        try (SpillWriter w = spill.writer(dir.hidden(0))) {
            for (int s0 = 0; s0 < n; s0 += batch) {
                int s1 = Math.min(n, s0 + batch);
                TokenBatch tb = batchOf(s0, s1);
                FloatBuffer x = model.embed(tb, batchBuffer());
                Finite.require(model, x, tb.rows(), -1, tb, "sequences " + s0 + "-" + (s1 - 1));
                w.write(x, s0, s1);
                p.step(s1 - s0);
            }
            w.commit();
        }
        p.finish();
    }

    private void forwardBlock(int l) throws IOException {
        Progress p = Progress.start("block " + l + " forward", n, "seq", c.quiet());
        Path f = dir.hidden(l);
        NpyHeader in = Npy.header(f);
        try (SpillWriter w = spill.writer(dir.hidden(l + 1))) {
            for (int s0 = 0; s0 < n; s0 += batch) {
                int s1 = Math.min(n, s0 + batch);
                FloatBuffer x = spill.sequences(f, in, s0, s1, batchBuffer());
                TokenBatch tb = batchOf(s0, s1);
                model.block(l, tb, x);
                Finite.require(model, x, tb.rows(), l, tb, "sequences " + s0 + "-" + (s1 - 1));
                w.write(x, s0, s1);
                p.step(s1 - s0);
            }
            w.commit();
        }
        p.finish();
    }

    private FloatBuffer batchBuffer() {
        if (batchBuf == null) batchBuf = Gemm.allocate((long) batch * t * h);
        return batchBuf;
    }
}
