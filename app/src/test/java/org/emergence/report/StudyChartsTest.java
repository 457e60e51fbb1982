package org.emergence.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.emergence.study.StudyJson;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.junit.jupiter.api.Test;

/** Issue 25, item 5: study charts over K (a count of items) tick at integers only, never at 1.5 or 2.5. */
class StudyChartsTest {
    @Test
    void theKAxisOfAShotsStudyHasIntegerTicks() {
        ObjectNode s = new ObjectMapper().createObjectNode().put("kind", "shots");
        ArrayNode rows = s.putArray("by_shots");
        for (int k = 1; k <= 3; k++) {
            ObjectNode r = rows.addObject().put("series", "animal").put("shots", k).put("IE_mean_bits", 0.1 * k).put("IE_se_bits", 0.01)
                    .put("IE_sd_across_replicates", 0.02);
            r.putObject("next_token").put("error_rate", 0.5 / k).put("error_rate_ci_low", 0.4 / k).put("error_rate_ci_high", 0.6 / k);
        }
        Map<String, JFreeChart> charts = StudyCharts.chartObjects(StudyJson.of(s));
        assertEquals(java.util.Set.of("ie_shots.png", "ie_spread_shots.png", "errors_shots.png"), charts.keySet());
        for (var e : charts.entrySet()) {
            NumberAxis k = assertInstanceOf(NumberAxis.class, e.getValue().getXYPlot().getDomainAxis());
            assertTrue(k.getLabel().contains("(K)"), k.getLabel());
            // a standard axis over K = 1..3 would step 0.5 or 0.25; integer units never go below 1
            assertEquals(1.0, k.getStandardTickUnits().getCeilingTickUnit(0.2).getSize(), 0, e.getKey());
        }
    }
}
