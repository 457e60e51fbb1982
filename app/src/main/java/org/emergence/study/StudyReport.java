package org.emergence.study;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.emergence.common.AtomicFiles;
import org.emergence.report.Pages;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.StatisticalLineAndShapeRenderer;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/** study.html and STUDY_DIR/charts/*.png: the verdicts, the comparisons table, the kind's charts, every condition. */
final class StudyReport {
    private StudyReport() {}

    static final Color[] PALETTE = {new Color(0x1a4f94), new Color(0xa3161f), new Color(0x2e7d32), new Color(0x6a1b9a),
        new Color(0xef6c00), new Color(0x00838f), new Color(0x5d4037), new Color(0x455a64)};

    static void write(Path dir, JsonNode s) throws IOException {
        Map<String, byte[]> charts = charts(s);
        Files.createDirectories(dir.resolve("charts"));
        for (var e : charts.entrySet()) AtomicFiles.write(dir.resolve("charts").resolve(e.getKey()), out -> out.write(e.getValue()));
        StringBuilder h = new StringBuilder(Pages.head("Study " + s.path("kind").asText()));
        h.append("<h1>Study: ").append(Pages.escape(s.path("kind").asText())).append("</h1>\n<p class=\"sub\">")
                .append(Pages.escape(String.join(", ", list(s.path("plan").path("models"))))).append(" — ")
                .append(Pages.escape(s.path("measurement").asText())).append("</p>\n");
        if (s.path("notes").size() > 0) {
            h.append("<div class=\"box warn\" id=\"notes\"><p><b>Notes on the plan</b></p>\n<ul>\n");
            for (JsonNode v : s.path("notes")) h.append("<li>").append(Pages.escape(v.asText())).append("</li>\n");
            h.append("</ul></div>\n");
        }
        h.append("<h2>Verdicts</h2>\n<ul>\n");
        for (JsonNode v : s.path("verdicts")) h.append("<li>").append(Pages.escape(v.asText())).append("</li>\n");
        h.append("</ul>\n<p class=\"small\">A difference is called up or down only when its 95% interval excludes 0. ")
                .append(Pages.escape(s.path("interval_method").asText())).append("</p>\n");
        h.append("<h2>Charts</h2>\n");
        for (var e : charts.entrySet()) h.append("<figure>").append(Pages.img(e.getValue(), e.getKey())).append("</figure>\n");
        h.append("<h2>Comparisons</h2>\n<table>\n<thead><tr><th>comparison</th><th class=\"num\">difference [95%]</th><th>direction</th>"
                + "<th>method</th></tr></thead>\n<tbody>\n");
        for (JsonNode c : s.path("comparisons")) {
            h.append("<tr><td>").append(Pages.escape(c.path("label").asText())).append("</td><td class=\"num\">")
                    .append(String.format(Locale.ROOT, "%+.3f [%+.3f, %+.3f]", c.path("difference_bits").asDouble(), c.path("ci_low").asDouble(),
                            c.path("ci_high").asDouble()))
                    .append("</td><td>").append(Pages.escape(c.path("direction").asText())).append("</td><td class=\"small\">")
                    .append(Pages.escape(c.path("method").asText())).append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n<h2>Conditions</h2>\n<table>\n<thead><tr><th>condition</th><th>labels</th><th class=\"num\">N</th>"
                + "<th class=\"num\">IE bits [95%]</th><th>run</th></tr></thead>\n<tbody>\n");
        for (JsonNode c : s.path("conditions")) {
            JsonNode ie = c.path("IE");
            h.append("<tr><td><code>").append(Pages.escape(c.path("name").asText())).append("</code></td><td class=\"small\">")
                    .append(Pages.escape(labels(c.path("labels")))).append("</td><td class=\"num\">")
                    .append(c.path("n").asInt()).append("</td><td class=\"num\">")
                    .append(String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", ie.path("bits").asDouble(), ie.path("ci_low").asDouble(),
                            ie.path("ci_high").asDouble()))
                    .append("</td><td><code>").append(Pages.escape(c.path("read_from").isTextual() ? "from " + c.path("read_from").asText()
                            : c.path("run_dir").asText())).append("</code></td></tr>\n");
        }
        h.append("</tbody>\n</table>\n<footer><p>emergence ").append(Pages.escape(s.path("version").asText()))
                .append(" · study.json and study.csv hold every number of this page.</p></footer>\n</main>\n</body>\n</html>\n");
        AtomicFiles.writeString(dir.resolve("study.html"), h.toString());
    }

    /** A condition's labels as a reader writes them: "category animal · shots 4" (not their JSON). */
    static String labels(JsonNode labels) {
        List<String> out = new ArrayList<>();
        for (var e : labels.properties()) {
            if (e.getKey().equals("replicate") && e.getValue().asText().equals("0")) continue;
            out.add(e.getKey().replace('_', ' ') + " " + e.getValue().asText());
        }
        return String.join(" · ", out);
    }

    /** The short name of a condition on a chart axis: its label values ("untrained:1", "human · within-shuffle"). */
    static String shortLabel(JsonNode c) {
        List<String> out = new ArrayList<>();
        for (var e : c.path("labels").properties()) {
            if (e.getKey().equals("replicate") && e.getValue().asText().equals("0") || e.getKey().equals("parameters")
                    || e.getKey().equals("layers")) {
                continue;
            }
            out.add(e.getValue().asText());
        }
        return out.isEmpty() ? c.path("name").asText() : String.join(" · ", out);
    }

    private static List<String> list(JsonNode a) {
        List<String> out = new ArrayList<>();
        for (JsonNode x : a) out.add(x.asText());
        return out;
    }

    static Map<String, byte[]> charts(JsonNode s) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        chartObjects(s).forEach((name, chart) -> out.put(name, Pages.png(chart, 860, 420)));
        return out;
    }

    /** The study's charts by file name, before rendering. */
    static Map<String, JFreeChart> chartObjects(JsonNode s) {
        Map<String, JFreeChart> out = new LinkedHashMap<>();
        switch (s.path("kind").asText()) {
            case "shots", "errors" -> {
                Map<String, List<double[]>> ie = new LinkedHashMap<>(), sd = new LinkedHashMap<>(), err = new LinkedHashMap<>();
                for (JsonNode r : s.path("by_shots")) {
                    String key = r.path("series").asText();
                    double m = r.path("IE_mean_bits").asDouble(), se = r.path("IE_se_bits").asDouble(0);
                    ie.computeIfAbsent(key, k -> new ArrayList<>()).add(new double[] {r.path("shots").asDouble(), m, m - 1.96 * se, m + 1.96 * se});
                    if (r.path("IE_sd_across_replicates").isNumber()) {
                        double v = r.path("IE_sd_across_replicates").asDouble();
                        sd.computeIfAbsent(key, k -> new ArrayList<>()).add(new double[] {r.path("shots").asDouble(), v, v, v});
                    }
                    JsonNode nt = r.path("next_token");
                    if (nt.isObject()) {
                        err.computeIfAbsent(key, k -> new ArrayList<>()).add(new double[] {r.path("shots").asDouble(),
                            nt.path("error_rate").asDouble(), nt.path("error_rate_ci_low").asDouble(), nt.path("error_rate_ci_high").asDouble()});
                    }
                }
                out.put("ie_shots.png", xy("IE against the number of items K (95% intervals)", "items in the list (K)", "IE (bits)", ie, false, true));
                if (!sd.isEmpty()) {
                    out.put("ie_spread_shots.png", xy("Spread of IE over replicates", "items in the list (K)", "sd of IE (bits)", sd, false, true));
                }
                if (!err.isEmpty()) {
                    out.put("errors_shots.png", xy("Next-token error rate after the list (95% intervals)", "items in the list (K)", "error rate",
                            err, false, true));
                }
            }
            case "models" -> {
                Map<String, List<double[]>> ie = new LinkedHashMap<>(), depth = new LinkedHashMap<>();
                for (JsonNode c : s.path("conditions")) {
                    JsonNode v = c.path("IE");
                    ie.computeIfAbsent("IE", k -> new ArrayList<>()).add(new double[] {c.path("labels").path("parameters").asDouble(),
                        v.path("bits").asDouble(), v.path("ci_low").asDouble(), v.path("ci_high").asDouble()});
                }
                for (JsonNode r : s.path("by_relative_depth")) {
                    depth.computeIfAbsent(r.path("model").asText(), k -> new ArrayList<>()).add(new double[] {r.path("relative_depth").asDouble(),
                        r.path("E").asDouble(), r.path("ci_low").asDouble(), r.path("ci_high").asDouble()});
                }
                // checkpoints of one model (a training series) share their size: a size axis would collapse them to one x,
                // so they are drawn one per condition, in the plan's (training) order
                long sizes = ie.getOrDefault("IE", List.of()).stream().mapToDouble(p -> p[0]).distinct().count();
                if (sizes >= 2) out.put("ie_parameters.png", xy("IE against model size (95% intervals)", "parameters", "IE (bits)", ie, true, false));
                else out.put("ie_conditions.png", categories(s));
                out.put("e_depth.png", xy("E(l) against relative depth (95% intervals)", "(l + ½) / layers", "E(l) (bits)", depth, false, false));
            }
            default -> out.put("ie_conditions.png", categories(s));
        }
        return out;
    }

    /** @param integerX the x values are counts (K): integer ticks only */
    static JFreeChart xy(String title, String x, String y, Map<String, List<double[]>> series, boolean logX, boolean integerX) {
        YIntervalSeriesCollection d = new YIntervalSeriesCollection();
        for (var e : series.entrySet()) {
            YIntervalSeries ser = new YIntervalSeries(e.getKey());
            for (double[] p : e.getValue()) {
                if (Double.isFinite(p[0]) && Double.isFinite(p[1])) {
                    ser.add(p[0], p[1], Double.isFinite(p[2]) ? p[2] : p[1], Double.isFinite(p[3]) ? p[3] : p[1]);
                }
            }
            d.addSeries(ser);
        }
        XYErrorRenderer r = new XYErrorRenderer();
        r.setDefaultLinesVisible(true);
        r.setDrawXError(false);
        r.setErrorStroke(new BasicStroke(1.2f));
        for (int i = 0; i < series.size(); i++) r.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
        ValueAxis xa = logX ? new LogAxis(x) : new NumberAxis(x);
        if (xa instanceof NumberAxis na) {
            na.setAutoRangeIncludesZero(false);
            if (integerX) na.setStandardTickUnits(NumberAxis.createIntegerTickUnits(Locale.ROOT));
        }
        NumberAxis ya = new NumberAxis(y);
        ya.setAutoRangeIncludesZero(false);
        XYPlot p = new XYPlot(d, xa, ya, r);
        p.setBackgroundPaint(Color.WHITE);
        p.setRangeGridlinePaint(new Color(0xdddddd));
        p.setDomainGridlinePaint(new Color(0xdddddd));
        JFreeChart ch = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, p, series.size() > 1);
        ch.setBackgroundPaint(Color.WHITE);
        return ch;
    }

    static JFreeChart categories(JsonNode s) {
        DefaultStatisticalCategoryDataset d = new DefaultStatisticalCategoryDataset();
        java.util.Set<String> seen = new java.util.HashSet<>();
        boolean unique = true;
        for (JsonNode c : s.path("conditions")) unique &= seen.add(shortLabel(c));
        for (JsonNode c : s.path("conditions")) {
            JsonNode ie = c.path("IE");
            double b = ie.path("bits").asDouble(Double.NaN), half = (ie.path("ci_high").asDouble(b) - ie.path("ci_low").asDouble(b)) / 2;
            if (Double.isFinite(b)) d.add(b, Double.isFinite(half) ? half : 0, "IE", unique ? shortLabel(c) : c.path("name").asText());
        }
        StatisticalLineAndShapeRenderer r = new StatisticalLineAndShapeRenderer(false, true);
        r.setSeriesPaint(0, PALETTE[0]);
        r.setErrorIndicatorPaint(PALETTE[0]);
        CategoryAxis x = new CategoryAxis(null);
        x.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        CategoryPlot p = new CategoryPlot(d, x, new NumberAxis("IE (bits)"), r);
        p.setBackgroundPaint(Color.WHITE);
        JFreeChart ch = new JFreeChart("IE per condition (95% intervals)", JFreeChart.DEFAULT_TITLE_FONT, p, false);
        ch.setBackgroundPaint(Color.WHITE);
        return ch;
    }
}
