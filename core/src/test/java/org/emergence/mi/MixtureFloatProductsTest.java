package org.emergence.mi;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.emergence.mi.bench.Task;
import org.emergence.mi.bench.Tasks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The mixture's float32 products against the double path, on the same samples and the same noise draws, on
 * every task of the MI benchmark ({@code bench mi --list}) at a small and a large noise scale: each estimate
 * must lie within its Monte Carlo standard error of the double one (the arithmetic error must not be visible
 * next to the error the estimate already states), and the two paths must not be the same code (some differ).
 */
class MixtureFloatProductsTest {
    @AfterEach
    void restore() {
        NoisyMixture.Products.defaultFloat = true;
    }

    @Test
    void float32WithinMonteCarloErrorOfDoubleOnEveryBenchmarkTask() {
        int differ = 0, cases = 0;
        double worst = 0;
        for (Task t : Tasks.all()) {
            Task.Sample s = t.sample(1500, 0);
            for (double sigma : new double[] {0.1, 1.0}) {
                Estimator est = Estimators.withNoise(Estimators.get("mixture:samples=1024"), sigma, true);
                NoisyMixture.Products.defaultFloat = false;
                Estimate d = est.estimate(s.x(), s.y(), 7);
                NoisyMixture.Products.defaultFloat = true;
                Estimate f = est.estimate(s.x(), s.y(), 7);
                double se = (d.ciHighNats() - d.nats()) / 1.96, diff = Math.abs(f.nats() - d.nats());
                worst = Math.max(worst, diff / se);
                cases++;
                if (f.nats() != d.nats()) differ++;
                System.out.printf("mixture f32-f64 %-22s σ=%.1f  f64 %.6f  f32 %.6f  |Δ| %.2e nats  MC se %.2e  |Δ|/se %.2e%n",
                        t.name(), sigma, d.nats(), f.nats(), diff, se, diff / se);
                assertTrue(diff <= se, t.name() + " σ=" + sigma + ": float32 " + f.nats() + " vs double " + d.nats()
                        + " differ by more than the Monte Carlo se " + se);
            }
        }
        System.out.printf("mixture f32-f64: worst |Δ|/se %.2e over %d cases%n", worst, cases);
        assertTrue(differ > 0, "float32 and double paths gave identical results everywhere: the switch does nothing");
    }
}
