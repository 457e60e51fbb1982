package org.emergence.ie;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
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

    // micro: distinct items (token, or token × position) and each sample's item per position
    private int[] itemToken, itemPosition;
    private int[] itemOf; // [N·T]
    private FloatBuffer microH; // residual of the micro items before block microLayer, [U, H]
    private int microLayer;

    // reused batch buffers: [batch·T, H] activations and one position's [batch, H] column
    private FloatBuffer batchBuf, colBuf;

    /** Results so far, by file name, loaded from est/ on resume. */
    private final Map<String, JsonNode> done = new HashMap<>();

    private EmergenceRun(RunSettings s, Transformer model, Dataset data, int batch, boolean keepActivations, boolean quiet) {
        this.s = s;
        this.model = model;
        this.data = data;
        this.cfg = model.config();
        this.batch = batch;
        this.keepActivations = keepActivations;
        this.quiet = quiet;
        this.policy = new MiPolicy(s);
        this.n = data.n();
        this.t = data.t();
        this.h = cfg.hidden();
        this.random = data.isRandom();
    }

    /** What a finished (or interrupted) run produced. */
    public record Outcome(Path runDir, JsonNode summary) {}

    /**
     * Runs (or resumes) the measurement into {@code runDir}. Inputs are validated before the run
     * directory is touched, so bad input leaves nothing a later run would trust.
     */
    public static Outcome run(RunSettings s, Transformer model, Dataset data, Path runDir, int batch,
                              boolean keepActivations, boolean quiet) throws IOException {
        EmergenceRun r = new EmergenceRun(s, model, data, batch, keepActivations, quiet);
        r.validate();
        try (RunDir dir = RunDir.open(runDir, s)) {
            return r.execute(dir);
        }
    }

    private void validate() {
        if (batch < 1) throw new UserError("--batch must be >= 1");
        if (t > cfg.maxPositions()) {
            throw new UserError("--t " + t + " exceeds the model's " + cfg.maxPositions() + " positions");
        }
        for (int l : s.layers()) {
            if (l < 0 || l >= cfg.layers()) throw new UserError("--layers: layer " + l + " is out of range (0-" + (cfg.layers() - 1) + ")");
        }
        if ((long) n * h > Integer.MAX_VALUE - 8) {
            throw new UserError("--n " + n + " × hidden " + h + " exceeds the 2^31 floats one position's samples may hold; lower --n");
        }
        if (!random) model.validate(TokenBatch.of(n, t, data.ids()), "--dataset " + data.spec());
        if (!random && s.microPosition().equals("original")) {
            // every token must also be valid alone at its original position id: positions < T were checked above
            return;
        }
    }

    private Outcome execute(RunDir dir) throws IOException {
        long start = System.nanoTime();
        checkTokens(dir);
        loadFinished(dir);
        SummaryBuilder summary = new SummaryBuilder(s, cfg, data, model.dir() == null ? s.model() : s.model(), policy, random);
        summary.load(done);
        summary.write(dir.root, false);
        int[] layers = s.layers();
        int last = layers[layers.length - 1];
        boolean[] measured = new boolean[cfg.layers()];
        for (int l : layers) measured[l] = true;
        int pending = 0;
        for (int l : layers) pending += countPending(dir, l);
        Progress est = Progress.start("estimate", pending, "MI", quiet);
        double captureSecs = 0, estimateSecs = 0;
        if (!random) initMicro();
        for (int l = 0; l <= last; l++) {
            boolean estimatesDone = !measured[l] || countPending(dir, l) == 0;
            if (random) {
                if (!estimatesDone) {
                    long c0 = System.nanoTime();
                    if (!complete(dir.randomOutput(l))) forwardRandom(dir, l);
                    captureSecs += (System.nanoTime() - c0) / 1e9;
                    long e0 = System.nanoTime();
                    estimateLayer(dir, l, summary, est);
                    estimateSecs += (System.nanoTime() - e0) / 1e9;
                }
                if (!keepActivations) Files.deleteIfExists(dir.randomOutput(l));
                continue;
            }
            boolean nextReady = complete(dir.hidden(l + 1));
            if (estimatesDone && (nextReady || l == last)) {
                if (!keepActivations) Files.deleteIfExists(dir.hidden(l));
                continue;
            }
            long c0 = System.nanoTime();
            if (!complete(dir.hidden(l))) {
                if (l != 0) throw new IllegalStateException("activations of block " + l + " are missing; cannot resume");
                embedAll(dir);
            }
            if (!nextReady) forwardBlock(dir, l);
            captureSecs += (System.nanoTime() - c0) / 1e9;
            if (!estimatesDone) {
                while (microLayer < l) advanceMicro(microLayer++);
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
        summary.timing(captureSecs, estimateSecs, (System.nanoTime() - start) / 1e9);
        summary.write(dir.root, true);
        summary.writeResults(dir.root, done);
        return new Outcome(dir.root, summary.json(true));
    }

    // ------------------------------------------------------------------ dataset & resume state

    /** tokens.npy records the dataset; a resumed run must see exactly the same sequences. */
    private void checkTokens(RunDir dir) throws IOException {
        if (random) return;
        Path f = dir.root.resolve("tokens.npy");
        if (Files.isRegularFile(f)) {
            NpyHeader hd = Npy.header(f);
            long[] stored = Npy.readLongs(f, hd);
            boolean same = hd.rank() == 2 && hd.dim(0) == n && hd.dim(1) == t;
            for (int i = 0; same && i < stored.length; i++) same = stored[i] == data.ids()[i];
            if (!same) throw new UserError(f + ": the dataset differs from the one this run started with; use another --out");
        } else {
            Npy.writeInts(f, new long[] {n, t}, data.ids());
        }
    }

    private void loadFinished(RunDir dir) throws IOException {
        try (var list = Files.list(dir.est())) {
            for (Path p : (Iterable<Path>) list::iterator) {
                String name = p.getFileName().toString();
                if (!name.endsWith(".json")) {
                    Files.deleteIfExists(p); // a temp file from an interrupted write: never trusted
                    continue;
                }
                try {
                    done.put(name, RunDir.JSON.readTree(p.toFile()));
                } catch (IOException e) {
                    Files.deleteIfExists(p); // cannot happen with atomic writes; recompute if it does
                }
            }
        }
    }

    private int countPending(RunDir dir, int l) {
        int c = 0;
        for (int i = 0; i < t; i++) {
            if (!done.containsKey(dir.estimate(Level.MACRO, l, i).getFileName().toString())) c++;
            if (!done.containsKey(dir.estimate(Level.MICRO, l, i).getFileName().toString())) c++;
        }
        return c;
    }

    private static boolean complete(Path f) {
        return Files.isRegularFile(f); // written under a temp name and renamed only when complete
    }

    // ------------------------------------------------------------------ macro forward (spilled)

    private TokenBatch batchOf(int s0, int s1) {
        int[] ids = Arrays.copyOfRange(data.ids(), s0 * t, s1 * t);
        return TokenBatch.of(s1 - s0, t, ids);
    }

    private void embedAll(RunDir dir) throws IOException {
        Progress p = Progress.start("embed", n, "seq", quiet);
        try (NpyWriter w = NpyWriter.create(dir.hidden(0), DType.F4, new long[] {t, n, h})) {
            for (int s0 = 0; s0 < n; s0 += batch) {
                int s1 = Math.min(n, s0 + batch);
                writePositionMajor(w, model.embed(batchOf(s0, s1), batchBuffer()), s0, s1);
                p.step(s1 - s0);
            }
            w.commit();
        }
        p.finish();
    }

    private void forwardBlock(RunDir dir, int l) throws IOException {
        Progress p = Progress.start("block " + l + " forward", n, "seq", quiet);
        NpyHeader in = Npy.header(dir.hidden(l));
        try (NpyWriter w = NpyWriter.create(dir.hidden(l + 1), DType.F4, new long[] {t, n, h})) {
            for (int s0 = 0; s0 < n; s0 += batch) {
                int s1 = Math.min(n, s0 + batch);
                FloatBuffer x = readPositionMajor(dir.hidden(l), in, s0, s1);
                model.block(l, batchOf(s0, s1), x);
                writePositionMajor(w, x, s0, s1);
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

    /** Writes a batch [B, T, H] (row b·T + i) into the [T, N, H] file. */
    private void writePositionMajor(NpyWriter w, FloatBuffer x, int s0, int s1) throws IOException {
        int b = s1 - s0;
        if (colBuf == null) colBuf = Gemm.allocate((long) batch * h);
        FloatBuffer col = colBuf;
        for (int i = 0; i < t; i++) {
            for (int j = 0; j < b; j++) col.put(j * h, x, (j * t + i) * h, h);
            w.writeAt(((long) i * n + s0) * h, col.duplicate().position(0).limit(b * h));
        }
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

    // ------------------------------------------------------------------ random baseline

    /** i.i.d. N(0, var) input of block l for sequence seq at position pos (micro inputs use a separate stream). */
    private void randomInput(int l, boolean micro, int seq, int pos, float[] dst, int off) {
        SplittableRandom r = new SplittableRandom(mix(mix(mix(s.seed(), 0x5EED + l), micro ? 1 : 0), (long) seq * 65536 + pos));
        Seeds.gaussians(r, Math.sqrt(data.randomVar()), dst, off, h);
    }

    private void forwardRandom(RunDir dir, int l) throws IOException {
        Progress p = Progress.start("block " + l + " on random inputs", n, "seq", quiet);
        try (NpyWriter w = NpyWriter.create(dir.randomOutput(l), DType.F4, new long[] {t, n, h})) {
            float[] row = new float[h];
            for (int s0 = 0; s0 < n; s0 += batch) {
                int s1 = Math.min(n, s0 + batch);
                FloatBuffer x = batchBuffer();
                for (int j = 0; j < s1 - s0; j++) {
                    for (int i = 0; i < t; i++) {
                        randomInput(l, false, s0 + j, i, row, 0);
                        x.put((j * t + i) * h, row, 0, h);
                    }
                }
                model.block(l, TokenBatch.of(s1 - s0, t, new int[(s1 - s0) * t]), x);
                writePositionMajor(w, x, s0, s1);
                p.step(s1 - s0);
            }
            w.commit();
        }
        p.finish();
    }

    private Matrix randomPosition(int l, boolean micro, int i) {
        float[] v = new float[n * h];
        for (int seq = 0; seq < n; seq++) randomInput(l, micro, seq, i, v, seq * h);
        return new Matrix(v, n, h);
    }

    /** Micro level of the random baseline: each position's random vector fed alone through block l. */
    private Matrix[] randomMicro(int l, int i) {
        Matrix x = randomPosition(l, true, i);
        float[] y = new float[n * h];
        int pos = s.microPosition().equals("original") ? i : 0;
        int chunk = batch * t; // rows of one batch buffer
        FloatBuffer buf = batchBuffer();
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

    // ------------------------------------------------------------------ micro (tokens alone)

    private void initMicro() {
        boolean original = s.microPosition().equals("original");
        Map<Long, Integer> index = new LinkedHashMap<>();
        itemOf = new int[n * t];
        for (int seq = 0; seq < n; seq++) {
            for (int i = 0; i < t; i++) {
                int tok = data.token(seq, i);
                long key = original ? (long) tok * t + i : tok;
                Integer id = index.get(key);
                if (id == null) {
                    id = index.size();
                    index.put(key, id);
                }
                itemOf[seq * t + i] = id;
            }
        }
        int u = index.size();
        itemToken = new int[u];
        itemPosition = new int[u];
        for (Map.Entry<Long, Integer> e : index.entrySet()) {
            long key = e.getKey();
            itemToken[e.getValue()] = (int) (original ? key / t : key);
            itemPosition[e.getValue()] = (int) (original ? key % t : 0);
        }
        microH = model.embed(new TokenBatch(u, 1, itemToken, itemPosition, null, null));
    }

    private TokenBatch microBatch(int from, int to) {
        return new TokenBatch(to - from, 1, Arrays.copyOfRange(itemToken, from, to), Arrays.copyOfRange(itemPosition, from, to),
                null, null);
    }

    /** Runs block l on every micro item, in chunks (each item is its own one-token sequence). */
    private void advanceMicro(int l) {
        int u = itemToken.length, chunk = Math.max(1, batch * t);
        for (int a = 0; a < u; a += chunk) {
            int b = Math.min(u, a + chunk);
            model.block(l, microBatch(a, b), microH.slice(a * h, (b - a) * h));
        }
    }

    // ------------------------------------------------------------------ estimation

    private void estimateLayer(RunDir dir, int l, SummaryBuilder summary, Progress p) throws IOException {
        // micro states before and after block l for all items; the micro residual then moves on to l + 1
        float[] microBefore = null, microAfter = null;
        if (!random) {
            int u = itemToken.length;
            microBefore = new float[u * h];
            microH.get(0, microBefore);
            advanceMicro(l);
            microLayer = l + 1;
            microAfter = new float[u * h];
            microH.get(0, microAfter);
        }
        for (int i = 0; i < t; i++) {
            Path macroFile = dir.estimate(Level.MACRO, l, i);
            if (!done.containsKey(macroFile.getFileName().toString())) {
                Matrix x = random ? randomPosition(l, false, i) : position(dir.hidden(l), i);
                Matrix y = position(random ? dir.randomOutput(l) : dir.hidden(l + 1), i);
                record(dir, summary, macroFile, Level.MACRO, l, i, x, y);
                p.step(1);
            }
            Path microFile = dir.estimate(Level.MICRO, l, i);
            if (!done.containsKey(microFile.getFileName().toString())) {
                Matrix[] xy;
                if (random) {
                    xy = randomMicro(l, i);
                } else {
                    float[] x = new float[n * h], y = new float[n * h];
                    for (int seq = 0; seq < n; seq++) {
                        int it = itemOf[seq * t + i];
                        System.arraycopy(microBefore, it * h, x, seq * h, h);
                        System.arraycopy(microAfter, it * h, y, seq * h, h);
                    }
                    xy = new Matrix[] {new Matrix(x, n, h), new Matrix(y, n, h)};
                }
                record(dir, summary, microFile, Level.MICRO, l, i, xy[0], xy[1]);
                p.step(1);
            }
        }
    }

    private void record(RunDir dir, SummaryBuilder summary, Path file, Level level, int l, int i, Matrix x, Matrix y)
            throws IOException {
        long seed = mix(mix(mix(s.seed(), level.ordinal() + 1), l), i);
        Estimate e = policy.estimate(level, l, random, x, y, seed);
        ObjectNode j = estimateJson(level, l, i, policy.mode(level, l, random), e);
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

    private static long mix(long a, long b) {
        return Seeds.mix(a, b);
    }
}
