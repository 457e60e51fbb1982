import java.util.Arrays;
import java.util.SplittableRandom;
import org.emergence.mi.Estimate;
import org.emergence.mi.Estimator;
import org.emergence.mi.Estimators;
import org.emergence.mi.Matrix;
import org.emergence.tensor.Blas;

/**
 * One mixture estimate at the paper-scale cell's arithmetic (8,192 components × 4,096 noise draws × 768 dimensions
 * per side: the mixture caps its components at 8,192 whatever N is), float32 products against the double path,
 * interleaved, median seconds. X ~ N(0, I), Y = 0.6·X + 0.8·Z, σ = 2 × RMS (the main job's default).
 *
 *   java -cp 'app/target/emergence.jar:app/target/lib/*' tools/perf/MixtureTiming.java [rows 8192] [dim 768] [repeats 3]
 */
public class MixtureTiming {
    public static void main(String[] a) throws Exception {
        int n = a.length > 0 ? Integer.parseInt(a[0]) : 8192, d = a.length > 1 ? Integer.parseInt(a[1]) : 768;
        int repeats = a.length > 2 ? Integer.parseInt(a[2]) : 3;
        Blas.setThreads(2);
        SplittableRandom r = new SplittableRandom(1);
        float[] x = new float[n * d], y = new float[n * d];
        for (int i = 0; i < n * d; i++) {
            double u = r.nextGaussian(), z = r.nextGaussian();
            x[i] = (float) u;
            y[i] = (float) (0.6 * u + 0.8 * z);
        }
        Matrix mx = new Matrix(x, n, d), my = new Matrix(y, n, d);
        Estimator est = Estimators.withNoise(Estimators.get("mixture"), 2.0, false);
        Class<?> products = Class.forName("org.emergence.mi.NoisyMixture$Products");
        var flag = products.getDeclaredField("defaultFloat");
        flag.setAccessible(true);
        double[][] t = new double[2][repeats];
        double[] value = new double[2], se = new double[2];
        for (int rep = -1; rep < repeats; rep++) {
            for (int i = 0; i < 2; i++) {
                int mode = (i + Math.max(rep, 0)) % 2; // alternate which goes first
                flag.setBoolean(null, mode == 1);
                long t0 = System.nanoTime();
                Estimate e = est.estimate(mx, my, 7);
                double s = (System.nanoTime() - t0) / 1e9;
                if (rep >= 0) t[mode][rep] = s;
                value[mode] = e.nats();
                se[mode] = (e.ciHighNats() - e.nats()) / 1.96;
            }
        }
        for (int mode = 0; mode < 2; mode++) {
            double[] s = t[mode].clone();
            Arrays.sort(s);
            System.out.printf("%s products: median %.2f s per estimate (%s), MI %.6f nats, MC se %.2e%n", mode == 1 ? "float32" : "double ",
                    s[s.length / 2], Arrays.toString(t[mode]), value[mode], se[mode]);
        }
        System.out.printf("|float32 - double| = %.2e nats = %.2e MC se; GEMM %s%n", Math.abs(value[1] - value[0]),
                Math.abs(value[1] - value[0]) / se[0], Blas.describe());
    }
}
