package org.emergence.study;

import java.util.List;
import java.util.Map;

/**
 * What one chart of a study shows, as data: each kind says what to draw ({@link StudyKind#charts}) and the report
 * stage draws it (study.html and STUDY_DIR/charts/*.png). The kinds never touch a plotting library.
 */
public sealed interface StudyChart {
    /**
     * Series of points with 95% intervals over a numeric axis.
     *
     * @param series   by legend name, the points {x, y, interval low, interval high} (NaN bounds: no interval drawn)
     * @param logX     a logarithmic x axis (model sizes)
     * @param integerX the x values are counts (K): integer ticks only
     */
    record Series(String title, String xLabel, String yLabel, Map<String, List<double[]>> series, boolean logX, boolean integerX)
            implements StudyChart {}

    /** IE of every condition of the study with its 95% interval, one category per condition. */
    record PerCondition() implements StudyChart {}
}
