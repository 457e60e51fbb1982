package org.emergence.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.emergence.common.AtomicFiles;
import org.emergence.ie.RunSummary;
import org.emergence.validate.ValidationResult;
import org.emergence.validate.Verdict;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.StatisticalLineAndShapeRenderer;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;

/**
 * validate.html: the verdict table (control, question, measured, rule, PASS/FAIL), a chart of IE
 * per condition with 95% intervals, and every condition with its run directory. Self-contained like
 * the run report.
 */
public final class ValidationReport {
    private ValidationReport() {}

    /** Writes DIR/validate.html for a finished validation. */
    public static void write(Path dir, ValidationResult v) throws IOException {
        StringBuilder h = new StringBuilder(Pages.head("Validity controls: " + v.model()));
        ValidationResult.Tally sum = v.summary();
        h.append("<h1>Validity controls</h1>\n<p class=\"sub\">").append(Pages.escape(v.model())).append(" — ")
                .append(Pages.escape(v.measurement())).append("; text noise scale: ")
                .append(Pages.escape(v.settings().textScale())).append("</p>\n");
        int failed = sum.failed();
        h.append("<div class=\"box ").append(failed == 0 ? "warn" : "fail").append("\"><p><b>")
                .append(sum.passed()).append(" of ").append(sum.total()).append(" controls pass")
                .append(failed == 0 ? "." : "; " + failed + " fail — the measurement does not pass them on this model, and "
                        + "conclusions that depend on them are not supported.").append("</b></p></div>\n");
        h.append("<h2>Controls</h2>\n<table>\n<thead><tr><th>control</th><th>question</th><th>measured (the headline number with its interval)</th>"
                + "<th>rule</th><th>verdict</th></tr></thead>\n<tbody>\n");
        for (Verdict c : v.controls()) {
            boolean pass = c.pass();
            h.append("<tr><td><code>").append(Pages.escape(c.name())).append("</code></td><td>")
                    .append(Pages.escape(c.question())).append("</td><td>").append(Pages.escape(c.measured()))
                    .append("</td><td class=\"small\">")
                    .append(Pages.escape(c.rule())).append("</td><td class=\"").append(pass ? "pass" : "fail").append("\">")
                    .append(pass ? "PASS" : "FAIL").append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n");
        for (Verdict c : v.controls()) {
            h.append("<details><summary>").append(Pages.escape(c.name())).append("</summary>\n<p class=\"small\">")
                    .append(Pages.escape(c.method())).append("</p>\n<ul>\n");
            for (String d : c.details()) h.append("<li>").append(Pages.escape(d)).append("</li>\n");
            h.append("</ul>\n</details>\n");
        }
        h.append("<h2>IE per condition</h2>\n<figure>").append(Pages.img(chart(v), "IE per condition with 95% intervals"))
                .append("<figcaption>IE of every condition (bits) with its 95% interval (delete-a-group jackknife over the "
                        + "condition's sequences).</figcaption></figure>\n");
        h.append("<table>\n<thead><tr><th>condition</th><th>what</th><th class=\"num\">IE bits [95%]</th><th>run</th></tr></thead>\n<tbody>\n");
        for (ValidationResult.ConditionRow c : v.conditions()) {
            RunSummary.Val ie = c.ie();
            h.append("<tr><td><code>").append(Pages.escape(c.name())).append("</code></td><td>")
                    .append(Pages.escape(c.what())).append("</td><td class=\"num\">")
                    .append(String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", zero(ie.bits()), zero(ie.ciLow()), zero(ie.ciHigh())))
                    .append("</td><td><code>").append(Pages.escape(c.runDir())).append("</code></td></tr>\n");
        }
        h.append("</tbody>\n</table>\n<p class=\"small\">").append(Pages.escape(v.intervalMethod())).append("</p>\n");
        h.append("<footer><p>emergence ").append(Pages.escape(v.version())).append(" · validate.json holds every number of "
                + "this page. " + String.format(Locale.ROOT, "%.0f s.", v.seconds()))
                .append("</p></footer>\n</main>\n</body>\n</html>\n");
        AtomicFiles.writeString(dir.resolve("validate.html"), h.toString());
    }

    /** A missing value as the page has always shown it (0). */
    private static double zero(double v) {
        return Double.isNaN(v) ? 0 : v;
    }

    private static byte[] chart(ValidationResult v) {
        DefaultStatisticalCategoryDataset d = new DefaultStatisticalCategoryDataset();
        for (ValidationResult.ConditionRow c : v.conditions()) {
            RunSummary.Val ie = c.ie();
            double b = ie.bits(), hi = Double.isNaN(ie.ciHigh()) ? b : ie.ciHigh(), lo = Double.isNaN(ie.ciLow()) ? b : ie.ciLow();
            double half = (hi - lo) / 2;
            if (Double.isFinite(b)) d.add(b, Double.isFinite(half) ? half : 0, "IE", c.name());
        }
        StatisticalLineAndShapeRenderer r = new StatisticalLineAndShapeRenderer(false, true);
        r.setSeriesPaint(0, new Color(0x1a4f94));
        r.setErrorIndicatorPaint(new Color(0x1a4f94));
        r.setErrorIndicatorStroke(new BasicStroke(1.5f));
        CategoryAxis x = new CategoryAxis(null);
        x.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        NumberAxis y = new NumberAxis("IE (bits)");
        CategoryPlot p = new CategoryPlot(d, x, y, r);
        p.setOrientation(PlotOrientation.VERTICAL);
        p.setBackgroundPaint(Color.WHITE);
        p.setRangeGridlinePaint(new Color(0xdddddd));
        JFreeChart ch = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, p, false);
        ch.setBackgroundPaint(Color.WHITE);
        return Pages.png(ch, 900, 420);
    }
}
