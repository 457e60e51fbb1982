package org.emergence.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.List;
import org.emergence.ie.RunSummary;
import org.emergence.ie.RunSummaryJson;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.data.xy.IntervalXYDataset;
import org.junit.jupiter.api.Test;

/**
 * Issue 25, item 5: what the report's charts are built from, read off the JFreeChart objects (not pixels): token
 * labels on the position axes, a colour scale fitted to the data and symmetric about 0, intervals on the macro/micro
 * chart, integer ticks on layer axes.
 */
class ChartsTest {
    /** A small run whose position 0 holds "[CLS]" in every sequence, position 1 a varying entity, position 2 ",". */
    private static ObjectNode labelled() {
        ObjectNode s = Runs.complete(3, 4, false);
        ArrayNode pt = s.putArray("position_tokens"), pl = s.putArray("position_labels");
        pt.add("[CLS]").addNull().add(",").add("a-very-long-token-text");
        pl.add("[CLS]").add("entity").add(",").add("a-very-long-token-text");
        return s;
    }

    private static RunSummary summary(ObjectNode s) {
        return RunSummaryJson.of(s, "test summary.json");
    }

    private static List<String> symbols(ValueAxis axis) {
        return Arrays.asList(assertInstanceOf(SymbolAxis.class, axis).getSymbols());
    }

    private static final List<String> TICKS = List.of("0 [CLS]", "1 entity", "2 ,", "3 a-very-lo…");

    @Test
    void heatMapPositionsAreLabelledWithTheDatasetsTokens() {
        XYPlot plot = Charts.heatmapChart(summary(labelled())).getXYPlot();
        assertEquals(TICKS, symbols(plot.getDomainAxis()));
        assertEquals("position t", plot.getDomainAxis().getLabel());
    }

    @Test
    void ieByPositionIsLabelledWithTheDatasetsTokens() {
        XYPlot plot = Charts.iePositionChart(summary(labelled())).getXYPlot();
        assertEquals(TICKS, symbols(plot.getDomainAxis()));
        // the points sit at the labels' indices
        assertEquals(2.0, plot.getDataset().getXValue(0, 2), 0);
    }

    @Test
    void aRunWithoutTokenLabelsKeepsNumericPositions() {
        ObjectNode s = Runs.complete(3, 4, false);
        assertInstanceOf(NumberAxis.class, Charts.heatmapChart(summary(s)).getXYPlot().getDomainAxis());
        assertInstanceOf(NumberAxis.class, Charts.iePositionChart(summary(s)).getXYPlot().getDomainAxis());
    }

    /** The largest |E| (here the negative −4.31) sets a symmetric bound ±4.4, not a fixed ±5, on cells and colour bar. */
    @Test
    void colourScaleIsFittedToTheDataAndSymmetric() {
        ObjectNode s = Runs.complete(3, 4, false);
        ArrayNode e = (ArrayNode) s.get("E");
        ((ObjectNode) e.get(1).get(2)).put("bits", -4.31).put("ci_low", -4.5).put("ci_high", -4.1);
        ((ObjectNode) e.get(2).get(0)).put("bits", 2.5);
        JFreeChart chart = Charts.heatmapChart(summary(s));
        XYBlockRenderer r = assertInstanceOf(XYBlockRenderer.class, chart.getXYPlot().getRenderer());
        assertEquals(-4.4, r.getPaintScale().getLowerBound(), 1e-12);
        assertEquals(4.4, r.getPaintScale().getUpperBound(), 1e-12);
        PaintScaleLegend bar = null;
        for (int i = 0; i < chart.getSubtitleCount(); i++) {
            if (chart.getSubtitle(i) instanceof PaintScaleLegend p) bar = p;
        }
        assertTrue(bar != null, "a colour bar");
        assertEquals(-4.4, bar.getAxis().getLowerBound(), 1e-12);
        assertEquals(4.4, bar.getAxis().getUpperBound(), 1e-12);
        // small effects get a small scale: every |E| of the synthetic run is below 0.5
        ObjectNode small = Runs.complete(3, 4, false);
        double max = 0;
        for (var row : small.get("E")) for (var c : row) max = Math.max(max, Math.abs(c.get("bits").asDouble()));
        var scale = ((XYBlockRenderer) Charts.heatmapChart(summary(small)).getXYPlot().getRenderer()).getPaintScale();
        assertEquals(Charts.fitted(max), scale.getUpperBound(), 1e-12);
        assertEquals(-scale.getUpperBound(), scale.getLowerBound(), 0);
        assertTrue(scale.getUpperBound() < 1, "fitted, not fixed: " + scale.getUpperBound());
    }

    /** Both terms carry their intervals as error bars (issue 25: the macro/micro chart had none). */
    @Test
    void macroMicroChartCarriesIntervals() {
        ObjectNode s = Runs.complete(3, 4, false);
        ArrayNode el = (ArrayNode) s.get("E_layer");
        for (int l = 0; l < 3; l++) {
            ObjectNode x = (ObjectNode) el.get(l);
            double ma = x.get("macro_bits").asDouble(), mi = x.get("micro_mean_bits").asDouble();
            x.put("macro_ci_low", ma - 0.1 - l).put("macro_ci_high", ma + 0.2);
            x.put("micro_ci_low", mi - 0.3).put("micro_ci_high", mi + 0.4 + l);
        }
        RunSummary sum = summary(s);
        XYPlot plot = Charts.macroMicroChart(sum).getXYPlot();
        assertInstanceOf(XYErrorRenderer.class, plot.getRenderer());
        IntervalXYDataset d = assertInstanceOf(IntervalXYDataset.class, plot.getDataset());
        assertEquals(2, d.getSeriesCount(), "macro and micro");
        for (int l = 0; l < 3; l++) {
            RunSummary.LayerE x = sum.results().eLayer()[l];
            assertTrue(x.macro().hasInterval() && x.micro().hasInterval(), "the summary read the terms' intervals");
            assertEquals(x.macro().plotLow(), d.getStartYValue(0, l), 1e-12);
            assertEquals(x.macro().plotHigh(), d.getEndYValue(0, l), 1e-12);
            assertEquals(x.micro().plotLow(), d.getStartYValue(1, l), 1e-12);
            assertEquals(x.micro().plotHigh(), d.getEndYValue(1, l), 1e-12);
            assertTrue(d.getEndYValue(1, l) - d.getStartYValue(1, l) > 0.5, "a real bar, not a point");
        }
    }

    /** Layer axes are counts: the smallest tick step is 1 (a standard axis would step 0.5 or 0.25 over 2 layers). */
    @Test
    void layerAxesTickAtIntegersOnly() {
        RunSummary s = summary(Runs.complete(2, 3, false));
        for (JFreeChart c : List.of(Charts.eLayerChart(s), Charts.macroMicroChart(s))) {
            NumberAxis x = assertInstanceOf(NumberAxis.class, c.getXYPlot().getDomainAxis());
            assertEquals(1.0, x.getStandardTickUnits().getCeilingTickUnit(0.2).getSize(), 0, c.getTitle().getText());
        }
        NumberAxis y = assertInstanceOf(NumberAxis.class, Charts.heatmapChart(s).getXYPlot().getRangeAxis());
        assertEquals(1.0, y.getStandardTickUnits().getCeilingTickUnit(0.2).getSize(), 0, "heat map layers");
    }
}
