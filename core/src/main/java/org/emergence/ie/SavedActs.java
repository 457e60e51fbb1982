package org.emergence.ie;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeSet;
import org.emergence.data.DType;
import org.emergence.data.Dataset;
import org.emergence.data.Npy;
import org.emergence.data.NpyHeader;
import org.emergence.data.NpyWriter;
import org.emergence.model.ModelConfig;

/**
 * {@code run --save-acts DIR}: a model run's activations written in the layout {@code run --acts} reads
 * ({@link ActsLayout}): the tokens and micro items first, then each measured block's input and output, macro
 * [N, T, H] and micro [M, H] (each file once, so a resumed run writes only what is missing), and the manifest last.
 */
final class SavedActs {
    private final Path root;
    private final RunSettings s;
    private final ModelConfig cfg;
    private final Dataset data;
    private final MicroStates micro;
    private final SpillFiles spill;
    private final int n, t, h, batch;

    private SavedActs(Path root, RunSettings s, ModelConfig cfg, Dataset data, MicroStates micro, SpillFiles spill, int batch) {
        this.root = root;
        this.s = s;
        this.cfg = cfg;
        this.data = data;
        this.micro = micro;
        this.spill = spill;
        this.n = data.n();
        this.t = data.t();
        this.h = cfg.hidden();
        this.batch = batch;
    }

    /** Writes the tokens and the micro items' table, and returns the writer of the blocks' states. */
    static SavedActs start(Path root, RunSettings s, ModelConfig cfg, Dataset data, MicroStates micro, SpillFiles spill,
                           int batch) throws IOException {
        SavedActs a = new SavedActs(root, s, cfg, data, micro, spill, batch);
        Npy.writeInts(root.resolve("tokens.npy"), new long[] {a.n, a.t}, data.ids());
        Npy.writeLongs(root.resolve("micro_items.npy"), new long[] {micro.items(), 2}, micro.itemTable());
        return a;
    }

    /** Whether block l's output (macro and micro) is saved already. */
    boolean has(int l) {
        return Files.isRegularFile(ActsLayout.hidden(root, l + 1)) && Files.isRegularFile(ActsLayout.microHidden(root, l + 1));
    }

    /** Block l's input and output, macro from the run's spill files and micro from {@code microBA}, each file once. */
    void layer(RunDir dir, int l, float[][] microBA, FloatBuffer buf) throws IOException {
        for (int k = l; k <= l + 1; k++) {
            Path f = ActsLayout.hidden(root, k);
            if (!Files.isRegularFile(f)) {
                NpyHeader hd = Npy.header(dir.hidden(k));
                try (NpyWriter w = NpyWriter.create(f, DType.F4, new long[] {n, t, h})) {
                    for (int s0 = 0; s0 < n; s0 += batch) {
                        int s1 = Math.min(n, s0 + batch);
                        w.write(spill.sequences(dir.hidden(k), hd, s0, s1, buf).duplicate().position(0).limit((s1 - s0) * t * h));
                    }
                    w.commit();
                }
            }
            Path mf = ActsLayout.microHidden(root, k);
            if (!Files.isRegularFile(mf)) Npy.writeFloats(mf, new long[] {micro.items(), h}, microBA[k - l]);
        }
    }

    /** The manifest, last: which blocks' states the layout holds and how they were made. */
    void manifest(int[] layers) throws IOException {
        TreeSet<Integer> ls = new TreeSet<>();
        for (int l : layers) {
            ls.add(l);
            ls.add(l + 1);
        }
        ActsManifestJson.write(root, ActsManifest.of(s.model(), cfg, ls, s.measurement().microPosition(),
                s.measurement().microSpecials(), data.spec(), s.specialTokens(), "emergence " + s.version() + " run --save-acts"));
    }
}
