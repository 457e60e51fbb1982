package org.emergence.mi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Intervals that include sampling error: the delete-a-group jackknife of the mixture estimator covers
 * the noisy MI of the population a dataset is drawn from, and its one-pass replicates agree with
 * recomputation.
 */
class ReplicatesTest {
    /** A population: K points x_k in 3-D with probabilities p_k, and y_k = f(x_k) in 2-D taking fewer values. */
    record Population(double[] p, double[][] xs, double[][] ys) {
        static Population make(long seed) {
            int k = 12;
            SplittableRandom r = new SplittableRandom(seed);
            double[] p = new double[k];
            double[][] xs = new double[k][3], ys = new double[k][2];
            double s = 0;
            for (int i = 0; i < k; i++) {
                p[i] = 0.3 + r.nextDouble();
                s += p[i];
                for (int j = 0; j < 3; j++) xs[i][j] = 1.5 * r.nextGaussian();
            }
            for (int i = 0; i < k; i++) {
                p[i] /= s;
                // y depends on x through a coarse map: pairs of x points share a y value
                ys[i][0] = Math.round(xs[i][0]);
                ys[i][1] = i % 3;
            }
            return new Population(p, xs, ys);
        }

        /** n rows drawn from the population. */
        Matrix[] draw(int n, long seed) {
            SplittableRandom r = new SplittableRandom(seed);
            float[] x = new float[n * 3], y = new float[n * 2];
            for (int i = 0; i < n; i++) {
                double u = r.nextDouble(), c = 0;
                int k = 0;
                while (k < p.length - 1 && (c += p[k]) < u) k++;
                for (int j = 0; j < 3; j++) x[i * 3 + j] = (float) xs[k][j];
                for (int j = 0; j < 2; j++) y[i * 2 + j] = (float) ys[k][j];
            }
            return new Matrix[] {new Matrix(x, n, 3), new Matrix(y, n, 2)};
        }

        /**
         * I(X + σZ; Y + σZ′) of the population mixture (weights p_k, not sample frequencies), by Monte Carlo with
         * many draws and exact log-densities (nats). Components are not centred: MI is translation invariant.
         */
        double truth(double sigma, int draws, long seed) {
            SplittableRandom r = new SplittableRandom(seed);
            int k = p.length;
            double a = 1 / (2 * sigma * sigma), sum = 0;
            double[] lx = new double[k], ly = new double[k], lxy = new double[k];
            double[] qx = new double[3], qy = new double[2];
            for (int d = 0; d < draws; d++) {
                double u = r.nextDouble(), c = 0;
                int s = 0;
                while (s < k - 1 && (c += p[s]) < u) s++;
                for (int j = 0; j < 3; j++) qx[j] = xs[s][j] + sigma * r.nextGaussian();
                for (int j = 0; j < 2; j++) qy[j] = ys[s][j] + sigma * r.nextGaussian();
                for (int i = 0; i < k; i++) {
                    double dx = 0, dy = 0;
                    for (int j = 0; j < 3; j++) dx += (qx[j] - xs[i][j]) * (qx[j] - xs[i][j]);
                    for (int j = 0; j < 2; j++) dy += (qy[j] - ys[i][j]) * (qy[j] - ys[i][j]);
                    lx[i] = Math.log(p[i]) - a * dx;
                    ly[i] = Math.log(p[i]) - a * dy;
                    lxy[i] = Math.log(p[i]) - a * (dx + dy);
                }
                sum += lse(lxy) - lse(lx) - lse(ly);
            }
            return sum / draws;
        }

        static double lse(double[] v) {
            double m = Double.NEGATIVE_INFINITY, s = 0;
            for (double x : v) m = Math.max(m, x);
            for (double x : v) s += Math.exp(x - m);
            return m + Math.log(s);
        }
    }

    static final double SIGMA = 0.6;

    @Test
    void jackknifeIntervalsCoverThePopulationValue() {
        Population pop = Population.make(11);
        double truth = pop.truth(SIGMA, 400_000, 99);
        Estimator est = Estimators.withNoise(Estimators.get("mixture"), SIGMA, true);
        int reps = 200, covered = 0, n = 400;
        double sumSe = 0, sum = 0, sum2 = 0;
        for (int rep = 0; rep < reps; rep++) {
            Matrix[] xy = pop.draw(n, 1000 + rep);
            Estimate e = est.estimateWithReplicates(xy[0], xy[1], 7 + rep, RowGroups.random(n, RowGroups.DEFAULT, 31 + rep));
            assertTrue(e.replicates() != null && e.replicates().groups() == RowGroups.DEFAULT);
            if (e.ciLowNats() <= truth && truth <= e.ciHighNats()) covered++;
            sumSe += e.replicates().seNats();
            sum += e.nats();
            sum2 += e.nats() * e.nats();
        }
        double coverage = covered / (double) reps;
        double sd = Math.sqrt(sum2 / reps - (sum / reps) * (sum / reps)), meanSe = sumSe / reps;
        String msg = String.format(java.util.Locale.ROOT, "truth %.4f, mean %.4f, coverage %.3f, mean SE %.4f vs replicate sd %.4f",
                truth, sum / reps, coverage, meanSe, sd);
        System.out.println("jackknife coverage: " + msg);
        assertTrue(coverage >= 0.90 && coverage <= 0.99, msg);
        assertTrue(meanSe / sd > 1 / 1.5 && meanSe / sd < 1.5, msg);
    }

    @Test
    void onePassReplicatesAgreeWithRecomputation() {
        Population pop = Population.make(5);
        int n = 600;
        Matrix[] xy = pop.draw(n, 3);
        RowGroups groups = RowGroups.random(n, 8, 17);
        NoisyMixture mix = new NoisyMixture(20_000, 8192).withNoise(SIGMA, SIGMA);
        Estimate e = mix.estimateWithReplicates(xy[0], xy[1], 1, groups);
        double mc = e.replicates().mcSeNats();
        for (int g = 0; g < 8; g++) {
            int[] rows = groups.without(g);
            double direct = mix.estimate(xy[0].select(rows), xy[1].select(rows), 100 + g).nats();
            assertEquals(direct, e.replicates().leaveOutNats()[g], 6 * mc, "group " + g);
        }
        for (int h = 0; h < 2; h++) {
            int[] rows = groups.part(h, 2);
            double direct = mix.estimate(xy[0].select(rows), xy[1].select(rows), 200 + h).nats();
            assertEquals(direct, e.replicates().halfNats()[h], 8 * mc, "half " + h);
        }
        // without groups the estimate is unchanged by the grouping machinery
        Estimate plain = mix.estimate(xy[0], xy[1], 1);
        assertEquals(plain.nats(), e.nats(), 1e-12);
    }

    @Test
    void studentQuantiles() {
        assertEquals(2.0930240544, Replicates.t975(19), 2e-4);
        assertEquals(2.2281388520, Replicates.t975(10), 5e-4);
        assertEquals(2.5705818366, Replicates.t975(5), 2e-3);
        assertEquals(1.9839715185, Replicates.t975(100), 1e-5);
    }
}
