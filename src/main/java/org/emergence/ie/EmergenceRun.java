package org.emergence.ie;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.emergence.common.AtomicFiles;
import org.emergence.common.Progress;
import org.emergence.common.Seeds;
import org.emergence.common.UserError;
import org.emergence.data.DType;
import org.emergence.data.Dataset;
import org.emergence.data.Npy;
import org.emergence.data.NpyHeader;
import org.emergence.data.NpyWriter;
import org.emergence.mi.Estimate;
import org.emergence.mi.Estimates;
import org.emergence.mi.Matrix;
import org.emergence.mi.RowGroups;
import org.emergence.model.ModelConfig;
import org.emergence.model.TokenBatch;
import org.emergence.model.Transformer;
import org.emergence.tensor.Gemm;

/**
 * One IE measurement, run layer-major: block by block over the whole dataset, keeping in memory only
 * what the current block needs. The residual stream of all N sequences is spilled to RUN_DIR/acts as
 * [T, N, H] .npy files; block l reads h^l, writes h^(l+1), then the (layer, position) estimates of
 * block l are computed and each is persisted atomically before h^l is deleted. Re-running the same
 * command after an interruption (even kill -9) skips every finished activation file and estimate, so
 * the final results equal an uninterrupted run's.
 *
 * <p>Micro states (each distinct token fed alone) are few; they advance block by block in memory.
 */
public final class EmergenceRun {
    private final RunSettings s;
    private final Transformer model;
    private final Dataset data;
    private final ModelConfig cfg;
    private final int batch;
    private final boolean keepActivations;
    private final boolean quiet;
    private final MiPolicy policy;
    private final int n, t, h;
    private final boolean random;
    /** how each (level, layer, position) is estimated: seeds, jackknife partition, estimator */
    private final EstimateCells cells;
    private final int[] microPrefix, microSuffix;

    private MicroStates micro;
    private RandomBaseline baseline;
    /** activations captured elsewhere (run --acts), read instead of running the model; null: the model runs */
    private final ActsLayout acts;
    /** where to write this run's activations in the layout run --acts reads (--save-acts); null: nowhere */
    private final Path saveActs;
    private int[] actsItemOf;
    /** the pooled RMS of hidden state h^k last computed (a block's output), and its k (−1: none yet) */
    private double hiddenRms;
    private int hiddenRmsOf = -1;
    /** the untrained twins of a relative measurement (empty: raw) */
    private List<NullTwins.Twin> twins = List.of();

    // reused batch buffer: [batch·T, H] activations
    private FloatBuffer batchBuf;

    /** What a resumed run finds: finished estimates (by file name), damage repaired. */
    private final RunResume resume;
    /** Results so far, by file name (the resume state's map, extended as estimates finish). */
    private final Map<String, JsonNode> done;

    private EmergenceRun(RunSettings s, Transformer model, Dataset data, int batch, boolean keepActivations, boolean quiet,
                         int[] microPrefix, int[] microSuffix, ActsLayout acts, Path saveActs) {
        this.s = s;
        this.model = model;
        this.data = data;
        this.acts = acts;
        this.saveActs = saveActs;
        this.cfg = acts != null ? acts.config() : model.config();
        this.batch = Math.max(1, Math.min(batch, data.n())); // a batch larger than the dataset only wastes memory
        this.keepActivations = keepActivations;
        this.quiet = quiet;
        this.policy = new MiPolicy(s.measurement());
        this.n = data.n();
        this.t = data.t();
        this.h = cfg.hidden();
        this.random = data.isRandom();
        this.cells = new EstimateCells(s);
        this.microPrefix = microPrefix;
        this.microSuffix = microSuffix;
        this.resume = new RunResume(s, data, n, t, h, cells.groups() != null, quiet);
        this.done = resume.done();
    }

    /**
     * The run's partition of its N sequences: G groups, fewer when N is small (every group keeps at least
     * two sequences and G stays a multiple of 4, so that halves and quarters are whole groups); none when
     * N < 8 or G = 0.
     */
    static RowGroups groupsFor(int groups, int n, long seed) {
        int g = Math.min(groups, n / 2 / 4 * 4);
        return g >= 4 ? RowGroups.random(n, g, Seeds.mix(seed, 0x9A0B)) : null;
    }

    /** What a finished (or interrupted) run produced. */
    /** @param estimates every finished estimate of the run, by file name */
    public record Outcome(Path runDir, JsonNode summary, Map<String, JsonNode> estimates) {}

    /**
     * Runs (or resumes) the measurement into {@code runDir}. Inputs are validated before the run
     * directory is touched, so bad input leaves nothing a later run would trust.
     */
    public static Outcome run(RunSettings s, Transformer model, Dataset data, Path runDir, int batch,
                              boolean keepActivations, boolean quiet) throws IOException {
        return run(s, model, data, runDir, batch, keepActivations, quiet, new int[0], new int[0], false, null, null);
    }

    /**
     * @param microPrefix special tokens a lone token is fed after (the micro level; empty = alone)
     * @param microSuffix special tokens it is fed before
     * @param force       skip the pre-flight check of disk and memory
     * @param acts        activations captured elsewhere, read instead of running {@code model} (then null); or null
     * @param saveActs    directory to write this run's activations to, in the layout {@code acts} reads; or null
     */
    public static Outcome run(RunSettings s, Transformer model, Dataset data, Path runDir, int batch,
                              boolean keepActivations, boolean quiet, int[] microPrefix, int[] microSuffix, boolean force,
                              ActsLayout acts, Path saveActs) throws IOException {
        return run(s, model, data, runDir, batch, keepActivations, quiet, microPrefix, microSuffix, force, acts, saveActs, List.of());
    }

    /** @param twins the untrained twins' estimates a relative measurement reports against ({@link NullTwins}) */
    static Outcome run(RunSettings s, Transformer model, Dataset data, Path runDir, int batch,
                       boolean keepActivations, boolean quiet, int[] microPrefix, int[] microSuffix, boolean force,
                       ActsLayout acts, Path saveActs, List<NullTwins.Twin> twins) throws IOException {
        org.emergence.tensor.SgemmChoice.resetUsed(); // the summary lists this run's forward kernels
        EmergenceRun r = new EmergenceRun(s, model, data, batch, keepActivations, quiet, microPrefix, microSuffix, acts, saveActs);
        r.twins = twins;
        r.validate();
        int last = s.layers()[s.layers().length - 1];
        Preflight.check(s, r.n, r.t, r.h, last + 1, keepActivations, runDir, force);
        if (saveActs != null && !force) Preflight.checkSaveActs(saveActs, r.n, r.t, r.h, last + 2, runDir, s, keepActivations);
        try (RunDir dir = RunDir.open(runDir, s)) {
            return r.execute(dir);
        }
    }

    private void validate() {
        if ((long) batch * t * h > Integer.MAX_VALUE - 8) {
            throw new UserError("--batch " + batch + " × T " + t + " × hidden " + h + " exceeds the 2^31 floats of one batch buffer; "
                    + "lower --batch");
        }
        if (t > cfg.maxPositions()) {
            throw new UserError("--t " + t + " exceeds the model's " + cfg.maxPositions() + " positions");
        }
        for (int l : s.layers()) {
            if (l < 0 || l >= cfg.layers()) throw new UserError("--layers: layer " + l + " is out of range (0-" + (cfg.layers() - 1) + ")");
        }
        if ((long) n * h > Integer.MAX_VALUE - 8) {
            throw new UserError("--n " + n + " × hidden " + h + " exceeds the 2^31 floats one position's samples may hold; lower --n");
        }
        if (!random && acts == null) model.validate(TokenBatch.of(n, t, data.ids()), "--dataset " + data.spec());
    }

    private Outcome execute(RunDir dir) throws IOException {
        long start = System.nanoTime();
        resume.checkTokens(dir);
        resume.loadFinished(dir);
        SummaryBuilder summary = new SummaryBuilder(s, cfg, data, s.model(), policy, random);
        summary.load(done);
        for (NullTwins.Twin tw : twins) summary.twin(tw.seed(), tw.estimates());
        summary.write(dir.root, false);
        int[] layers = s.layers();
        int last = layers[layers.length - 1];
        boolean[] measured = new boolean[cfg.layers()];
        for (int l : layers) measured[l] = true;
        int pending = 0;
        for (int l : layers) pending += countPending(dir, l);
        summary.estimates(2 * layers.length * t - pending, pending);
        Progress est = Progress.start("estimate", pending, "MI", quiet);
        double captureSecs = 0, estimateSecs = 0;
        if (acts != null) {
            actsItemOf = acts.itemOf();
        } else if (random) {
            baseline = new RandomBaseline(model, s.seed(), data.randomVar(), n, t, batch,
                    s.measurement().microPosition().equals("original"));
        } else {
            micro = new MicroStates(model, data, s.measurement().microPosition().equals("original"), microPrefix, microSuffix, batch);
            if (saveActs != null) {
                Npy.writeInts(saveActs.resolve("tokens.npy"), new long[] {n, t}, data.ids());
                Npy.writeLongs(saveActs.resolve("micro_items.npy"), new long[] {micro.items(), 2}, micro.itemTable());
            }
        }
        for (int l = 0; l <= last; l++) {
            boolean estimatesDone = !measured[l] || (countPending(dir, l) == 0 && (saveActs == null || saved(l)));
            if (acts != null) {
                if (!estimatesDone) {
                    long e0 = System.nanoTime();
                    estimateLayer(dir, l, summary, est);
                    estimateSecs += (System.nanoTime() - e0) / 1e9;
                }
                continue;
            }
            if (random) {
                if (!estimatesDone) {
                    long c0 = System.nanoTime();
                    if (!resume.complete(dir.randomOutput(l))) forwardRandom(dir, l);
                    captureSecs += (System.nanoTime() - c0) / 1e9;
                    long e0 = System.nanoTime();
                    estimateLayer(dir, l, summary, est);
                    estimateSecs += (System.nanoTime() - e0) / 1e9;
                }
                if (!keepActivations) Files.deleteIfExists(dir.randomOutput(l));
                continue;
            }
            boolean nextReady = resume.complete(dir.hidden(l + 1));
            if (estimatesDone && (nextReady || l == last)) {
                if (!keepActivations) Files.deleteIfExists(dir.hidden(l));
                continue;
            }
            long c0 = System.nanoTime();
            if (!resume.complete(dir.hidden(l))) {
                if (l != 0) {
                    // the input of block l is gone (deleted, damaged, or a run killed between files): recompute it
                    resume.recovered(dir.hidden(l) + " is missing: recomputed from the embeddings through blocks 0-" + (l - 1));
                }
                embedAll(dir);
                for (int k = 0; k < l; k++) {
                    forwardBlock(dir, k);
                    if (!keepActivations) Files.deleteIfExists(dir.hidden(k));
                }
            }
            if (!nextReady) forwardBlock(dir, l);
            captureSecs += (System.nanoTime() - c0) / 1e9;
            if (!estimatesDone) {
                long e0 = System.nanoTime();
                estimateLayer(dir, l, summary, est);
                estimateSecs += (System.nanoTime() - e0) / 1e9;
            }
            if (!keepActivations) Files.deleteIfExists(dir.hidden(l));
        }
        if (!keepActivations) {
            Files.deleteIfExists(dir.hidden(last + 1));
            try (var list = Files.list(dir.acts())) {
                if (list.findAny().isEmpty()) Files.deleteIfExists(dir.acts());
            }
        }
        est.finish();
        if (saveActs != null) saveManifest(layers);
        return conclude(dir, summary, resume, captureSecs, estimateSecs, (System.nanoTime() - start) / 1e9);
    }

    /** The end of every run, local or assembled from cells computed elsewhere: final summary.json, results.csv, emergence.csv. */
    static Outcome conclude(RunDir dir, SummaryBuilder summary, RunResume resume, double captureSecs, double estimateSecs,
                            double totalSecs) throws IOException {
        summary.timing(captureSecs, estimateSecs, totalSecs);
        summary.recovered(resume.recoveries());
        ObjectNode json = summary.json(true);
        AtomicFiles.writeString(dir.root.resolve("summary.json"), RunDir.JSON.writeValueAsString(json) + "\n");
        summary.writeTables(dir.root, json);
        return new Outcome(dir.root, json, java.util.Collections.unmodifiableMap(resume.done()));
    }

    // ------------------------------------------------------------------ dataset & resume state

    private int countPending(RunDir dir, int l) {
        int c = 0;
        Measurement m = s.measurement();
        for (int i = 0; i < t; i++) {
            if (m.needs(Level.MACRO, i, t) && !done.containsKey(dir.estimate(Level.MACRO, l, i).getFileName().toString())) c++;
            if (m.needs(Level.MICRO, i, t) && !done.containsKey(dir.estimate(Level.MICRO, l, i).getFileName().toString())) c++;
        }
        return c;
    }

    // ------------------------------------------------------------------ macro forward (spilled)

    private TokenBatch batchOf(int s0, int s1) {
        int[] ids = Arrays.copyOfRange(data.ids(), s0 * t, s1 * t);
        return TokenBatch.of(s1 - s0, t, ids);
    }

    private void embedAll(RunDir dir) throws IOException {
        Progress p = Progress.start("embed", n, "seq", quiet);
        try (SpillWriter w = spill(dir.hidden(0))) {
            for (int s0 = 0; s0 < n; s0 += batch) {
                int s1 = Math.min(n, s0 + batch);
                TokenBatch tb = batchOf(s0, s1);
                FloatBuffer x = model.embed(tb, batchBuffer());
                org.emergence.model.Finite.require(model, x, tb.rows(), -1, tb, "sequences " + s0 + "-" + (s1 - 1));
                w.write(x, s0, s1);
                p.step(s1 - s0);
            }
            w.commit();
        }
        p.finish();
    }

    private void forwardBlock(RunDir dir, int l) throws IOException {
        Progress p = Progress.start("block " + l + " forward", n, "seq", quiet);
        NpyHeader in = Npy.header(dir.hidden(l));
        try (SpillWriter w = spill(dir.hidden(l + 1))) {
            for (int s0 = 0; s0 < n; s0 += batch) {
                int s1 = Math.min(n, s0 + batch);
                FloatBuffer x = readPositionMajor(dir.hidden(l), in, s0, s1);
                TokenBatch tb = batchOf(s0, s1);
                model.block(l, tb, x);
                org.emergence.model.Finite.require(model, x, tb.rows(), l, tb, "sequences " + s0 + "-" + (s1 - 1));
                w.write(x, s0, s1);
                p.step(s1 - s0);
            }
            w.commit();
        }
        p.finish();
    }

    /** A [T, N, H] spill file written behind the forward pass. */
    private SpillWriter spill(Path f) throws IOException {
        return new SpillWriter(NpyWriter.create(f, DType.F4, new long[] {t, n, h}), n, t, h, batch);
    }

    private FloatBuffer batchBuffer() {
        if (batchBuf == null) batchBuf = Gemm.allocate((long) batch * t * h);
        return batchBuf;
    }

    private FloatBuffer readPositionMajor(Path f, NpyHeader hd, int s0, int s1) {
        int b = s1 - s0;
        FloatBuffer x = batchBuffer();
        for (int i = 0; i < t; i++) {
            float[] col = Npy.readFloats(f, hd, ((long) i * n + s0) * h, b * h);
            for (int j = 0; j < b; j++) x.put((j * t + i) * h, col, j * h, h);
        }
        return x;
    }

    /** All N samples of position i from a [T, N, H] file. */
    private Matrix position(Path f, int i) {
        NpyHeader hd = Npy.header(f);
        return new Matrix(Npy.readFloats(f, hd, (long) i * n * h, n * h), n, h);
    }

    private void forwardRandom(RunDir dir, int l) throws IOException {
        try (SpillWriter w = spill(dir.randomOutput(l))) {
            baseline.forward(l, w, batchBuffer(), quiet);
            w.commit();
        }
    }

    // ------------------------------------------------------------------ estimation

    private void estimateLayer(RunDir dir, int l, SummaryBuilder summary, Progress p) throws IOException {
        // micro states before and after block l for all items; the micro residual then moves on to l + 1
        float[][] microBA = random ? null : acts != null ? new float[][] {acts.micro(l), acts.micro(l + 1)} : micro.beforeAfter(l);
        if (saveActs != null && !random) saveLayer(dir, l, microBA);
        IntFunction<Matrix> in = i -> acts != null ? acts.macro(l, i) : random ? baseline.inputs(l, false, i) : position(dir.hidden(l), i);
        IntFunction<Matrix> out = i -> acts != null ? acts.macro(l + 1, i) : position(random ? dir.randomOutput(l) : dir.hidden(l + 1), i);
        double[] layerRms = null;
        if (cells.needsLayerScale()) {
            // block l's input is block l - 1's output: its pooled RMS (a full pass over T·N·H floats) is reused
            double inRms = random ? Math.sqrt(data.randomVar())
                    : hiddenRmsOf == l ? hiddenRms : EstimateCells.pooledRms(in, t, "the input of block " + l);
            layerRms = new double[] {inRms, EstimateCells.pooledRms(out, t, "the output of block " + l)};
            if (!random) {
                hiddenRmsOf = l + 1;
                hiddenRms = layerRms[1];
            }
        }
        for (int i = 0; i < t; i++) {
            Path macroFile = dir.estimate(Level.MACRO, l, i);
            if (s.measurement().needs(Level.MACRO, i, t) && !done.containsKey(macroFile.getFileName().toString())) {
                record(dir, summary, macroFile, Level.MACRO, l, i, in.apply(i), out.apply(i), layerRms);
                p.step(1);
            }
            Path microFile = dir.estimate(Level.MICRO, l, i);
            if (s.measurement().needs(Level.MICRO, i, t) && !done.containsKey(microFile.getFileName().toString())) {
                Matrix[] xy = random ? baseline.micro(l, i, batchBuffer())
                        : acts != null ? MicroStates.pairs(microBA, actsItemOf, n, t, h, i) : micro.pairs(microBA, i);
                record(dir, summary, microFile, Level.MICRO, l, i, xy[0], xy[1], layerRms);
                p.step(1);
            }
        }
    }

    // ------------------------------------------------------------------ --save-acts

    private boolean saved(int l) {
        return Files.isRegularFile(ActsLayout.hidden(saveActs, l + 1)) && Files.isRegularFile(ActsLayout.microHidden(saveActs, l + 1));
    }

    /** Block l's input and output, macro [N, T, H] and micro [M, H], into the --save-acts layout (each file once). */
    private void saveLayer(RunDir dir, int l, float[][] microBA) throws IOException {
        for (int k = l; k <= l + 1; k++) {
            Path f = ActsLayout.hidden(saveActs, k);
            if (!Files.isRegularFile(f)) {
                NpyHeader hd = Npy.header(dir.hidden(k));
                try (NpyWriter w = NpyWriter.create(f, DType.F4, new long[] {n, t, h})) {
                    for (int s0 = 0; s0 < n; s0 += batch) {
                        int s1 = Math.min(n, s0 + batch);
                        w.write(readPositionMajor(dir.hidden(k), hd, s0, s1).duplicate().position(0).limit((s1 - s0) * t * h));
                    }
                    w.commit();
                }
            }
            Path mf = ActsLayout.microHidden(saveActs, k);
            if (!Files.isRegularFile(mf)) Npy.writeFloats(mf, new long[] {micro.items(), h}, microBA[k - l]);
        }
    }

    private void saveManifest(int[] layers) throws IOException {
        java.util.TreeSet<Integer> ls = new java.util.TreeSet<>();
        for (int l : layers) {
            ls.add(l);
            ls.add(l + 1);
        }
        ActsLayout.writeManifest(saveActs, ActsLayout.manifest(s.model(), cfg, ls, s.measurement().microPosition(),
                s.measurement().microSpecials(), data.spec(), s.specialTokens(), "emergence " + s.version() + " run --save-acts"));
    }

    private void record(RunDir dir, SummaryBuilder summary, Path file, Level level, int l, int i, Matrix x, Matrix y,
                        double[] layerRms) throws IOException {
        ObjectNode j = cells.estimate(level, l, i, random, x, y, layerRms);
        AtomicFiles.writeString(file, RunDir.JSON.writeValueAsString(j) + "\n");
        done.put(file.getFileName().toString(), j);
        summary.put(j);
        summary.write(dir.root, false);
    }

    /** The persisted form of one estimate (est/*.json): where and how, then {@link Estimates#toMap}. */
    static ObjectNode estimateJson(Level level, int l, int i, String mode, Estimate e) {
        finite(e.nats());
        finite(e.ciLowNats());
        finite(e.ciHighNats());
        ObjectNode j = RunDir.JSON.createObjectNode();
        j.put("level", level.key());
        j.put("layer", l);
        j.put("position", i);
        j.put("mode", mode);
        j.setAll((ObjectNode) RunDir.JSON.valueToTree(Estimates.toMap(e)));
        return j;
    }

    /** Estimators never return NaN/∞ by contract; this is the last line of defence for the files. */
    private static double finite(double v) {
        if (!Double.isFinite(v)) throw new IllegalStateException("estimator returned a non-finite value " + v);
        return v;
    }
}
