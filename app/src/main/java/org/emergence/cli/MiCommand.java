package org.emergence.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.emergence.common.UserError;
import org.emergence.data.Npy;
import org.emergence.data.NpyHeader;
import org.emergence.mi.Estimate;
import org.emergence.mi.Estimates;
import org.emergence.mi.Estimator;
import org.emergence.mi.Estimators;
import org.emergence.mi.Inputs;
import org.emergence.mi.Matrix;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "mi", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Estimate the mutual information I(X; Y) between paired samples X [n, dx] and Y [n, dy]",
            "(float32/float64 .npy; a 1-D array is [n, 1]). Prints nats, bits, a 95%% interval and warnings."})
final class MiCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--x", required = true, paramLabel = "X.npy", description = "Samples of X, shape [n, dx] or [n].")
    Path x;

    @Option(names = "--y", required = true, paramLabel = "Y.npy", description = "Samples of Y, shape [n, dy] or [n].")
    Path y;

    @Option(names = "--estimator", defaultValue = "auto", paramLabel = "SPEC",
            description = "Estimator spec name[:key=value…] (default ${DEFAULT-VALUE}: discrete-exact for samples with few "
                    + "distinct rows, else " + Estimators.DEFAULT + "). Known: gaussian, gaussian-copula, mixture "
                    + "(needs --noise), ksg, discrete-exact, mine, smile, infonce, mine-paper, auto.")
    String estimator;

    @Option(names = "--seed", defaultValue = "0", description = "Seed (splits, initialisation, noise; default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--noise", defaultValue = "0", paramLabel = "SIGMA",
            description = "Add independent Gaussian noise of standard deviation SIGMA·RMS to X and to Y (RMS: root mean "
                    + "squared deviation from the column means over all coordinates of that variable).")
    double noise;

    @Option(names = "--noise-absolute", description = "SIGMA is an absolute standard deviation, not relative to the RMS.")
    boolean noiseAbsolute;

    @Option(names = "--json", description = "Print exactly one JSON object on stdout (everything else goes to stderr).")
    boolean json;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        common.applyThreads();
        if (!(noise >= 0) || Double.isInfinite(noise)) throw new UserError("--noise must be a finite number >= 0, got " + noise);
        if (noiseAbsolute && noise == 0) throw new UserError("--noise-absolute needs --noise SIGMA > 0");
        Estimator est = Estimators.get(estimator);
        if (noise == 0 && Estimators.needsNoise(est)) {
            throw new UserError("--estimator " + estimator + " computes noise-regularised MI: give --noise SIGMA (> 0)");
        }
        if (noise > 0) est = Estimators.withNoise(est, noise, noiseAbsolute);
        Matrix mx = load(x, "--x"), my = load(y, "--y");
        if (mx.rows() != my.rows()) {
            throw new UserError("--x " + x + " has " + mx.rows() + " rows but --y " + y + " has " + my.rows()
                    + "; X and Y must be paired row by row");
        }
        Inputs.requireFinite(mx, x.toString());
        Inputs.requireFinite(my, y.toString());
        if (!CommonOptions.quiet()) {
            System.err.printf(Locale.ROOT, "emergence mi: %s on n=%d, dx=%d, dy=%d ...%n", est.name(), mx.rows(), mx.cols(), my.cols());
        }
        Estimate e = est.estimate(mx, my, seed);
        var out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>(Estimates.toMap(e));
            m.put("seed", seed);
            m.put("noise", noise);
            m.put("noise_absolute", noiseAbsolute);
            m.put("x", x.toString());
            m.put("y", y.toString());
            out.println(new ObjectMapper().writeValueAsString(m));
        } else {
            out.printf(Locale.ROOT, "estimator  %s%n", e.estimator());
            out.printf(Locale.ROOT, "samples    n=%d, dx=%d, dy=%d%n", e.n(), e.dx(), e.dy());
            out.printf(Locale.ROOT, "MI         %.6f bits (%.6f nats)%n", e.bits(), e.nats());
            out.printf(Locale.ROOT, "interval   [%.6f, %.6f] bits, %s%n", e.ciLowBits(), e.ciHighBits(), e.intervalMethod());
            out.printf(Locale.ROOT, "seconds    %.3f%n", e.seconds());
            for (String w : e.warnings()) out.println("warning    " + w);
            for (var d : e.diagnostics().entrySet()) out.printf(Locale.ROOT, "  %-36s %s%n", d.getKey(), d.getValue());
        }
        return 0;
    }

    /** A float .npy as [n, d]: 1-D arrays are one column; anything else is refused naming the file. */
    static Matrix load(Path file, String option) {
        if (Files.isDirectory(file)) throw new UserError(option + " " + file + ": is a directory, expected a .npy file");
        if (!Files.exists(file)) throw new UserError(option + " " + file + ": no such file");
        if (!Npy.looksLikeNpy(file)) throw new UserError(option + " " + file + ": not a .npy file (missing the \\x93NUMPY magic)");
        NpyHeader h = Npy.header(file);
        if (!h.dtype().isFloat()) {
            throw new UserError(file + ": unsupported dtype " + h.dtype().numpyName + " (" + option
                    + " needs float32 or float64 samples; cast integer data to float first)");
        }
        long[] s = h.shape();
        long n, d;
        if (s.length == 1) {
            n = s[0];
            d = 1;
        } else if (s.length == 2) {
            n = s[0];
            d = s[1];
        } else {
            throw new UserError(file + ": expected shape [n, d] or [n], found " + h.shapeString());
        }
        if (n == 0 || d == 0) throw new UserError(file + ": empty array (shape " + h.shapeString() + ")");
        if (n * d > Integer.MAX_VALUE - 8) throw new UserError(file + ": " + n * d + " values are too many to load at once");
        return new Matrix(Npy.readFloats(file, h), (int) n, (int) d);
    }
}
