package org.emergence.cli;

import java.io.PrintWriter;
import org.emergence.model.Precision;
import picocli.CommandLine.Option;

/** --precision, mixed into every command that runs a model (run, validate, study, capture, bench capture). */
public final class PrecisionOption {
    @Option(names = "--precision", defaultValue = "fp32", paramLabel = "fp32|bf16|auto",
            description = "Arithmetic of the linear layers: fp32 (default), bf16 (bf16 operands, fp32 accumulation: oneDNN on "
                    + "AMX/AVX512-BF16, emulated elsewhere) or auto (bf16 where those units exist, else fp32).")
    String precision;

    /**
     * Resolves the setting on this CPU for the models this command loads; says in one line what runs when not plain
     * fp32 (unless --quiet: then settings.json, capture.json and the summary still record it).
     */
    public Precision apply(PrintWriter err) {
        Precision p = Precision.resolve(precision);
        Precision.setCurrent(p);
        if (p.note() != null && !CommonOptions.quiet()) err.println("emergence: " + p.note());
        return p;
    }
}
