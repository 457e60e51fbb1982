package org.example;

import java.nio.file.Path;
import java.util.Random;
import org.emergence.ie.RunOutcome;
import org.emergence.ie.RunRequest;
import org.emergence.ie.RunSummary;
import org.emergence.mi.Estimate;
import org.emergence.mi.Estimator;
import org.emergence.mi.Estimators;
import org.emergence.mi.Matrix;

/**
 * The library from outside, through its public API only: the mutual information of two correlated Gaussians (known:
 * −½ ln(1 − ρ²) nats) with the project's estimator, then a small IE run of the built-in tinylm (docs/library.md's
 * snippet) into the directory given as the first argument. Exit 1 when the estimate misses the truth.
 */
public final class UseEmergence {
    public static void main(String[] args) throws java.io.IOException {
        int n = 4000;
        double rho = 0.8;
        Random r = new Random(7);
        Matrix x = Matrix.zeros(n, 1);
        Matrix y = Matrix.zeros(n, 1);
        for (int i = 0; i < n; i++) {
            double a = r.nextGaussian();
            x.set(i, 0, (float) a);
            y.set(i, 0, (float) (rho * a + Math.sqrt(1 - rho * rho) * r.nextGaussian()));
        }
        Estimator g = Estimators.get("gaussian");
        Estimate e = g.estimate(x, y, 1);
        double truth = -0.5 * Math.log(1 - rho * rho);
        System.out.printf(java.util.Locale.ROOT, "gaussian MI %.4f nats [%.4f, %.4f], truth %.4f%n", e.nats(), e.ciLowNats(),
                e.ciHighNats(), truth);
        if (Math.abs(e.nats() - truth) > 0.05) System.exit(1);
        if (args.length == 0) return;

        RunRequest request = RunRequest.builder().model("tinylm").dataset("icl:animal").n(60).layers("0-1").nullTwins(0)
                .noiseScales(1).out(Path.of(args[0])).quiet(true).build();
        RunOutcome outcome = request.prepare("consumer").execute();
        RunSummary.Val ie = outcome.result().ie();
        System.out.printf(java.util.Locale.ROOT, "tinylm IE %.3f [%.3f, %.3f] bits in %s%n", ie.bits(), ie.ciLow(), ie.ciHigh(),
                outcome.runDir());
        if (!Double.isFinite(ie.bits()) || !(ie.ciLow() <= ie.bits() && ie.bits() <= ie.ciHigh())) System.exit(1);
    }
}
