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
                + "Works on complete and partial runs."})
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
        spec.commandLine().getOut().println(html);
        return 0;
    }
}
