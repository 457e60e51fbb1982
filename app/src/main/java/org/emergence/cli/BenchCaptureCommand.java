package org.emergence.cli;

import org.emergence.model.ModelSources;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.emergence.common.UserError;
import org.emergence.model.CaptureRequest;
import org.emergence.model.TokenBatch;
import org.emergence.model.Transformer;
import org.emergence.tensor.Blas;
import org.emergence.tensor.Gemm;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "capture", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Capture throughput: tokens/s for capturing every block's input and output of random sequences",
            "(median of timed repeats after a warm-up), the GEMM GFLOP/s achieved and peak resident memory."})
final class BenchCaptureCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    PrecisionOption precision;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = ModelSources.DESCRIPTION)
    String model;

    @Option(names = "--revision", paramLabel = "REV", description = "Revision of a hub-cache repo id: a branch or tag under refs/, or a commit (default main).")
    String revision;

    @Option(names = "--n", defaultValue = "2048", description = "Sequences (default ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--t", defaultValue = "8", description = "Tokens per sequence (default ${DEFAULT-VALUE}).")
    int t;

    @Option(names = "--batch", defaultValue = "256", description = "Sequences per forward pass (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--repeats", defaultValue = "3", description = "Timed repeats (default ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--warmup", defaultValue = "1", description = "Untimed warm-up passes (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--seed", defaultValue = "0")
    long seed;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        int threads = common.applyThreads();
        org.emergence.model.Precision prec = precision.apply(spec.commandLine().getErr());
        model = org.emergence.model.ModelSources.withRevision(model, revision);
        if (n < 1 || t < 1 || batch < 1 || repeats < 1 || warmup < 0) throw new UserError("--n, --t, --batch, --repeats must be >= 1");
        if ((long) n * t > Integer.MAX_VALUE - 8) throw new UserError("--n " + n + " × --t " + t + " tokens exceed 2^31; lower --n");
        batch = Math.min(batch, n); // a batch larger than the sequences is all of them
        var out = spec.commandLine().getOut();
        long loadStart = System.nanoTime();
        Transformer m = ModelSources.load(model);
        var c = m.config();
        SplittableRandom r = new SplittableRandom(seed);
        int[] ids = new int[n * t];
        for (int i = 0; i < ids.length; i++) ids[i] = r.nextInt(c.vocab());
        TokenBatch all = TokenBatch.of(n, t, ids);
        m.validate(all, "bench");
        CaptureRequest req = CaptureRequest.blocks(null, c.layers());
        out.printf(Locale.ROOT, "model %s: %s, %d layers, hidden %d, %d heads, stored %s, %.1f MB (loaded in %.2f s)%n", model,
                c.modelType(), c.layers(), c.hidden(), c.heads(), m.checkpoint().get(firstName(m)).type(),
                m.checkpoint().storedBytes() / 1e6, (System.nanoTime() - loadStart) / 1e9);
        out.printf(Locale.ROOT, "capture all %d block inputs+outputs of %d x %d tokens, batch %d, threads %d, GEMM %s%n",
                c.layers(), n, t, batch, threads, Blas.describe());
        out.printf(Locale.ROOT, "precision %s: %s; %s%n", prec.name(), prec.kernel(), org.emergence.tensor.SgemmChoice.describe());
        // the sink copies every captured batch, as a real capture does before writing it out
        Map<String, FloatBuffer> copies = new HashMap<>();
        double[] secs = new double[repeats];
        double[] gflops = new double[repeats];
        double[] gemmShare = new double[repeats];
        for (int rep = -warmup; rep < repeats; rep++) {
            Gemm.Stats.reset();
            long t0 = System.nanoTime();
            java.util.List<TokenBatch> batches = new java.util.ArrayList<>();
            for (int s = 0; s < n; s += batch) batches.add(all.slice(s, Math.min(n, s + batch)));
            m.runBatches(batches, req, (hook, b, rows, npos, width) -> {
                int len = b.batch() * npos * width;
                FloatBuffer dst = copies.computeIfAbsent(hook, k -> Gemm.allocate((long) batch * npos * width));
                dst.put(0, rows, 0, len);
            });
            double dt = (System.nanoTime() - t0) / 1e9;
            if (rep < 0) {
                out.printf(Locale.ROOT, "warm-up: %.3f s (%.0f tokens/s)%n", dt, (double) n * t / dt);
                continue;
            }
            secs[rep] = dt;
            gflops[rep] = Gemm.Stats.flops() / Gemm.Stats.seconds() / 1e9;
            gemmShare[rep] = Gemm.Stats.seconds() / dt;
            out.printf(Locale.ROOT, "repeat %d: %.3f s  %.0f tokens/s  GEMM %.1f GFLOP/s (%.0f%% of time)%n", rep + 1, dt,
                    (double) n * t / dt, gflops[rep], 100 * gemmShare[rep]);
        }
        double med = median(secs);
        out.printf(Locale.ROOT, "median: %.0f tokens/s (%.3f s per %d tokens); GEMM %.1f GFLOP/s; peak RSS %s%n",
                (double) n * t / med, med, n * t, median(gflops), peakRss());
        out.println("kernels by shape: " + org.emergence.tensor.SgemmChoice.used());
        return 0;
    }

    private static String firstName(Transformer m) {
        return m.checkpoint().names().iterator().next();
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** VmHWM (peak resident set) from /proc/self/status, or "n/a". */
    static String peakRss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return String.format(Locale.ROOT, "%.0f MB (VmHWM)", kb / 1024.0);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return "n/a";
    }
}
