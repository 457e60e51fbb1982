package org.emergence.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks with their figures: capture throughput, mutual-information estimators, GEMM kernels.",
        subcommands = {BenchCaptureCommand.class, BenchMiCommand.class, BenchGemmCommand.class})
final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "choose a benchmark: capture, mi, gemm");
    }
}
