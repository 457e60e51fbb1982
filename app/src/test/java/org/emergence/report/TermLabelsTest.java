package org.emergence.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.emergence.Cli;
import org.emergence.TestFiles;
import org.jfree.chart.JFreeChart;
import org.junit.jupiter.api.Test;

/**
 * Issue 25, bug 2: a causal run's micro term is named for what is shown. Under matched pairing (the default)
 * E(l) subtracts MI_micro at T−1 only, and the CLI column, the report's table, the macro_micro.png legend and
 * "How to read" must say so (they said "mean MI_micro over positions i ≤ T−1"); under prefix pairing the mean
 * over i ≤ T−1 is what is shown, and named so.
 */
class TermLabelsTest {
    private static List<String> legend(Path run) {
        JFreeChart c = Charts.macroMicroChart(Report.readSummary(run));
        List<String> out = new ArrayList<>();
        var items = c.getPlot().getLegendItems();
        for (int i = 0; i < items.getItemCount(); i++) out.add(items.get(i).getLabel());
        return out;
    }

    @Test
    void matchedCausalRunNamesTheMicroTermAtTheLastPosition() throws Exception {
        Path run = TestFiles.tempDir("terms-matched");
        Cli r = Cli.run("run", "--model", "tinylm", "--n", "64", "--layers", "3", "--quiet", "--out", run.toString()).assertOk();
        JsonNode s = new ObjectMapper().readTree(run.resolve("summary.json").toFile());
        int t = s.path("dataset").path("t").asInt();
        double micro = s.path("E_layer").get(0).path("micro_mean_bits").asDouble();
        assertEquals(s.path("micro").get(0).get(t - 1).path("bits").asDouble(), micro, 1e-12, "the value shown is MI_micro(T−1)");
        assertTrue(r.out().contains("MI_micro(T-1)"), r.out());
        assertFalse(r.out().contains("mean MI_micro"), r.out());
        String page = Files.readString(run.resolve("report.html"));
        assertTrue(page.contains("MI_micro of the token at t = T−1 fed alone"), "the table names the term");
        assertFalse(page.contains("mean MI_micro over positions i"), "no prefix wording under matched pairing");
        assertTrue(page.contains("E(l, t) = MI_macro(l, t) − MI_micro(l, t)"), "How to read gives the matched formula");
        assertEquals(List.of("MI_macro at the last position t = T−1", "MI_micro of the token at t = T−1 fed alone"), legend(run));
    }

    @Test
    void prefixCausalRunNamesTheMeanOverThePrefix() throws Exception {
        Path run = TestFiles.tempDir("terms-prefix");
        Cli r = Cli.run("run", "--model", "tinylm", "--n", "64", "--layers", "3", "--pairing", "prefix", "--quiet", "--out",
                run.toString()).assertOk();
        JsonNode s = new ObjectMapper().readTree(run.resolve("summary.json").toFile());
        int t = s.path("dataset").path("t").asInt();
        double mean = 0;
        for (int i = 0; i < t; i++) mean += s.path("micro").get(0).get(i).path("bits").asDouble() / t;
        assertEquals(mean, s.path("E_layer").get(0).path("micro_mean_bits").asDouble(), 1e-9, "the value shown is the mean over i ≤ T−1");
        assertTrue(r.out().contains("MI_micro(avg<=T-1)"), r.out());
        assertEquals(List.of("MI_macro at the last position t = T−1", "mean MI_micro over positions i ≤ T−1"), legend(run));
        String page = Files.readString(run.resolve("report.html"));
        assertTrue(page.contains("over the positions i ≤ t (the paper&#39;s formula)"), "How to read gives the prefix formula");
    }
}
