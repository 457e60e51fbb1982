package org.emergence.validate;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.emergence.common.AtomicFiles;
import org.emergence.report.Pages;
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
final class ValidationReport {
    private ValidationReport() {}

    static void write(Path dir, JsonNode v) throws IOException {
        StringBuilder h = new StringBuilder(Pages.head("Validity controls: " + v.path("model").asText()));
        JsonNode sum = v.path("summary");
        h.append("<h1>Validity controls</h1>\n<p class=\"sub\">").append(Pages.escape(v.path("model").asText())).append(" — ")
                .append(Pages.escape(v.path("measurement").asText())).append("; text noise scale: ")
                .append(Pages.escape(v.path("settings").path("text_scale").asText())).append("</p>\n");
        int failed = sum.path("failed").asInt();
        h.append("<div class=\"box ").append(failed == 0 ? "warn" : "fail").append("\"><p><b>")
                .append(sum.path("passed").asInt()).append(" of ").append(sum.path("total").asInt()).append(" controls pass")
                .append(failed == 0 ? "." : "; " + failed + " fail — the measurement does not pass them on this model, and "
                        + "conclusions that depend on them are not supported.").append("</b></p></div>\n");
        h.append("<h2>Controls</h2>\n<table>\n<thead><tr><th>control</th><th>question</th><th>measured (the headline number with its interval)</th>"
                + "<th>rule</th><th>verdict</th></tr></thead>\n<tbody>\n");
        for (JsonNode c : v.path("controls")) {
            boolean pass = c.path("verdict").asText().equals("PASS");
            h.append("<tr><td><code>").append(Pages.escape(c.path("name").asText())).append("</code></td><td>")
                    .append(Pages.escape(c.path("question").asText())).append("</td><td>").append(Pages.escape(c.path("measured").asText()))
                    .append("</td><td class=\"small\">")
                    .append(Pages.escape(c.path("rule").asText())).append("</td><td class=\"").append(pass ? "pass" : "fail").append("\">")
                    .append(pass ? "PASS" : "FAIL").append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n");
        for (JsonNode c : v.path("controls")) {
            h.append("<details><summary>").append(Pages.escape(c.path("name").asText())).append("</summary>\n<p class=\"small\">")
                    .append(Pages.escape(c.path("method").asText())).append("</p>\n<ul>\n");
            for (JsonNode d : c.path("details")) h.append("<li>").append(Pages.escape(d.asText())).append("</li>\n");
            h.append("</ul>\n</details>\n");
        }
        h.append("<h2>IE per condition</h2>\n<figure>").append(Pages.img(chart(v), "IE per condition with 95% intervals"))
                .append("<figcaption>IE of every condition (bits) with its 95% interval (delete-a-group jackknife over the "
                        + "condition's sequences).</figcaption></figure>\n");
        h.append("<table>\n<thead><tr><th>condition</th><th>what</th><th class=\"num\">IE bits [95%]</th><th>run</th></tr></thead>\n<tbody>\n");
        for (JsonNode c : v.path("conditions")) {
            JsonNode ie = c.path("IE");
            h.append("<tr><td><code>").append(Pages.escape(c.path("name").asText())).append("</code></td><td>")
                    .append(Pages.escape(c.path("what").asText())).append("</td><td class=\"num\">")
                    .append(String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", ie.path("bits").asDouble(), ie.path("ci_low").asDouble(),
                            ie.path("ci_high").asDouble()))
                    .append("</td><td><code>").append(Pages.escape(c.path("run_dir").asText())).append("</code></td></tr>\n");
        }
        h.append("</tbody>\n</table>\n<p class=\"small\">").append(Pages.escape(v.path("interval_method").asText())).append("</p>\n");
        h.append("<footer><p>emergence ").append(Pages.escape(v.path("version").asText())).append(" · validate.json holds every number of "
                + "this page. " + String.format(Locale.ROOT, "%.0f s.", v.path("timing").path("seconds").asDouble()))
                .append("</p></footer>\n</main>\n</body>\n</html>\n");
        AtomicFiles.writeString(dir.resolve("validate.html"), h.toString());
    }

    private static byte[] chart(JsonNode v) {
        DefaultStatisticalCategoryDataset d = new DefaultStatisticalCategoryDataset();
        for (JsonNode c : v.path("conditions")) {
            JsonNode ie = c.path("IE");
            double b = ie.path("bits").asDouble(Double.NaN), half = (ie.path("ci_high").asDouble(b) - ie.path("ci_low").asDouble(b)) / 2;
            if (Double.isFinite(b)) d.add(b, Double.isFinite(half) ? half : 0, "IE", c.path("name").asText());
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
