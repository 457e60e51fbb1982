package org.emergence.ie;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.emergence.common.AtomicFiles;
import org.emergence.common.Seeds;
import org.emergence.common.UserError;
import org.emergence.data.Dataset;
import org.emergence.mi.Estimate;
import org.emergence.mi.Matrix;
import org.emergence.mi.NoiseRegularized;
import org.emergence.mi.RowGroups;
import org.emergence.model.ModelConfig;

/**
 * The estimates of one run as independent cells, one per (level, layer, position): what a backend that
 * computes them elsewhere (the Spark module) needs to reproduce {@link EmergenceRun}'s numbers exactly.
 * A cell's result depends only on the run's settings, its two [N, H] sample matrices and its layer's
 * noise scale; the seed and the jackknife partition are derived here from the settings, the same way
 * for every backend.
 */
public final class EstimateCells {
    private final RunSettings s;
    private final MiPolicy policy;
    /** the sequences' partition for the jackknife, the same for every cell of the run (null: none) */
    private final RowGroups groups;

    public EstimateCells(RunSettings s) {
        this.s = s;
        this.policy = new MiPolicy(s.measurement());
        this.groups = EmergenceRun.groupsFor(s.measurement().groups(), s.n(), s.seed());
    }

    RowGroups groups() {
        return groups;
    }

    /** Whether cells need their layer's pooled state RMS ({@link #pooledRms}) before and after the block. */
    public boolean needsLayerScale() {
        return policy.needsLayerScale();
    }

    /**
     * One cell: the MI between block l's input x and output y [N, H] at position i, as the persisted
     * est/*.json object.
     *
     * @param layerRms the pooled RMS of the block's input and output states (null when not needed)
     */
    public ObjectNode estimate(Level level, int l, int i, boolean random, Matrix x, Matrix y, double[] layerRms) {
        long seed = Seeds.mix(Seeds.mix(Seeds.mix(s.seed(), level.ordinal() + 1), l), i);
        Estimate e = policy.estimate(level, l, random, x, y, seed, groups, layerRms);
        return EmergenceRun.estimateJson(level, l, i, policy.mode(level, l, random), e);
    }

    /** The file name of a cell's estimate in a run directory's est/. */
    public static String fileName(Level level, int layer, int position) {
        return String.format("%s_l%03d_t%04d.json", level.key(), layer, position);
    }

    /**
     * sqrt of the mean squared deviation of a layer's states from their position's column means, pooled
     * over all T positions: the spread of a state across sequences, whatever its position.
     */
    public static double pooledRms(IntFunction<Matrix> position, int t, String what) {
        double s = 0;
        for (int i = 0; i < t; i++) {
            double r = NoiseRegularized.rms(position.apply(i));
            s += r * r;
        }
        double v = Math.sqrt(s / t);
        if (!Double.isFinite(v)) {
            throw new UserError(what + ": the states are not finite (NaN or infinity: in the activation files, or from an input "
                    + "variance or a model that overflows)");
        }
        if (!(v > 0)) throw new UserError(what + ": every state is the same at every position (zero spread); "
                + "a noise scale relative to it is undefined: use --noise-scale absolute");
        return v;
    }

    /**
     * Writes the summary, results and (when every cell is there) the final status of a run whose cells
     * were computed elsewhere: {@code estimates} (by {@link #fileName}) are stored under runDir/est and
     * assembled exactly as a local run assembles its own.
     */
    public static EmergenceRun.Outcome assemble(RunSettings s, ModelConfig cfg, Dataset data, Path runDir,
                                                Map<String, ? extends JsonNode> estimates, double captureSecs,
                                                double estimateSecs) throws IOException {
        return assemble(s, cfg, data, runDir, estimates, captureSecs, estimateSecs, List.of());
    }

    /**
     * {@link #assemble} for a prepared run, relative to its untrained twins when its measurement has them: the twins
     * are ordinary resumable runs computed here, on this machine, under the run directory's {@code null/} (for a
     * last-position measurement they estimate only the last position, a small part of the run's work).
     */
    public static EmergenceRun.Outcome assemble(RunRequest.Prepared p, ModelConfig cfg, Map<String, ? extends JsonNode> estimates,
                                                double captureSecs, double estimateSecs) throws IOException {
        List<NullTwins.Twin> twins = NullTwins.run(p);
        return assemble(p.settings(), cfg, p.data(), p.dir(), estimates, captureSecs, estimateSecs, twins);
    }

    private static EmergenceRun.Outcome assemble(RunSettings s, ModelConfig cfg, Dataset data, Path runDir,
                                                 Map<String, ? extends JsonNode> estimates, double captureSecs,
                                                 double estimateSecs, List<NullTwins.Twin> twins) throws IOException {
        long start = System.nanoTime();
        try (RunDir dir = RunDir.open(runDir, s)) {
            for (Map.Entry<String, ? extends JsonNode> e : estimates.entrySet()) {
                Path f = dir.est().resolve(e.getKey());
                if (!Files.isRegularFile(f)) AtomicFiles.writeString(f, RunDir.JSON.writeValueAsString(e.getValue()) + "\n");
            }
            RunResume resume = new RunResume(s, data, data.n(), data.t(), cfg.hidden(), new EstimateCells(s).groups != null, true);
            resume.checkTokens(dir);
            resume.loadFinished(dir);
            SummaryBuilder summary = new SummaryBuilder(s, cfg, data, s.model(), new MiPolicy(s.measurement()), data.isRandom());
            summary.load(resume.done());
            for (NullTwins.Twin tw : twins) summary.twin(tw.seed(), tw.estimates());
            try (var list = Files.list(dir.acts())) {
                if (list.findAny().isEmpty()) Files.deleteIfExists(dir.acts());
            }
            return EmergenceRun.conclude(dir, summary, resume, captureSecs, estimateSecs,
                    captureSecs + estimateSecs + (System.nanoTime() - start) / 1e9);
        }
    }
}
