package org.emergence.report;

import org.emergence.ie.RunSummary;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.emergence.ie.RunSummary.LayerE;
import org.emergence.ie.RunSummary.Val;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.StandardChartTheme;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * The report's four charts, rendered headless to PNG bytes with JFreeChart. Every chart renders
 * whatever finite values exist: missing (null) and non-finite values leave gaps (hatched grey cells
 * in the heat map), and a chart without any value shows a "not estimated yet" message instead.
 * Only the logical font SansSerif is used. Same summary in, same PNG bytes out.
 */
public final class Charts {
    static {
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    public static final int WIDTH = 900;
    public static final int HEIGHT = 500;
    /** The heat map is a little taller: one row per layer plus the colour bar. */
    public static final int HEATMAP_HEIGHT = 560;

    static final Color BLUE = new Color(0x1f4e99);
    static final Color ORANGE = new Color(0xd0661b);
    static final Color GREY = new Color(0x555555);
    static final String FONT = "SansSerif";

    private Charts() {}

    /** E(l) per layer with interval error bars and a zero line. */
    public static byte[] eLayer(RunSummary s) {
        return png(eLayerChart(s), WIDTH, HEIGHT);
    }

    static JFreeChart eLayerChart(RunSummary s) {
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        int[] layers = s.layers();
        LayerE[] el = s.results().eLayer();
        int nonFinite = 0;
        int series = 0;
        YIntervalSeries cur = null;
        for (int i = 0; i < layers.length; i++) {
            Val v = el[i].e();
            if (!v.plottable()) {
                if (v.present()) nonFinite++;
                cur = null;
                continue;
            }
            if (cur == null) {
                cur = new YIntervalSeries("E(l) " + series++);
                data.addSeries(cur);
            }
            cur.add(layers[i], v.bits(), v.plotLow(), v.plotHigh());
        }
        XYErrorRenderer r = new XYErrorRenderer();
        r.setDefaultLinesVisible(true);
        r.setDefaultShapesVisible(true);
        r.setDrawXError(false);
        r.setCapLength(8);
        r.setErrorStroke(new BasicStroke(1.4f));
        styleSeries(r, data.getSeriesCount(), BLUE);
        XYPlot plot = new XYPlot(data, IndexAxis.numeric("layer l", layers), valueAxis("E(l) (bits)"), r);
        zeroLine(plot);
        noData(plot, "E(l) not estimated yet");
        JFreeChart chart = chart("Emergence per layer E(l)", plot, false);
        org.emergence.ie.Terms terms = RunTerms.of(s);
        subtitle(chart, "points: E(l) = " + terms.macroShort() + " − " + terms.microShort() + "; bars: interval; line at 0 bits"
                + nonFiniteNote(nonFinite));
        return chart;
    }

    /** E(l, t) as a layers × positions heat map, diverging colours centred at 0, missing cells hatched grey. */
    public static byte[] eHeatmap(RunSummary s) {
        return png(heatmapChart(s), WIDTH, HEATMAP_HEIGHT);
    }

    static JFreeChart heatmapChart(RunSummary s) {
        int[] layers = s.layers();
        int[] positions = s.positions();
        String[] labels = PositionLabels.of(s);
        IndexAxis xs = PositionLabels.named(labels, positions) ? IndexAxis.labelled("position t", positions, labels)
                : IndexAxis.of("position t", positions);
        IndexAxis ys = IndexAxis.of("layer l", layers);
        double maxAbs = 0;
        int missing = 0, nonFinite = 0, finite = 0;
        for (int i = 0; i < layers.length; i++) {
            for (int j = 0; j < positions.length; j++) {
                Val v = s.results().e()[i][j];
                if (v.plottable()) {
                    finite++;
                    maxAbs = Math.max(maxAbs, Math.abs(v.bits()));
                } else if (v.present()) {
                    nonFinite++;
                } else {
                    missing++;
                }
            }
        }
        // fitted to the data: the largest |E| is the darkest colour, and the scale is symmetric about 0
        if (!(maxAbs > 0)) maxAbs = 1;
        maxAbs = fitted(maxAbs);
        DivergingScale scale = new DivergingScale(maxAbs);
        DefaultXYZDataset data = new DefaultXYZDataset();
        if (finite > 0) {
            int n = layers.length * positions.length;
            double[][] xyz = new double[3][n];
            int k = 0;
            for (int i = 0; i < layers.length; i++) {
                for (int j = 0; j < positions.length; j++, k++) {
                    Val v = s.results().e()[i][j];
                    xyz[0][k] = xs.coordinate(j);
                    xyz[1][k] = ys.coordinate(i);
                    xyz[2][k] = v.plottable() ? v.bits() : Double.NaN;
                }
            }
            data.addSeries("E(l, t)", xyz);
        }
        XYBlockRenderer r = new XYBlockRenderer();
        fixed(r);
        r.setBlockWidth(1);
        r.setBlockHeight(1);
        r.setBlockAnchor(RectangleAnchor.CENTER);
        r.setPaintScale(scale);
        XYPlot plot = new XYPlot(data, xs.axis(), ys.axis(), r);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        noData(plot, "E(l, t) not estimated yet");
        JFreeChart chart = chart("Emergence per layer and position E(l, t)", plot, false);
        plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
        if (finite > 0) {
            NumberAxis barAxis = new NumberAxis("E(l, t) (bits)");
            barAxis.setStandardTickUnits(NumberAxis.createStandardTickUnits(Locale.ROOT));
            barAxis.setLabelFont(new Font(FONT, Font.PLAIN, 13));
            barAxis.setTickLabelFont(new Font(FONT, Font.PLAIN, 12));
            barAxis.setRange(-maxAbs, maxAbs);
            PaintScaleLegend bar = new PaintScaleLegend(scale, barAxis);
            bar.setPosition(RectangleEdge.RIGHT);
            bar.setAxisLocation(AxisLocation.BOTTOM_OR_RIGHT);
            bar.setStripWidth(16);
            bar.setSubdivisionCount(200);
            bar.setMargin(new RectangleInsets(40, 8, 40, 8));
            bar.setBackgroundPaint(Color.WHITE);
            bar.setStripOutlineVisible(true);
            chart.addSubtitle(bar);
        }
        StringBuilder note = new StringBuilder(String.format(Locale.ROOT, "red: E > 0 (macro exceeds micro), blue: E < 0, white: 0; "
                + "scale ±%s bits (the largest |E|)", trimZeros(maxAbs)));
        if (missing + nonFinite > 0) {
            note.append("; hatched grey: ").append(missing + nonFinite).append(" of ")
                    .append(layers.length * positions.length).append(nonFinite > 0 ? " cells missing or not plottable" : " cells not estimated");
        }
        if (finite > 0) subtitle(chart, note.toString());
        return chart;
    }

    /** The two terms of E(l) per layer (named as the run's summary names them), from E_layer. */
    public static byte[] macroMicro(RunSummary s) {
        return png(macroMicroChart(s), WIDTH, HEIGHT);
    }

    static JFreeChart macroMicroChart(RunSummary s) {
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        XYErrorRenderer r = new XYErrorRenderer();
        r.setDefaultLinesVisible(true);
        r.setDefaultShapesVisible(true);
        r.setDrawXError(false);
        r.setCapLength(6);
        r.setErrorStroke(new BasicStroke(1.2f));
        fixed(r);
        int[] layers = s.layers();
        LayerE[] el = s.results().eLayer();
        Val[] macro = new Val[layers.length], micro = new Val[layers.length];
        for (int i = 0; i < layers.length; i++) {
            macro[i] = el[i].macro();
            micro[i] = el[i].micro();
        }
        int nonFinite = countNonFinite(macro) + countNonFinite(micro);
        org.emergence.ie.Terms terms = RunTerms.of(s);
        addSegments(data, r, layers, macro, terms.macro(), BLUE, new Ellipse2D.Double(-4, -4, 8, 8));
        addSegments(data, r, layers, micro, terms.micro(), ORANGE, new Rectangle(-4, -4, 8, 8));
        XYPlot plot = new XYPlot(data, IndexAxis.numeric("layer l", layers), valueAxis("mutual information (bits)"), r);
        noData(plot, "MI_macro and MI_micro not estimated yet");
        JFreeChart chart = chart("Macro vs micro mutual information per layer", plot, data.getSeriesCount() > 0);
        subtitle(chart, "E(l) is the vertical gap: macro above micro means positive emergence; bars: intervals" + nonFiniteNote(nonFinite));
        return chart;
    }

    /** IE(t) over positions with its interval as a shaded band. */
    public static byte[] iePosition(RunSummary s) {
        return png(iePositionChart(s), WIDTH, HEIGHT);
    }

    static JFreeChart iePositionChart(RunSummary s) {
        int[] positions = s.positions();
        String[] labels = PositionLabels.of(s);
        IndexAxis xs = PositionLabels.named(labels, positions) ? IndexAxis.labelled("position t", positions, labels) : null;
        Val[] ie = s.results().ieT();
        YIntervalSeriesCollection bands = new YIntervalSeriesCollection();
        YIntervalSeriesCollection singles = new YIntervalSeriesCollection();
        int nonFinite = 0;
        List<int[]> runs = new ArrayList<>();
        int start = -1;
        for (int j = 0; j <= positions.length; j++) {
            boolean ok = j < positions.length && ie[j].plottable();
            if (j < positions.length && !ok && ie[j].present()) nonFinite++;
            if (ok && start < 0) start = j;
            if (!ok && start >= 0) {
                runs.add(new int[] {start, j});
                start = -1;
            }
        }
        for (int[] run : runs) {
            boolean single = run[1] - run[0] == 1;
            YIntervalSeriesCollection target = single ? singles : bands;
            YIntervalSeries ser = new YIntervalSeries("IE(t) " + (bands.getSeriesCount() + singles.getSeriesCount()));
            for (int j = run[0]; j < run[1]; j++) {
                ser.add(xs == null ? positions[j] : xs.coordinate(j), ie[j].bits(), ie[j].plotLow(), ie[j].plotHigh());
            }
            target.addSeries(ser);
        }
        DeviationRenderer band = new DeviationRenderer(true, positions.length <= 64);
        band.setAlpha(0.25f);
        styleSeries(band, bands.getSeriesCount(), BLUE);
        for (int i = 0; i < bands.getSeriesCount(); i++) band.setSeriesFillPaint(i, BLUE);
        XYPlot plot = new XYPlot(bands, xs == null ? IndexAxis.numeric("position t", positions) : xs.axis(), valueAxis("IE(t) (bits)"), band);
        if (singles.getSeriesCount() > 0) {
            XYErrorRenderer bars = new XYErrorRenderer();
            bars.setDefaultLinesVisible(false);
            bars.setDefaultShapesVisible(true);
            bars.setDrawXError(false);
            bars.setCapLength(6);
            styleSeries(bars, singles.getSeriesCount(), BLUE);
            plot.setDataset(1, singles);
            plot.setRenderer(1, bars);
        }
        zeroLine(plot);
        noData(plot, "IE(t) not estimated yet");
        JFreeChart chart = chart("Information emergence per position IE(t)", plot, false);
        subtitle(chart, "line: IE(t); shaded band: interval; line at 0 bits" + nonFiniteNote(nonFinite));
        return chart;
    }

    // ---------------------------------------------------------------------------------------

    /** One line per run of plottable values, with error bars where a value has an interval; one legend entry per line name. */
    private static void addSegments(YIntervalSeriesCollection data, XYErrorRenderer r, int[] xs, Val[] ys, String name, Color color,
                                    java.awt.Shape shape) {
        boolean first = true;
        YIntervalSeries cur = null;
        for (int i = 0; i < xs.length; i++) {
            if (!ys[i].plottable()) {
                cur = null;
                continue;
            }
            if (cur == null) {
                cur = new YIntervalSeries(first ? name : name + " (" + data.getSeriesCount() + ")", false, true);
                int idx = data.getSeriesCount();
                data.addSeries(cur);
                r.setSeriesPaint(idx, color);
                r.setSeriesStroke(idx, new BasicStroke(2f));
                r.setSeriesShape(idx, shape);
                r.setSeriesVisibleInLegend(idx, first);
                first = false;
            }
            cur.add(xs[i], ys[i].bits(), ys[i].plotLow(), ys[i].plotHigh());
        }
    }

    /** Keeps the theme from replacing the series paints and strokes set here. */
    private static void fixed(org.jfree.chart.renderer.AbstractRenderer r) {
        r.setAutoPopulateSeriesPaint(false);
        r.setAutoPopulateSeriesStroke(false);
        r.setAutoPopulateSeriesFillPaint(false);
        r.setAutoPopulateSeriesShape(false);
        r.setAutoPopulateSeriesOutlinePaint(false);
        r.setAutoPopulateSeriesOutlineStroke(false);
    }

    private static void styleSeries(XYLineAndShapeRenderer r, int count, Color color) {
        fixed(r);
        r.setDefaultPaint(color);
        r.setDefaultFillPaint(color);
        r.setDefaultStroke(new BasicStroke(2f));
        for (int i = 0; i < count; i++) {
            r.setSeriesPaint(i, color);
            r.setSeriesStroke(i, new BasicStroke(2f));
            r.setSeriesShape(i, new Ellipse2D.Double(-4, -4, 8, 8));
        }
    }

    private static NumberAxis valueAxis(String label) {
        NumberAxis a = new NumberAxis(label);
        a.setStandardTickUnits(NumberAxis.createStandardTickUnits(Locale.ROOT));
        a.setAutoRangeIncludesZero(true);
        return a;
    }

    private static void zeroLine(XYPlot plot) {
        ValueMarker m = new ValueMarker(0, GREY, new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER,
                10f, new float[] {6f, 4f}, 0f));
        plot.addRangeMarker(m);
    }

    private static void noData(XYPlot plot, String message) {
        plot.setNoDataMessage(message);
        plot.setNoDataMessageFont(new Font(FONT, Font.ITALIC, 18));
        plot.setNoDataMessagePaint(GREY);
    }

    private static JFreeChart chart(String title, XYPlot plot, boolean legend) {
        JFreeChart chart = new JFreeChart(title, new Font(FONT, Font.BOLD, 18), plot, legend);
        StandardChartTheme theme = new StandardChartTheme("emergence");
        theme.setExtraLargeFont(new Font(FONT, Font.BOLD, 18));
        theme.setLargeFont(new Font(FONT, Font.PLAIN, 15));
        theme.setRegularFont(new Font(FONT, Font.PLAIN, 13));
        theme.setSmallFont(new Font(FONT, Font.PLAIN, 12));
        theme.setChartBackgroundPaint(Color.WHITE);
        theme.setPlotBackgroundPaint(Color.WHITE);
        theme.setLegendBackgroundPaint(Color.WHITE);
        theme.setPlotOutlinePaint(new Color(0x999999));
        theme.setDomainGridlinePaint(new Color(0xdddddd));
        theme.setRangeGridlinePaint(new Color(0xdddddd));
        theme.setAxisOffset(new RectangleInsets(4, 4, 4, 4));
        theme.setShadowVisible(false);
        theme.apply(chart);
        chart.setPadding(new RectangleInsets(8, 8, 8, 16));
        LegendTitle lt = chart.getLegend();
        if (lt != null) {
            lt.setFrame(BlockBorder.NONE);
            lt.setPosition(RectangleEdge.BOTTOM);
        }
        return chart;
    }

    private static void subtitle(JFreeChart chart, String text) {
        TextTitle t = new TextTitle(text, new Font(FONT, Font.PLAIN, 13));
        t.setPaint(GREY);
        t.setPosition(RectangleEdge.TOP);
        chart.addSubtitle(0, t);
    }

    private static String nonFiniteNote(int n) {
        return n == 0 ? "" : "; " + n + " non-finite or out-of-range value" + (n == 1 ? "" : "s") + " not plotted";
    }

    private static int countNonFinite(Val[] v) {
        int n = 0;
        for (Val x : v) if (x.present() && !x.plottable()) n++;
        return n;
    }

    /** The colour bound: the largest |E| rounded up in its second significant digit (4.31 → 4.4), so no cell saturates. */
    static double fitted(double x) {
        if (!(x > 0) || !Double.isFinite(x)) return 1;
        double p = Math.pow(10, Math.floor(Math.log10(x)) - 1);
        double v = Math.ceil(x / p * (1 - 1e-12)) * p;
        return Double.isFinite(v) && v > 0 ? v : x;
    }

    static String trimZeros(double v) {
        return new java.math.BigDecimal(String.format(Locale.ROOT, "%.4g", v)).stripTrailingZeros().toPlainString();
    }

    static byte[] png(JFreeChart chart, int width, int height) {
        Fonts.init();
        chart.setAntiAlias(true);
        chart.setTextAntiAlias(RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        BufferedImage img = chart.createBufferedImage(width, height, BufferedImage.TYPE_INT_RGB, null);
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        try {
            if (!ImageIO.write(img, "png", out)) throw new IllegalStateException("no PNG writer available");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
