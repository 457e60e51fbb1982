package org.emergence.ie;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.emergence.common.Seeds;
import org.emergence.common.UserError;
import org.emergence.data.Dataset;
import org.emergence.model.Ablation;
import org.emergence.model.Transformer;

/**
 * The null model of a relative measurement: K untrained twins of the run's model — the same architecture and
 * configuration at its Hugging Face initialisation (as {@code --ablate untrained:SEED} builds it), K seeds derived from
 * the run's seed — each measured on the run's own sequences with the run's own measurement (its own noise scale, its
 * own micro level) as an ordinary resumable run in {@code RUN_DIR/null/untrained-SEED}. The run's E and IE are then
 * reported minus the twins' mean, replicate by replicate on the same row groups.
 *
 * <p>Why: a random network has no semantics to extract, yet random attention mixes context into every state, and at a
 * fixed resolution that mixing alone gives untrained causal models −2 … +3 bits of raw "emergence" (docs/measurement.md).
 * The difference to the untrained twins is what training added — the way network science reports a motif's count
 * against random graphs of the same degree sequence. The twins share the dataset with the run, so what the dataset
 * alone sets (the entropy of the tokens at a position, the number of distinct prefixes) cancels too.
 */
public final class NullTwins {
    private NullTwins() {}

    /** Seeds start here, far from the small seeds users give {@code --ablate untrained:S}. */
    static final long FIRST = 1_000_000;

    /**
     * The twins' initialisation seeds: K distinct seeds derived from the run's seed (so a fresh run seed is also a
     * fresh draw of the twins), none equal to the run's own untrained seed if it is a twin itself.
     */
    static long[] seeds(long runSeed, int k, String ownAblation) {
        long[] out = new long[k];
        java.util.Set<Long> taken = new java.util.HashSet<>();
        if (ownAblation.startsWith("untrained:")) taken.add(Long.parseLong(ownAblation.substring("untrained:".length())));
        int i = 0;
        for (int j = 0; i < k; j++) {
            long s = FIRST + Math.floorMod(Seeds.mix(runSeed, 0x7E1A + j), 1_000_000_000L);
            if (taken.add(s)) out[i++] = s;
        }
        return out;
    }

    /**
     * A twin's run directory: RUN_DIR/null/untrained-SEED, or, under a shared root, a name that holds the hash of the
     * twin's settings (runs with the same twins — a trained model and its {@code --ablate untrained:S} on one dataset —
     * then share them).
     */
    static Path dir(Base p, RunSettings twin, long seed) {
        if (p.twinRoot() == null) return p.dir().resolve("null").resolve("untrained-" + seed);
        return p.twinRoot().resolve(twin.defaultDir().getFileName().toString());
    }

    /**
     * What a run's twins are made from.
     *
     * @param dir      the run's directory (its twins go under dir/null unless {@code twinRoot} is given)
     * @param twinRoot where the twins' runs live, shared by runs whose twins are the same (null: dir/null)
     */
    record Base(RunSettings settings, Transformer model, Dataset data, Path dir, Path twinRoot, int[] microPrefix,
                int[] microSuffix, EmergenceRun.Execution execution) {}

    /**
     * Runs (or resumes) every twin of a prepared run and returns their estimates; each twin is an ordinary run whose
     * settings differ from the run's only in the ablation and in having no twins of its own.
     */
    static List<TwinEstimates> run(Base p) throws IOException {
        Measurement m = p.settings().measurement();
        List<TwinEstimates> out = new ArrayList<>();
        if (!m.relative()) return out;
        if (p.model() == null) throw new IllegalStateException("twins need the model");
        long[] seeds = seeds(p.settings().seed(), m.nullTwins(), p.settings().ablation());
        boolean quiet = p.execution().quiet();
        for (int k = 0; k < seeds.length; k++) {
            String abl = "untrained:" + seeds[k];
            Transformer twin = Ablation.parse(abl).apply(p.model(), p.settings().model());
            RunSettings s = p.settings();
            RunSettings ts = new RunSettings(s.model(), s.modelType(), s.dataset(), s.specialTokens(), s.n(), s.t(), s.layers(),
                    s.seed(), abl, m.twin(), s.source(), s.version(), s.precision());
            Path dir = dir(p, ts, seeds[k]);
            if (!quiet) System.err.printf(Locale.ROOT, "null twin %d/%d: %s -> %s%n", k + 1, seeds.length, abl, dir);
            ActivationSource source = EmergenceRun.source(ts, twin, p.data(), null, p.microPrefix(), p.microSuffix(), null);
            EmergenceRun.Execution ex = new EmergenceRun.Execution(p.execution().batch(), false, quiet, p.execution().force());
            RunOutcome o = EmergenceRun.run(ts, source, p.data(), dir, ex, null, List.of());
            if (!RunSummaryJson.of(o.summary(), dir.resolve("summary.json").toString()).complete()) {
                throw new UserError(dir + ": the untrained twin did not finish; run the same command again to resume");
            }
            out.add(new TwinEstimates(seeds[k], o.estimates()));
        }
        return out;
    }
}
