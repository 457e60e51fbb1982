package org.emergence.cli;

import org.emergence.tensor.Blas;
import picocli.CommandLine.Option;

/**
 * Options shared by every command (mixed in): --debug, --threads, --quiet. The debug flag is
 * process-wide because the exception handler, not the command, prints errors.
 */
public final class CommonOptions {
    private static volatile boolean debug;
    private static volatile boolean quiet;

    @Option(names = "--debug", description = "Print stack traces for errors.")
    void setDebug(boolean d) {
        debug = d;
    }

    @Option(names = "--quiet", description = "No progress output on stderr.")
    void setQuiet(boolean q) {
        quiet = q;
    }

    @Option(names = "--threads", paramLabel = "N",
            description = Vocabulary.THREADS,
            defaultValue = "0")
    int threads;

    public static boolean debug() {
        return debug;
    }

    public static boolean quiet() {
        return quiet;
    }

    static void reset() {
        debug = false;
        quiet = false;
    }

    /** Applies --threads (0 = all processors) to OpenBLAS and the Java kernels. */
    public int applyThreads() {
        int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        if (threads < 0) throw new org.emergence.common.UserError("--threads must be >= 1, got " + threads);
        Blas.setThreads(n);
        return n;
    }
}
