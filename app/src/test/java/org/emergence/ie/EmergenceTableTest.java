package org.emergence.ie;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.emergence.Cli;
import org.emergence.TestFiles;
import org.junit.jupiter.api.Test;

/**
 * The run's tables read back: emergence.csv holds every E, E(l) (with its two terms), IE(t) and IE of summary.json
 * with its interval, one row each, under the documented columns; results.csv holds one row per MI, without the
 * constant settings and without the context rows that repeated the macro ones.
 */
class EmergenceTableTest {
    /** RFC 4180 rows: quoted fields may hold commas, quotes ("") and leading or trailing spaces. */
    static List<List<String>> readCsv(Path f) throws Exception {
        List<List<String>> rows = new ArrayList<>();
        String s = Files.readString(f);
        List<String> row = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < s.length() && s.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(cell.toString());
                cell.setLength(0);
            } else if (c == '\n') {
                row.add(cell.toString());
                cell.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
            } else {
                cell.append(c);
            }
        }
        return rows;
    }

    /** emergence.csv as key "quantity|layer|position" (a twin's rows: "…|seed") → the row as a column map. */
    static Map<String, Map<String, String>> table(Path run) throws Exception {
        List<List<String>> rows = readCsv(run.resolve("emergence.csv"));
        assertEquals(EmergenceTable.COLUMNS, rows.get(0), "the documented columns, in order");
        Map<String, Map<String, String>> out = new HashMap<>();
        for (List<String> r : rows.subList(1, rows.size())) {
            assertEquals(EmergenceTable.COLUMNS.size(), r.size(), r.toString());
            Map<String, String> m = new HashMap<>();
            for (int i = 0; i < r.size(); i++) m.put(EmergenceTable.COLUMNS.get(i), r.get(i));
            String twin = r.get(EmergenceTable.COLUMNS.indexOf("twin"));
            String key = r.get(0) + "|" + r.get(1) + "|" + r.get(2) + (twin.isEmpty() ? "" : "|" + twin);
            assertEquals(null, out.put(key, m), "one row per value: " + key);
        }
        return out;
    }

    private static void same(JsonNode v, Map<String, String> row, String what) {
        assertEquals(v.path("bits").asDouble(), Double.parseDouble(row.get("value")), 0, what);
        assertEquals(v.path("ci_low").asDouble(), Double.parseDouble(row.get("ci_low")), 0, what);
        assertEquals(v.path("ci_high").asDouble(), Double.parseDouble(row.get("ci_high")), 0, what);
        assertEquals(v.path("se").asDouble(), Double.parseDouble(row.get("se")), 0, what);
        assertEquals("jackknife", row.get("interval"), what);
        assertEquals("bits", row.get("unit"), what);
    }

    @Test
    void anEncoderRunsTablesReadBack() throws Exception {
        Path run = TestFiles.tempDir("tidy-minilm");
        Cli.run("run", "--model", "minilm", "--null-twins", "0", "--n", "40", "--layers", "1,2", "--quiet", "--out", run.toString()).assertOk();
        JsonNode s = RunTest.summary(run);
        Map<String, Map<String, String>> t = table(run);
        int layers = 2, positions = s.path("positions").size();
        assertEquals(layers * positions + 3 * layers + positions + 1, t.size(), "E, E_layer and its terms, IE_t, IE (no context rows for an encoder)");
        for (int li = 0; li < layers; li++) {
            int l = s.path("layers").get(li).asInt();
            for (int p = 0; p < positions; p++) {
                Map<String, String> row = t.get("E|" + l + "|" + p);
                same(s.path("E").get(li).get(p), row, "E l" + l + " t" + p);
                assertEquals("40", row.get("n"));
                assertEquals("20", row.get("groups"), "40 sequences: 20 groups of 2");
            }
            JsonNode el = s.path("E_layer").get(li);
            same(el, t.get("E_layer|" + l + "|"), "E_layer " + l);
            assertEquals(el.path("macro_bits").asDouble(), Double.parseDouble(t.get("E_layer_macro|" + l + "|").get("value")), 0);
            assertEquals(el.path("micro_mean_bits").asDouble(), Double.parseDouble(t.get("E_layer_micro|" + l + "|").get("value")), 0);
            double lo = Double.parseDouble(t.get("E_layer_macro|" + l + "|").get("ci_low"));
            assertTrue(lo < el.path("macro_bits").asDouble(), "the macro term carries an interval");
        }
        for (int p = 0; p < positions; p++) same(s.path("IE_t").get(p), t.get("IE_t||" + p), "IE_t " + p);
        same(s.path("IE"), t.get("IE||"), "IE");
        // tokens where every sequence holds the same one: [CLS] … [SEP] around "animal, animal, …"
        assertEquals("[CLS]", t.get("E|1|0").get("token"));
        assertEquals(",", t.get("E|1|2").get("token"));
        assertEquals("", t.get("E|1|1").get("token"), "an entity position varies");
        assertEquals("[SEP]", t.get("IE_t||" + (positions - 1)).get("token"));
        assertEquals("entity", s.path("position_labels").get(1).asText());

        List<List<String>> results = readCsv(run.resolve("results.csv"));
        List<String> header = results.get(0);
        assertEquals(List.of("layer", "position", "level", "token", "mi_bits", "ci_low", "ci_high", "interval", "groups", "estimator"),
                header.subList(0, 10));
        for (String gone : new String[] {"model", "dataset", "n", "mode", "interval_method"}) assertFalse(header.contains(gone), gone);
        assertEquals(1 + 2 * layers * positions, results.size(), "one row per macro and micro MI");
        for (List<String> r : results.subList(1, results.size())) assertTrue(r.get(2).equals("macro") || r.get(2).equals("micro"), r.toString());
    }

    @Test
    void aCausalRunAddsTheContextVariantAndReportRewritesTheTable() throws Exception {
        Path run = TestFiles.tempDir("tidy-tinylm");
        Cli.run("run", "--model", "tinylm", "--n", "48", "--layers", "3", "--quiet", "--out", run.toString()).assertOk();
        JsonNode s = RunTest.summary(run);
        Map<String, Map<String, String>> t = table(run);
        int positions = s.path("positions").size();
        assertEquals(s.path("IE_context").path("bits").asDouble(), Double.parseDouble(t.get("IE_context||").get("value")), 0);
        for (int p = 0; p < positions; p++) same(s.path("E_context").get(0).get(p), t.get("E_context|3|" + p), "E_context " + p);
        // relative to untrained twins (the default): the model's own values and each twin's are rows too
        JsonNode nul = s.path("null");
        assertTrue(nul.isObject(), "the default measurement is relative to untrained twins");
        same(nul.path("IE_raw"), t.get("IE_raw||"), "IE_raw");
        for (int p = 0; p < positions; p++) same(s.path("E_raw").get(0).get(p), t.get("E_raw|3|" + p), "E_raw " + p);
        assertEquals(s.path("E_layer").get(0).path("raw_bits").asDouble(), Double.parseDouble(t.get("E_layer_raw|3|").get("value")), 0);
        List<List<String>> rows = readCsv(run.resolve("emergence.csv"));
        int twinCol = EmergenceTable.COLUMNS.indexOf("twin"), valueCol = EmergenceTable.COLUMNS.indexOf("value");
        List<String> seeds = new ArrayList<>();
        for (List<String> r : rows) {
            if (r.get(0).equals("IE_twin")) {
                seeds.add(r.get(twinCol));
                JsonNode tw = nul.path("IE_twins").get(seeds.size() - 1);
                assertEquals(tw.path("seed").asText(), r.get(twinCol));
                assertEquals(tw.path("bits").asDouble(), Double.parseDouble(r.get(valueCol)), 0);
            }
        }
        assertEquals(nul.path("twins").asInt(), seeds.size(), "one IE_twin row per twin, named by its seed");
        assertEquals(nul.path("IE_twins_mean_bits").asDouble(), Double.parseDouble(t.get("IE_twins_mean||").get("value")), 0);
        assertEquals(Double.parseDouble(t.get("IE_raw||").get("value")) - Double.parseDouble(t.get("IE_twins_mean||").get("value")),
                Double.parseDouble(t.get("IE||").get("value")), 1e-9, "IE = the model's raw IE - the twins' mean");
        String before = Files.readString(run.resolve("emergence.csv"));
        Files.delete(run.resolve("emergence.csv"));
        Cli.run("report", run.toString()).assertOk();
        assertEquals(before, Files.readString(run.resolve("emergence.csv")), "report rebuilds the table from summary.json");
    }
}
