package org.emergence.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.emergence.common.UserError;
import org.emergence.mi.bench.BenchRunner;
import org.emergence.mi.bench.Task;
import org.emergence.mi.bench.Tasks;
import org.emergence.tensor.Blas;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "mi", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Mutual-information estimators on built-in tasks with known MI: estimate, absolute and relative",
            "error and seconds per (task, estimator); written to OUT/bench_mi.csv and OUT/bench_mi.json."})
final class BenchMiCommand implements Callable<Integer> {
    static final String DEFAULT_ESTIMATORS = "gaussian,gaussian-copula,ksg,mine,smile,infonce";

    @Mixin
    CommonOptions common;

    @Option(names = "--n", defaultValue = "20000", description = "Samples per task (default ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--estimators", defaultValue = DEFAULT_ESTIMATORS, paramLabel = "SPECS",
            description = "Comma-separated estimator specs name[:key=value…] (default ${DEFAULT-VALUE}).")
    String estimators;

    @Option(names = "--tasks", defaultValue = "all", paramLabel = "NAMES", description = "Comma-separated task names, or all.")
    String tasks;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the samples and estimators (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", defaultValue = "runs/bench-mi", paramLabel = "DIR", description = "Output folder (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--list", description = "List the tasks and estimators and exit.")
    boolean list;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        var w = spec.commandLine().getOut();
        if (list) {
            w.println("tasks:");
            for (Task t : Tasks.all()) {
                w.printf(java.util.Locale.ROOT, "  %-20s %4d x %-4d %9.4f bits  %s%n", t.name(), t.dx(), t.dy(),
                        t.trueMiNats() * org.emergence.mi.Estimate.LOG2E, t.description());
            }
            w.println("estimators:");
            org.emergence.mi.Estimators.descriptions().forEach((k, v) -> w.printf("  %-16s %s%n", k, v));
            return 0;
        }
        int threads = common.applyThreads();
        if (n < 100) throw new UserError("--n must be >= 100, got " + n);
        List<Task> ts = Tasks.parse(tasks);
        List<String> specs = new ArrayList<>();
        for (String s : estimators.split(",")) if (!s.isBlank()) specs.add(s.trim());
        if (specs.isEmpty()) throw new UserError("--estimators: empty list");
        w.printf("bench mi: n %d, seed %d, threads %d, GEMM %s%n", n, seed, threads, Blas.describe());
        w.println(BenchRunner.header());
        List<BenchRunner.Row> rows = BenchRunner.run(ts, specs, n, seed, r -> {
            w.println(BenchRunner.format(r));
            w.flush();
        }, s -> {
            if (!CommonOptions.quiet()) System.err.println("bench mi: " + s);
        });
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("n", n);
        meta.put("seed", seed);
        meta.put("threads", threads);
        meta.put("blas", Blas.describe());
        meta.put("java", System.getProperty("java.version"));
        BenchRunner.writeCsv(out.resolve("bench_mi.csv"), rows);
        BenchRunner.writeJson(out.resolve("bench_mi.json"), rows, meta);
        w.println("wrote " + out.resolve("bench_mi.csv") + " and " + out.resolve("bench_mi.json"));
        return 0;
    }
}
