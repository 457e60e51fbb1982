package org.emergence.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.emergence.study.StudyChart;
import org.emergence.study.StudyKind;
import org.emergence.study.StudyKinds;
import org.emergence.study.StudyResult;
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

/**
 * Draws the charts a study kind asks for ({@link StudyChart}, from {@link StudyKind#charts}): series with 95% intervals
 * over a numeric axis, and IE per condition; rendered as the PNGs of study.html and STUDY_DIR/charts.
 */
public final class StudyCharts {
    private StudyCharts() {}

    static final Color[] PALETTE = {new Color(0x1a4f94), new Color(0xa3161f), new Color(0x2e7d32), new Color(0x6a1b9a),
        new Color(0xef6c00), new Color(0x00838f), new Color(0x5d4037), new Color(0x455a64)};

    /** The study's charts by file name, as PNGs. */
    public static Map<String, byte[]> charts(StudyResult s) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        chartObjects(s).forEach((name, chart) -> out.put(name, Pages.png(chart, 860, 420)));
        return out;
    }

    /** The study's charts by file name, before rendering. */
    static Map<String, JFreeChart> chartObjects(StudyResult s) {
        Map<String, JFreeChart> out = new LinkedHashMap<>();
        StudyKinds.of(s.kind()).charts(s).forEach((name, c) -> out.put(name, chart(s, c)));
        return out;
    }

    static JFreeChart chart(StudyResult s, StudyChart c) {
        if (c instanceof StudyChart.Series x) return xyChart(x.title(), x.xLabel(), x.yLabel(), x.series(), x.logX(), x.integerX());
        return categories(s); // StudyChart.PerCondition
    }

    /** The short name of a condition on a chart axis: its label values ("untrained:1", "human · within-shuffle"). */
    static String shortLabel(StudyResult.ConditionRow c) {
        List<String> out = new ArrayList<>();
        for (var e : c.labels().entrySet()) {
            if (e.getKey().equals("replicate") && e.getValue().equals("0") || e.getKey().equals("parameters")
                    || e.getKey().equals("layers")) {
                continue;
            }
            out.add(e.getValue());
        }
        return out.isEmpty() ? c.name() : String.join(" · ", out);
    }

    /** @param integerX the x values are counts (K): integer ticks only */
    static JFreeChart xyChart(String title, String x, String y, Map<String, List<double[]>> series, boolean logX, boolean integerX) {
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

    static JFreeChart categories(StudyResult s) {
        DefaultStatisticalCategoryDataset d = new DefaultStatisticalCategoryDataset();
        java.util.Set<String> seen = new java.util.HashSet<>();
        boolean unique = true;
        for (StudyResult.ConditionRow c : s.conditions()) unique &= seen.add(shortLabel(c));
        for (StudyResult.ConditionRow c : s.conditions()) {
            double b = c.bits(), hi = Double.isNaN(c.ciHigh()) ? b : c.ciHigh(), lo = Double.isNaN(c.ciLow()) ? b : c.ciLow();
            double half = (hi - lo) / 2;
            if (Double.isFinite(b)) d.add(b, Double.isFinite(half) ? half : 0, "IE", unique ? shortLabel(c) : c.name());
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
