package org.emergence.ie;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.emergence.Cli;
import org.emergence.TestFiles;
import org.emergence.common.UserError;
import org.emergence.ie.RunSummary.LayerE;
import org.emergence.ie.RunSummary.Val;
import org.junit.jupiter.api.Test;

/**
 * summary.json read into {@link RunSummary}: every value of a real (relative, causal) run lands in its typed place,
 * a partial or older summary reads with its gaps as missing, and a malformed one is one error naming the file.
 */
class RunSummaryTest {

    private static void same(JsonNode v, Val x, String what) {
        if (v.path("bits").isNull()) {
            assertFalse(x.present(), what + ": not estimated");
            assertTrue(Double.isNaN(x.ciLow()) && x.spread() == null, what);
            return;
        }
        assertEquals(v.path("bits").asDouble(), x.bits(), 0, what);
        assertEquals(v.path("ci_low").asDouble(), x.ciLow(), 0, what);
        assertEquals(v.path("ci_high").asDouble(), x.ciHigh(), 0, what);
        assertEquals(v.path("se").asDouble(Double.NaN), x.se(), 0, what);
        assertEquals(v.path("interval").asText(null), x.interval(), what);
        assertEquals(v.path("leave_out").size(), x.groups(), what);
    }

    @Test
    void aRealRunReadsIntoItsTypedPlaces() throws Exception {
        Path run = TestFiles.tempDir("run-summary-tinylm");
        Cli.run("run", "--model", "tinylm", "--n", "48", "--layers", "2,3", "--null-twins", "2", "--quiet", "--out", run.toString())
                .assertOk();
        JsonNode s = RunTest.summary(run);
        RunSummary r = RunSummaryJson.read(run.resolve("summary.json"));
        assertEquals(run.resolve("summary.json"), r.file());
        assertTrue(r.complete());
        assertEquals("tinylm", r.model().name());
        assertTrue(r.causal());
        assertEquals(48L, r.dataset().n());
        assertEquals(s.path("dataset").path("spec").asText(), r.dataset().spec());
        assertArrayEquals(new int[] {2, 3}, r.layers());
        int np = s.path("positions").size();
        assertEquals(np, r.positions().length);
        assertEquals(s.path("measurement").asText(), r.method().measurement());
        assertEquals(s.path("interval_method").asText(), r.method().intervalMethod());
        assertEquals(s.path("settings").path("estimator").asText(), r.settings().estimator());
        assertEquals(s.path("settings").path("seed").asLong(), r.settings().seed());
        assertEquals(s.path("terms").path("micro_short").asText(), r.method().terms().microShort());
        for (int p = 0; p < np; p++) {
            assertEquals(s.path("constant_positions").get(p).asBoolean(), r.axes().constant()[p]);
            assertEquals(s.path("position_labels").get(p).asText(), r.axes().labels()[p]);
            assertEquals(s.path("position_tokens").get(p).asText(null), r.axes().tokens()[p]);
        }
        for (int li = 0; li < 2; li++) {
            for (int p = 0; p < np; p++) {
                same(s.path("E").get(li).get(p), r.results().e()[li][p], "E");
                same(s.path("E_raw").get(li).get(p), r.relative().eRaw()[li][p], "E_raw");
                same(s.path("E_context").get(li).get(p), r.context().e()[li][p], "E_context");
                JsonNode cell = s.path("macro").get(li).get(p);
                Val m = r.results().macro()[li][p];
                assertEquals(cell.path("bits").asDouble(), m.bits(), 0);
                assertEquals(cell.path("estimator").asText(), m.estimator());
                assertEquals(cell.path("mode").asText(), m.mode());
            }
            JsonNode el = s.path("E_layer").get(li);
            LayerE x = r.results().eLayer()[li];
            assertEquals(el.path("layer").asInt(), x.layer());
            same(el, x.e(), "E_layer");
            assertEquals(el.path("macro_bits").asDouble(), x.macroBits(), 0);
            assertEquals(el.path("macro_ci_low").asDouble(), x.macro().ciLow(), 0);
            assertEquals(el.path("micro_se").asDouble(), x.micro().se(), 0);
            assertEquals(el.path("raw_bits").asDouble(), x.raw().bits(), 0);
            assertEquals(el.path("leave_out").size(), x.macro().groups(), "a term has E(l)'s groups");
            assertEquals(el.path("constant_positions_bits").asDouble(), x.e().split().constantBits(), 0);
        }
        for (int p = 0; p < np; p++) same(s.path("IE_t").get(p), r.results().ieT()[p], "IE_t");
        JsonNode ie = s.path("IE");
        same(ie, r.ie(), "IE");
        assertEquals(ie.path("twin_seed_se").asDouble(), r.ie().spread().twinSeedSe(), 0);
        assertEquals(ie.path("t_quantile").asDouble(), r.ie().spread().tQuantile(), 0);
        assertEquals(ie.path("n_convergence").path("half").asDouble(), r.ie().spread().nConvergence().half(), 0);
        assertEquals(ie.path("finite_n_shift").asDouble(), r.ie().spread().finiteNShift(), 0);
        assertEquals(ie.path("leave_out").get(3).asDouble(), r.ie().estimated().leaveOut()[3], 0);
        assertEquals(ie.path("varying_positions_bits").asDouble(), r.ie().split().varyingBits(), 0);
        JsonNode nul = s.path("null");
        assertEquals(2, r.relative().twins());
        assertEquals(nul.path("seeds").get(1).asLong(), r.relative().seeds()[1]);
        same(nul.path("IE_raw"), r.relative().ieRaw(), "IE_raw");
        assertEquals(nul.path("IE_twins_mean_bits").asDouble(), r.relative().twinsMeanBits(), 0);
        assertEquals(nul.path("IE_twins").get(1).path("seed").asLong(), r.relative().perTwin().get(1).seed());
        assertEquals(nul.path("IE_twins").get(1).path("E_layer_bits").get(1).asDouble(), r.relative().perTwin().get(1).eLayerBits()[1], 0);
        same(s.path("IE_context"), r.context().ie(), "IE_context");
        assertEquals(s.path("warnings").size(), r.warnings().size());
        assertEquals(s.path("timing").path("total_seconds").asDouble(), r.timing().totalSeconds(), 0);
        assertEquals(s.path("timing").path("estimates_computed").asInt(), r.timing().estimatesComputed());

        // a value written back is the summary's own, byte for byte (what validate.json and study.json record of a run's IE)
        assertEquals(ie.toString(), RunSummaryWriter.json(r.ie()).toString(), "IE");
        assertEquals(nul.path("IE_raw").toString(), RunSummaryWriter.json(r.relative().ieRaw()).toString(), "IE_raw");
        assertEquals(s.path("IE_context").toString(), RunSummaryWriter.json(r.context().ie()).toString(), "IE_context");
        for (int p = 0; p < np; p++) {
            com.fasterxml.jackson.databind.node.ObjectNode iet = s.path("IE_t").get(p).deepCopy();
            iet.remove("position");
            assertEquals(iet.toString(), RunSummaryWriter.json(r.results().ieT()[p]).toString(), "IE_t");
            assertEquals(s.path("E").get(1).get(p).toString(), RunSummaryWriter.json(r.results().e()[1][p]).toString(), "E");
            assertEquals(s.path("micro").get(1).get(p).toString(), RunSummaryWriter.json(r.results().micro()[1][p]).toString(), "micro cell");
        }

        // and the whole summary written back is the file, byte for byte: one record type for the writer and the readers
        assertEquals(Files.readString(run.resolve("summary.json")), RunDir.JSON.writeValueAsString(RunSummaryWriter.write(r)) + "\n");

        // the tree a run holds in memory reads the same as the file it writes
        RunSummary t = RunSummaryJson.of(s, "summary.json");
        assertNull(t.file());
        assertEquals(r.ie().bits(), t.ie().bits(), 0);
        assertArrayEquals(r.ie().spread().leaveOut(), t.ie().spread().leaveOut());
    }

    @Test
    void anEncoderRunWithoutTwinsWritesBackByteForByte() throws Exception {
        Path run = TestFiles.tempDir("run-summary-minilm");
        Cli.run("run", "--model", "minilm", "--null-twins", "0", "--n", "40", "--layers", "1,2", "--quiet", "--out", run.toString())
                .assertOk();
        RunSummary r = RunSummaryJson.read(run.resolve("summary.json"));
        assertFalse(r.causal());
        assertNull(r.relative(), "no twins: a raw run");
        assertNull(r.context(), "no context variant for an encoder");
        assertEquals(Files.readString(run.resolve("summary.json")), RunDir.JSON.writeValueAsString(RunSummaryWriter.write(r)) + "\n");
    }

    private static Path write(String name, String json) throws Exception {
        Path f = TestFiles.tempDir("run-summary-" + name).resolve("summary.json");
        Files.writeString(f, json);
        return f;
    }

    @Test
    void gapsReadAsMissing() throws Exception {
        Path f = write("gaps", """
                {"status": "partial", "model": {"name": "m"}, "dataset": {"n": null}, "layers": [1, 2], "positions": [0, 1, 2],
                 "E": [[{"bits": 0.5, "ci_low": null, "ci_high": "Infinity"}], null],
                 "E_layer": [{"layer": 2, "bits": null, "ci_low": null, "ci_high": null, "macro_bits": null}],
                 "IE_t": [{"position": 1, "bits": 0.25, "ci_low": 0.1, "ci_high": 0.4}],
                 "IE": {"bits": null, "ci_low": null, "ci_high": null}, "warnings": [null, "w"]}
                """);
        RunSummary r = RunSummaryJson.read(f);
        assertTrue(r.partial());
        assertFalse(r.causal(), "unknown is not causal");
        assertNull(r.dataset().n());
        assertEquals(0.5, r.results().e()[0][0].bits());
        assertTrue(Double.isNaN(r.results().e()[0][0].ciLow()));
        assertEquals(Double.POSITIVE_INFINITY, r.results().e()[0][0].ciHigh());
        assertFalse(r.results().e()[0][1].present(), "a short row: the rest is missing");
        assertFalse(r.results().e()[1][2].present(), "a null row");
        assertFalse(r.results().macro()[0][0].present(), "an absent matrix");
        assertEquals(1, r.results().eLayer()[0].layer());
        assertFalse(r.results().eLayer()[0].e().present(), "a layer E_layer does not list");
        assertFalse(r.results().eLayer()[1].macro().present());
        assertFalse(r.results().ieT()[0].present());
        assertEquals(0.25, r.results().ieT()[1].bits());
        assertFalse(r.ie().present());
        assertEquals(0, r.ie().groups());
        assertNull(r.ie().estimated().leaveOut());
        assertEquals(java.util.List.of("w"), r.warnings());
        assertNull(r.relative());
        assertNull(r.context());
        assertNull(r.method().terms());
        assertNull(r.axes().labels());
        assertNull(r.settings().all());
        assertEquals(-1, r.timing().estimatesReused());
    }

    private static String error(String name, String json) throws Exception {
        Path f = write(name, json);
        UserError e = assertThrows(UserError.class, () -> RunSummaryJson.read(f));
        assertTrue(e.getMessage().startsWith(f.toString()) || e.getMessage().contains(f.toString()), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void aMalformedSummaryIsOneErrorNamingTheFile() throws Exception {
        String ok = "\"status\": \"complete\", \"model\": {}, \"dataset\": {}, \"layers\": [0], \"positions\": [0]";
        assertTrue(error("json", "{\"status\": ").contains("not valid JSON"));
        assertTrue(error("empty", "").contains(": empty file"));
        assertTrue(error("status", "{\"status\": \"done\", \"model\": {}, \"dataset\": {}, \"layers\": [], \"positions\": []}")
                .contains("\"status\" must be"));
        assertTrue(error("layers", "{\"status\": \"complete\", \"model\": {}, \"dataset\": {}, \"layers\": [0, 0], \"positions\": []}")
                .contains("lists 0 twice"));
        assertTrue(error("rows", "{" + ok + ", \"E\": [[], []]}").contains("\"E\" has 2 rows"));
        assertTrue(error("bits", "{" + ok + ", \"IE\": {\"bits\": \"many\"}}").contains("\"IE.bits\" must be a number"));
        assertTrue(error("twins", "{" + ok + ", \"null\": {\"IE_twins\": 3}}").contains("\"null.IE_twins\" must be an array"));
        assertTrue(error("leave", "{" + ok + ", \"IE\": {\"bits\": 1, \"se\": 0.1, \"leave_out\": [1, {}]}}")
                .contains("\"IE.leave_out[1]\" must be a number"));
        assertTrue(error("labels", "{" + ok + ", \"position_labels\": [3]}").contains("\"position_labels\"[0] must be a string"));
        Path missing = TestFiles.tempDir("run-summary-none").resolve("summary.json");
        UserError e = assertThrows(UserError.class, () -> RunSummaryJson.read(missing));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        assertNotNull(RunSummaryJson.read(write("minimal", "{" + ok + "}")));
    }
}
