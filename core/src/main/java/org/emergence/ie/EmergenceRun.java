package org.emergence.ie;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.emergence.common.Progress;
import org.emergence.common.UserError;
import org.emergence.data.Dataset;
import org.emergence.mi.Matrix;
import org.emergence.model.ModelConfig;
import org.emergence.model.Transformer;
import org.emergence.tensor.SgemmChoice;

/**
 * One IE measurement, run layer-major: block by block over the whole dataset, keeping in memory only what the current
 * block needs. The activations come from one {@link ActivationSource} (the model's forward pass, {@code --acts}, or the
 * random baseline); for each measured block the run asks it for the block's states, computes every (level, position)
 * estimate ({@link EstimateCells}) and persists each atomically before the states are released, and the summary is
 * assembled as the estimates land ({@link RunAssembly}). Re-running the same command after an interruption (even
 * kill -9) skips every finished activation file and estimate, so the final results equal an uninterrupted run's.
 */
public final class EmergenceRun {
    private final RunSettings s;
    private final ActivationSource source;
    private final Dataset data;
    private final ModelConfig cfg;
    private final Execution ex;
    /** sequences per forward batch: a batch larger than the dataset only wastes memory */
    private final int batch;
    private final int n, t, h;
    private final boolean random;
    /** how each (level, layer, position) is estimated: seeds, jackknife partition, estimator */
    private final EstimateCells cells;
    /** What a resumed run finds: finished estimates (by file name), damage repaired. */
    private final RunResume resume;
    /** the pooled RMS of hidden state h^k last computed (a block's output), and its k (−1: none yet) */
    private double hiddenRms;
    private int hiddenRmsOf = -1;

    /**
     * How a run executes; nothing here changes a number.
     *
     * @param batch sequences per forward batch
     * @param force skip the pre-flight check of disk and memory
     */
    record Execution(int batch, boolean keepActivations, boolean quiet, boolean force) {}

    private EmergenceRun(RunSettings s, ActivationSource source, Dataset data, Execution ex) {
        this.s = s;
        this.source = source;
        this.data = data;
        this.ex = ex;
        this.cfg = source.config();
        this.batch = Math.max(1, Math.min(ex.batch(), data.n()));
        this.n = data.n();
        this.t = data.t();
        this.h = cfg.hidden();
        this.random = data.isRandom();
        this.cells = new EstimateCells(s);
        this.resume = new RunResume(s, data, n, t, h, cells.groups() != null, ex.quiet());
    }

    /**
     * The activation source of a run, chosen once: activations captured elsewhere when {@code acts} is given, the
     * random baseline for a random dataset, else the model's forward pass.
     *
     * @param microPrefix special tokens a lone token is fed after (the micro level; empty = alone)
     * @param microSuffix special tokens it is fed before
     * @param saveActs    directory to write the model's activations to, in the layout {@code acts} reads; or null
     */
    static ActivationSource source(RunSettings s, Transformer model, Dataset data, ActsLayout acts, int[] microPrefix,
                                   int[] microSuffix, Path saveActs) {
        if (acts != null) return new RecordedActivations(acts);
        boolean original = s.measurement().microPosition().equals("original");
        if (data.isRandom()) return new RandomBaseline(model, s.seed(), data.randomVar(), original);
        return new ModelActivations(model, data, microPrefix, microSuffix, saveActs);
    }

    /**
     * Runs (or resumes) the measurement into {@code runDir}, relative to {@code twins} (empty: raw). Inputs are
     * validated before the run directory is touched, so bad input leaves nothing a later run would trust.
     *
     * @param saveActs where {@code source} saves the activations ({@code --save-acts}, checked before the run), or null
     */
    static RunOutcome run(RunSettings s, ActivationSource source, Dataset data, Path runDir, Execution ex, Path saveActs,
                          List<TwinEstimates> twins) throws IOException {
        SgemmChoice.resetUsed(); // the summary lists this run's forward kernels
        EmergenceRun r = new EmergenceRun(s, source, data, ex);
        r.validate();
        int last = s.layers()[s.layers().length - 1];
        Preflight.check(s, r.n, r.t, r.h, last + 1, ex.keepActivations(), runDir, ex.force());
        if (saveActs != null && !ex.force()) {
            Preflight.checkSaveActs(saveActs, r.n, r.t, r.h, last + 2, runDir, s, ex.keepActivations());
        }
        try (RunDir dir = RunDir.open(runDir, s)) {
            return r.execute(dir, twins);
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
        source.validate(data);
    }

    private RunOutcome execute(RunDir dir, List<TwinEstimates> twins) throws IOException {
        long start = System.nanoTime();
        resume.checkTokens(dir);
        resume.loadFinished(dir);
        RunAssembly assembly = RunAssembly.begin(s, cfg, data, dir, resume, twins);
        assembly.write();
        int[] layers = s.layers();
        int last = layers[layers.length - 1];
        boolean[] measured = new boolean[cfg.layers()];
        for (int l : layers) measured[l] = true;
        int pending = 0;
        for (int l : layers) pending += countPending(dir, l);
        assembly.estimates(2 * layers.length * t - pending, pending);
        Progress est = Progress.start("estimate", pending, "MI", ex.quiet());
        double captureSecs = 0, estimateSecs = 0;
        source.start(new ActivationSource.Context(s, data, dir, resume, h, batch, last, ex.keepActivations(), ex.quiet()));
        for (int l = 0; l <= last; l++) {
            boolean estimatesDone = !measured[l] || (countPending(dir, l) == 0 && !source.owes(l));
            long c0 = System.nanoTime();
            source.capture(l, !estimatesDone);
            captureSecs += (System.nanoTime() - c0) / 1e9;
            if (!estimatesDone) {
                long e0 = System.nanoTime();
                estimateLayer(dir, l, assembly, est);
                estimateSecs += (System.nanoTime() - e0) / 1e9;
            }
            source.release(l);
        }
        if (!ex.keepActivations()) {
            Files.deleteIfExists(dir.hidden(last + 1));
            try (var list = Files.list(dir.acts())) {
                if (list.findAny().isEmpty()) Files.deleteIfExists(dir.acts());
            }
        }
        est.finish();
        source.finish();
        return assembly.conclude(captureSecs, estimateSecs, (System.nanoTime() - start) / 1e9);
    }

    /** Block l's estimates still to compute. */
    private int countPending(RunDir dir, int l) {
        int c = 0;
        Measurement m = s.measurement();
        for (int i = 0; i < t; i++) {
            if (m.needs(Level.MACRO, i, t) && !resume.done().containsKey(dir.estimate(Level.MACRO, l, i).getFileName().toString())) c++;
            if (m.needs(Level.MICRO, i, t) && !resume.done().containsKey(dir.estimate(Level.MICRO, l, i).getFileName().toString())) c++;
        }
        return c;
    }

    private void estimateLayer(RunDir dir, int l, RunAssembly assembly, Progress p) throws IOException {
        ActivationSource.Block b = source.block(l);
        double[] layerRms = null;
        if (cells.needsLayerScale()) {
            // block l's input is block l - 1's output: its pooled RMS (a full pass over T·N·H floats) is reused
            double inRms = !Double.isNaN(b.knownInputRms()) ? b.knownInputRms()
                    : hiddenRmsOf == l ? hiddenRms : EstimateCells.pooledRms(b.input(), t, "the input of block " + l);
            layerRms = new double[] {inRms, EstimateCells.pooledRms(b.output(), t, "the output of block " + l)};
            hiddenRmsOf = l + 1;
            hiddenRms = layerRms[1];
        }
        Measurement m = s.measurement();
        for (int i = 0; i < t; i++) {
            Path macroFile = dir.estimate(Level.MACRO, l, i);
            if (m.needs(Level.MACRO, i, t) && !assembly.has(macroFile.getFileName().toString())) {
                record(assembly, macroFile, Level.MACRO, l, i, b.input().apply(i), b.output().apply(i), layerRms);
                p.step(1);
            }
            Path microFile = dir.estimate(Level.MICRO, l, i);
            if (m.needs(Level.MICRO, i, t) && !assembly.has(microFile.getFileName().toString())) {
                Matrix[] xy = b.micro().apply(i);
                record(assembly, microFile, Level.MICRO, l, i, xy[0], xy[1], layerRms);
                p.step(1);
            }
        }
    }

    private void record(RunAssembly assembly, Path file, Level level, int l, int i, Matrix x, Matrix y, double[] layerRms)
            throws IOException {
        assembly.add(file, cells.estimate(level, l, i, random, x, y, layerRms));
    }
}
