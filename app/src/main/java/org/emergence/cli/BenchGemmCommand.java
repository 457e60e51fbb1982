package org.emergence.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.emergence.common.UserError;
import org.emergence.model.GemmShapes;
import org.emergence.model.ModelSources;
import org.emergence.model.Transformer;
import org.emergence.tensor.Blas;
import org.emergence.tensor.Dnnl;
import org.emergence.tensor.SgemmBench;
import org.emergence.tensor.SgemmChoice;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "gemm", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"fp32 GEMM kernels at a model's shapes: OpenBLAS against oneDNN's matmul (and oneDNN bf16 where the CPU",
            "has the units), interleaved, median GFLOP/s; prints the rows of the per-shape kernel table (sgemm-kernels.tsv)."})
final class BenchGemmCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = ModelSources.DESCRIPTION)
    String model;

    @Option(names = "--rows", defaultValue = "2048", paramLabel = "M[,M…]",
            description = "Rows per product (batch × tokens per sequence; default ${DEFAULT-VALUE}).")
    String rows;

    @Option(names = "--repeats", defaultValue = "7", description = "Timed repeats of each kernel (default ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--table", paramLabel = "FILE", description = "Append the table rows (every shape, with the choice) to FILE.")
    Path table;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        int threads = common.applyThreads();
        if (repeats < 1) throw new UserError("--repeats must be >= 1, got " + repeats);
        int[] ms;
        try {
            ms = Arrays.stream(rows.split(",")).map(String::strip).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new UserError("--rows takes comma-separated row counts, got '" + rows + "'");
        }
        for (int m : ms) if (m < 1) throw new UserError("--rows must be >= 1, got " + m);
        Transformer m = ModelSources.load(model);
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "model %s (%s), threads %d, CPU kind %s%nOpenBLAS: %s%noneDNN: %s%n", model, m.config().modelType(), threads,
                SgemmChoice.cpuKind(), Blas.describe(), Dnnl.describe());
        if (!Dnnl.available()) throw new UserError("bench gemm: " + Dnnl.describe());
        out.printf(Locale.ROOT, "%6s %6s %6s %2s %5s  %9s %9s %9s  %s%n", "m", "k", "n", "op", "uses", "OpenBLAS", "oneDNN", "bf16", "faster (>=10%)");
        List<String> tsv = new ArrayList<>();
        for (int rowsM : ms) {
            for (GemmShapes.Shape s : GemmShapes.of(m)) {
                SgemmBench.Result r = SgemmBench.measure(rowsM, s.n(), s.k(), s.transB(), repeats);
                String choice = r.choice() == SgemmChoice.Kernel.ONEDNN ? "onednn" : "openblas";
                out.printf(Locale.ROOT, "%6d %6d %6d %2s %5d  %9.1f %9.1f %9s  %s (%.2fx)%n", rowsM, s.k(), s.n(), s.transB() ? "T" : "N",
                        s.uses(), r.openblas(), r.onednn(), Double.isNaN(r.bf16()) ? "-" : String.format(Locale.ROOT, "%.1f", r.bf16()),
                        choice, r.onednn() / r.openblas());
                tsv.add(String.join("\t", SgemmChoice.cpuKind(), s.transB() ? "T" : "N", "" + s.k(), "" + s.n(),
                        "" + (31 - Integer.numberOfLeadingZeros(rowsM)), choice, String.format(Locale.ROOT, "%.1f", r.openblas()),
                        String.format(Locale.ROOT, "%.1f", r.onednn()), model));
            }
        }
        out.println("GFLOP/s, median of " + repeats + " interleaved repeats; load: " + Files.readString(Path.of("/proc/loadavg")).trim());
        if (table != null) {
            Files.write(table, tsv, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            out.println("table rows appended to " + table);
        }
        return 0;
    }
}
