package org.emergence.ie;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.emergence.common.Seeds;
import org.emergence.common.UserError;
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
    static Path dir(RunRequest.Prepared p, RunSettings twin, long seed) {
        if (p.request().twinRoot() == null) return p.dir().resolve("null").resolve("untrained-" + seed);
        return p.request().twinRoot().resolve(RunRequest.defaultDir(twin).getFileName().toString());
    }

    /** A twin's seed and finished estimates (by file name). */
    record Twin(long seed, Map<String, JsonNode> estimates) {}

    /**
     * Runs (or resumes) every twin of a prepared run and returns their estimates; each twin is an ordinary run whose
     * settings differ from the run's only in the ablation and in having no twins of its own.
     */
    static List<Twin> run(RunRequest.Prepared p) throws IOException {
        Measurement m = p.settings().measurement();
        List<Twin> out = new ArrayList<>();
        if (!m.relative()) return out;
        if (p.model() == null) throw new IllegalStateException("twins need the model");
        long[] seeds = seeds(p.settings().seed(), m.nullTwins(), p.settings().ablation());
        boolean quiet = p.request().quiet();
        for (int k = 0; k < seeds.length; k++) {
            String abl = "untrained:" + seeds[k];
            Transformer twin = Ablation.parse(abl).apply(p.model(), p.settings().model());
            RunSettings s = p.settings();
            RunSettings ts = new RunSettings(s.model(), s.modelType(), s.dataset(), s.specialTokens(), s.n(), s.t(), s.layers(),
                    s.seed(), abl, m.twin(), s.source(), s.version(), s.precision());
            Path dir = dir(p, ts, seeds[k]);
            if (!quiet) System.err.printf(Locale.ROOT, "null twin %d/%d: %s -> %s%n", k + 1, seeds.length, abl, dir);
            EmergenceRun.Outcome o = EmergenceRun.run(ts, twin, p.data(), dir, p.request().batch(), false, quiet,
                    p.microPrefix(), p.microSuffix(), p.request().force(), null, null);
            if (!RunSummary.of(o.summary(), dir.resolve("summary.json").toString()).complete()) {
                throw new UserError(dir + ": the untrained twin did not finish; run the same command again to resume");
            }
            out.add(new Twin(seeds[k], o.estimates()));
        }
        return out;
    }
}
