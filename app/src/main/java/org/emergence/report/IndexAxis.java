package org.emergence.report;

import java.awt.Font;
import java.util.Arrays;
import java.util.Locale;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.axis.ValueAxis;

/**
 * An axis over a list of layers or positions: a numeric axis at the values themselves when they
 * are consecutive, otherwise a symbol axis at their indices labelled with the values.
 */
record IndexAxis(ValueAxis axis, int[] values, boolean consecutive) {
    static IndexAxis of(String label, int[] values) {
        boolean consecutive = true;
        for (int i = 1; i < values.length; i++) consecutive &= values[i] == values[0] + i;
        ValueAxis axis;
        if (consecutive) {
            NumberAxis a = integerAxis(label);
            if (values.length > 0) a.setRange(values[0] - 0.5, values[values.length - 1] + 0.5);
            axis = a;
        } else {
            String[] labels = new String[values.length];
            for (int i = 0; i < values.length; i++) labels[i] = Integer.toString(values[i]);
            SymbolAxis a = new SymbolAxis(label, labels);
            a.setGridBandsVisible(false);
            a.setRange(-0.5, values.length - 0.5);
            axis = a;
        }
        axis.setAutoRange(false);
        if (values.length == 0) axis.setRange(-0.5, 0.5);
        return new IndexAxis(axis, values, consecutive);
    }

    /** A symbol axis at the values' indices with the given tick labels, vertical when there are many. */
    static IndexAxis labelled(String label, int[] values, String[] tickLabels) {
        SymbolAxis a = new SymbolAxis(label, tickLabels);
        a.setGridBandsVisible(false);
        a.setRange(-0.5, values.length - 0.5);
        a.setAutoRange(false);
        a.setVerticalTickLabels(values.length > 8);
        a.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        return new IndexAxis(a, values, false);
    }

    /** A numeric axis at the values themselves, half a unit beyond the first and last. */
    static NumberAxis numeric(String label, int[] values) {
        NumberAxis a = integerAxis(label);
        if (values.length > 0) {
            int lo = Arrays.stream(values).min().getAsInt(), hi = Arrays.stream(values).max().getAsInt();
            double pad = Math.max(0.5, (hi - lo) * 0.02);
            a.setRange(lo - pad, hi + pad);
        }
        return a;
    }

    double coordinate(int index) {
        return consecutive ? values[index] : index;
    }

    /** A numeric axis with integer ticks and a small margin at both ends. */
    static NumberAxis integerAxis(String label) {
        NumberAxis a = new NumberAxis(label);
        a.setStandardTickUnits(NumberAxis.createIntegerTickUnits(Locale.ROOT));
        a.setAutoRangeIncludesZero(false);
        a.setLowerMargin(0.04);
        a.setUpperMargin(0.04);
        return a;
    }
}
