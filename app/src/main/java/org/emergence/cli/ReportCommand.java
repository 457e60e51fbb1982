package org.emergence.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.emergence.report.Report;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Build the charts and the HTML report of a run from RUN_DIR/summary.json.",
            "Writes RUN_DIR/charts/{e_layer,e_heatmap,macro_micro,ie_position}.png and a self-contained "
                + "RUN_DIR/report.html (works offline), and prints the path of report.html. "
                + "Works on complete and partial runs; a complete run also gets RUN_DIR/emergence.csv (the tidy E/IE table) "
                + "rewritten from its summary, so runs made before that table existed gain it."})
final class ReportCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "A run directory (contains summary.json).")
    Path runDir;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
        Path html = Report.build(runDir);
        var summary = Report.readSummary(runDir);
        if (!summary.partial()) {
            try {
                org.emergence.ie.EmergenceTable.write(runDir.resolve(org.emergence.ie.EmergenceTable.FILE), summary);
            } catch (java.io.IOException e) {
                throw new org.emergence.common.UserError("cannot write " + runDir.resolve(org.emergence.ie.EmergenceTable.FILE) + ": "
                        + e.getMessage(), e);
            }
        }
        spec.commandLine().getOut().println(html);
        return 0;
    }
}
