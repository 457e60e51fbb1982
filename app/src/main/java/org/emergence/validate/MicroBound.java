package org.emergence.validate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.emergence.ie.EstimateFile;

/**
 * Micro MIs that sit at their entropy bound: a lone token's states so far apart at the run's noise that the MI is the
 * entropy of the tokens at that position — a number the dataset sets. Counted from a run's estimate files, at the
 * positions whose token varies (at a constant position the micro MI is 0 by construction).
 */
final class MicroBound {
    private MicroBound() {}

    /** The mixture estimator's warning within 5% of the entropy of the samples. */
    static final String WARNING = "within 5% of the entropy";

    /** {at the bound, varying-position micro estimates} of a finished run. */
    static int[] count(Path runDir, org.emergence.ie.RunSummary summary) {
        boolean[] constant = summary.axes().constant();
        int at = 0, total = 0;
        try (var list = Files.list(runDir.resolve("est"))) {
            for (Path p : (Iterable<Path>) list::iterator) {
                String name = p.getFileName().toString();
                if (!name.startsWith("micro_") || !name.endsWith(".json")) continue;
                EstimateFile e = EstimateFile.read(p);
                int pos = e.position();
                if (constant != null && pos >= 0 && pos < constant.length && constant[pos]) continue;
                total++;
                for (String w : e.estimate().warnings()) {
                    if (w.contains(WARNING)) {
                        at++;
                        break;
                    }
                }
            }
        } catch (IOException e) {
            throw new org.emergence.common.UserError(runDir + ": cannot read the estimates (" + e.getMessage() + ")", e);
        }
        return new int[] {at, total};
    }
}
