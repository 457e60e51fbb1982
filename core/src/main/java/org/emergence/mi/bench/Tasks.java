package org.emergence.mi.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import org.emergence.common.UserError;
import org.emergence.mi.Matrix;
import org.emergence.mi.Rng;
import org.emergence.mi.Special;

/**
 * The built-in tasks. Gaussian tasks are parameterised by canonical correlations ρ_i between X and Y,
 * so I = −½ Σ ln(1 − ρ_i²); "dense" ones mix X and Y with fixed invertible linear maps (MI unchanged).
 * Transformed tasks apply a strictly monotone map to every coordinate (after scaling each coordinate to
 * unit variance), which preserves MI. Student-t tasks share one χ² draw between X and Y:
 * I = I_Gauss(scale matrix) + ln Γ(ν/2) + ln Γ((ν+dx+dy)/2) − ln Γ((ν+dx)/2) − ln Γ((ν+dy)/2)
 * + g(dx) + g(dy) − g(dx+dy), g(d) = ((ν+d)/2)·[ψ((ν+d)/2) − ψ(ν/2)].
 */
public final class Tasks {
    private Tasks() {}

    private static final Map<String, Task> ALL = new LinkedHashMap<>();

    static {
        double[] dense5 = {0.9, 0.7, 0.5, 0.3, 0.1};
        add(gaussian("normal-1x1", 1, 1, new double[] {0.75}, false, "X, Y standard normal, correlation 0.75"));
        Gaussian d5 = gaussian("normal-5x5-dense", 5, 5, dense5, true,
                "canonical correlations 0.9, 0.7, 0.5, 0.3, 0.1, mixed by fixed random linear maps");
        add(d5);
        Gaussian s25 = gaussian("normal-25x25-sparse", 25, 25, new double[] {0.8, 0.6}, false,
                "2 correlated coordinate pairs (0.8, 0.6), 23 + 23 independent coordinates");
        add(s25);
        double[] strong = new double[64];
        java.util.Arrays.fill(strong, 0.9);
        Gaussian g64 = gaussian("normal-64x64-strong", 64, 64, strong, true, "64 canonical correlations of 0.9, mixed");
        add(g64);
        add(transformed("halfcube-5x5", d5, "half-cube x·|x|^½", v -> v * Math.sqrt(Math.abs(v))));
        add(transformed("asinh-5x5", d5, "asinh", v -> Math.log(v + Math.sqrt(v * v + 1))));
        add(transformed("normalcdf-5x5", d5, "normal CDF Φ", Special::normalCdf));
        add(transformed("wiggly-5x5", d5, "x + 0.4·sin x", v -> v + 0.4 * Math.sin(v)));
        add(transformed("halfcube-25x25", s25, "half-cube x·|x|^½", v -> v * Math.sqrt(Math.abs(v))));
        add(transformed("asinh-64x64", g64, "asinh", v -> Math.log(v + Math.sqrt(v * v + 1))));
        add(new Student("student-2x2-df2", gaussian("", 2, 2, new double[0], false, ""), 2,
                "multivariate Student-t, ν = 2, identity scale (dependence only through the shared χ²)"));
        add(new Student("student-5x5-df5", d5, 5, "multivariate Student-t, ν = 5, scale matrix of normal-5x5-dense"));
        add(new Residual("residual-768", 768, 7.0));
        add(gaussian("independent-5x5", 5, 5, new double[0], false, "independent standard normal X and Y"));
        add(gaussian("independent-64x64", 64, 64, new double[0], true, "independent X and Y (mixed), 64 + 64 dims"));
    }

    private static void add(Task t) {
        ALL.put(t.name(), t);
    }

    public static List<Task> all() {
        return List.copyOf(ALL.values());
    }

    public static List<String> names() {
        return List.copyOf(ALL.keySet());
    }

    public static Task get(String name) {
        Task t = ALL.get(name.trim().toLowerCase(Locale.ROOT));
        if (t == null) throw new UserError("unknown task '" + name + "' (known: " + String.join(", ", ALL.keySet()) + ")");
        return t;
    }

    /** Tasks by comma-separated names, or all for null/"all". */
    public static List<Task> parse(String list) {
        if (list == null || list.isBlank() || list.trim().equalsIgnoreCase("all")) return all();
        List<Task> out = new ArrayList<>();
        for (String s : list.split(",")) if (!s.isBlank()) out.add(get(s));
        return out;
    }

    /** Y = X + σ·Z in d dimensions (the residual-768 task for other sizes). */
    public static Task residual(int d, double sigma) {
        return new Residual("residual-" + d, d, sigma);
    }

    static Gaussian gaussian(String name, int dx, int dy, double[] rho, boolean mixed, String desc) {
        return new Gaussian(name, dx, dy, rho, mixed, desc);
    }

    static Task transformed(String name, Gaussian base, String what, DoubleUnaryOperator f) {
        return new Transformed(name, base, f, what + " of every coordinate of " + base.name + " (MI-preserving)");
    }

    /** Gaussian with canonical correlations; optional fixed mixing maps I + G/(2√d). */
    static final class Gaussian implements Task {
        final String name, desc;
        final int dx, dy;
        final double[] rho;
        final float[] mixX, mixY; // [d, d] or null
        final double[] sdX, sdY; // exact standard deviation of each output coordinate

        Gaussian(String name, int dx, int dy, double[] rho, boolean mixed, String desc) {
            if (rho.length > Math.min(dx, dy)) throw new IllegalArgumentException("too many correlations");
            this.name = name;
            this.dx = dx;
            this.dy = dy;
            this.rho = rho;
            this.desc = desc;
            Rng r = new Rng(name.hashCode() * 0x9E3779B97F4A7C15L + 17); // the task's fixed structure
            mixX = mixed ? mixing(dx, r) : null;
            mixY = mixed ? mixing(dy, r) : null;
            sdX = rowNorms(mixX, dx);
            sdY = rowNorms(mixY, dy);
        }

        private static float[] mixing(int d, Rng r) {
            float[] m = new float[d * d];
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) m[i * d + j] = (float) ((i == j ? 1 : 0) + 0.5 * r.gaussian() / Math.sqrt(d));
            }
            return m;
        }

        private static double[] rowNorms(float[] m, int d) {
            double[] s = new double[d];
            for (int i = 0; i < d; i++) {
                if (m == null) {
                    s[i] = 1;
                    continue;
                }
                double q = 0;
                for (int j = 0; j < d; j++) q += (double) m[i * d + j] * m[i * d + j];
                s[i] = Math.sqrt(q);
            }
            return s;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public int dx() {
            return dx;
        }

        @Override
        public int dy() {
            return dy;
        }

        @Override
        public double trueMiNats() {
            double s = 0;
            for (double p : rho) s += -0.5 * Math.log1p(-p * p);
            return s;
        }

        @Override
        public String description() {
            return desc;
        }

        @Override
        public Sample sample(int n, long seed) {
            Rng r = new Rng(seed);
            float[] x = new float[n * dx], y = new float[n * dy];
            double[] zx = new double[dx], zy = new double[dy];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < dx; j++) zx[j] = r.gaussian();
                for (int j = 0; j < dy; j++) {
                    double e = r.gaussian();
                    zy[j] = j < rho.length ? rho[j] * zx[j] + Math.sqrt(1 - rho[j] * rho[j]) * e : e;
                }
                mix(mixX, zx, x, i * dx, dx);
                mix(mixY, zy, y, i * dy, dy);
            }
            return new Sample(new Matrix(x, n, dx), new Matrix(y, n, dy));
        }

        private static void mix(float[] m, double[] z, float[] out, int off, int d) {
            for (int a = 0; a < d; a++) {
                if (m == null) {
                    out[off + a] = (float) z[a];
                    continue;
                }
                double s = 0;
                for (int b = 0; b < d; b++) s += m[a * d + b] * z[b];
                out[off + a] = (float) s;
            }
        }
    }

    /** A task derived from a Gaussian task: same dimensions, its own name, description and samples. */
    abstract static class Derived implements Task {
        final String name, desc;
        final Gaussian base;

        Derived(String name, Gaussian base, String desc) {
            this.name = name;
            this.base = base;
            this.desc = desc;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public int dx() {
            return base.dx;
        }

        @Override
        public int dy() {
            return base.dy;
        }

        @Override
        public String description() {
            return desc;
        }
    }

    /** A strictly monotone map of every coordinate (scaled to unit variance first) of a Gaussian task. */
    static final class Transformed extends Derived {
        final DoubleUnaryOperator f;

        Transformed(String name, Gaussian base, DoubleUnaryOperator f, String desc) {
            super(name, base, desc);
            this.f = f;
        }

        @Override
        public double trueMiNats() {
            return base.trueMiNats();
        }

        @Override
        public Sample sample(int n, long seed) {
            Sample s = base.sample(n, seed);
            apply(s.x(), base.sdX);
            apply(s.y(), base.sdY);
            return s;
        }

        private void apply(Matrix m, double[] sd) {
            float[] a = m.data();
            int d = m.cols();
            for (int i = 0; i < a.length; i++) a[i] = (float) f.applyAsDouble(a[i] / sd[i % d]);
        }
    }

    /** Multivariate Student-t with the scale matrix of a Gaussian task and ν degrees of freedom (integer). */
    static final class Student extends Derived {
        final int nu;

        Student(String name, Gaussian base, int nu, String desc) {
            super(name, base, desc);
            this.nu = nu;
        }

        @Override
        public double trueMiNats() {
            return base.trueMiNats() + correction(nu, base.dx, base.dy);
        }

        /** The non-Gaussian part of the MI of a multivariate t (depends only on ν, dx, dy). */
        public static double correction(double nu, int dx, int dy) {
            return Special.logGamma(nu / 2) + Special.logGamma((nu + dx + dy) / 2) - Special.logGamma((nu + dx) / 2)
                    - Special.logGamma((nu + dy) / 2) + g(nu, dx) + g(nu, dy) - g(nu, dx + dy);
        }

        private static double g(double nu, int d) {
            return (nu + d) / 2 * (Special.digamma((nu + d) / 2) - Special.digamma(nu / 2));
        }

        @Override
        public Sample sample(int n, long seed) {
            Sample s = base.sample(n, seed);
            Rng r = new Rng(seed ^ 0xA5A5A5A5L);
            float[] x = s.x().data(), y = s.y().data();
            int dx = base.dx, dy = base.dy;
            for (int i = 0; i < n; i++) {
                double w = 0;
                for (int k = 0; k < nu; k++) {
                    double z = r.gaussian();
                    w += z * z;
                }
                double scale = 1 / Math.sqrt(w / nu);
                for (int j = 0; j < dx; j++) x[i * dx + j] *= (float) scale;
                for (int j = 0; j < dy; j++) y[i * dy + j] *= (float) scale;
            }
            return s;
        }
    }

    /** Y = X + σ·Z in d dimensions, X, Z standard normal: I = (d/2)·ln(1 + 1/σ²). */
    static final class Residual implements Task {
        final String name;
        final int d;
        final double sigma;

        Residual(String name, int d, double sigma) {
            this.name = name;
            this.d = d;
            this.sigma = sigma;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public int dx() {
            return d;
        }

        @Override
        public int dy() {
            return d;
        }

        @Override
        public double trueMiNats() {
            return d / 2.0 * Math.log1p(1 / (sigma * sigma));
        }

        @Override
        public String description() {
            return String.format(Locale.ROOT, "Y = X + %.1f·Z, X, Z ~ N(0, I_%d): weak dependence spread over many dimensions", sigma, d);
        }

        @Override
        public Sample sample(int n, long seed) {
            Rng r = new Rng(seed);
            float[] x = new float[n * d], y = new float[n * d];
            for (int i = 0; i < x.length; i++) {
                double v = r.gaussian();
                x[i] = (float) v;
                y[i] = (float) (v + sigma * r.gaussian());
            }
            return new Sample(new Matrix(x, n, d), new Matrix(y, n, d));
        }
    }
}
