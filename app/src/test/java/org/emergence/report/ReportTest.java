package org.emergence.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ReportTest {
    private static final Pattern DATA_URI = Pattern.compile("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"");

    /** All four PNGs decode at their sizes, every one is embedded, no temp files are left. */
    private static String checkOutputs(Path run) throws IOException {
        Path html = run.resolve("report.html");
        assertTrue(Files.isRegularFile(html), "report.html");
        String page = Files.readString(html);
        for (String name : Report.CHART_FILES) {
            Path png = run.resolve("charts").resolve(name);
            assertTrue(Files.isRegularFile(png), name);
            byte[] bytes = Files.readAllBytes(png);
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(bytes));
            assertNotNull(img, name + " decodes");
            assertEquals(Charts.WIDTH, img.getWidth(), name);
            assertEquals(name.equals("e_heatmap.png") ? Charts.HEATMAP_HEIGHT : Charts.HEIGHT, img.getHeight(), name);
            assertTrue(page.contains("data:image/png;base64," + Base64.getEncoder().encodeToString(bytes)), name + " embedded");
        }
        Matcher m = DATA_URI.matcher(page);
        int n = 0;
        while (m.find()) {
            n++;
            assertNotNull(ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(m.group(1)))));
        }
        assertEquals(4, n, "data URIs");
        assertOffline(page);
        try (Stream<Path> files = Stream.concat(Files.list(run), Files.list(run.resolve("charts")))) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().contains(".tmp-")), "temp files left");
        }
        return page;
    }

    static void assertOffline(String page) {
        String lower = page.toLowerCase(Locale.ROOT);
        for (String bad : List.of("src=\"http", "href=\"http", "@import", "url(", "<script", "<link", "src=\"//", "href=\"//")) {
            assertFalse(lower.contains(bad), "page contains " + bad);
        }
    }

    /**
     * The validity box quotes the shipped control verdicts only for this model under the measurement they were run on:
     * a MiniLM report shows MiniLM's failures and never tinylm's (issue 25), another measurement or model gets a note.
     */
    @Test
    void validityBoxOnlyForThisModelAndMeasurement() throws IOException {
        ValidityVerdicts v = ValidityJson.load();
        assertNotNull(v, "validity.json ships with the tool");
        ValidityVerdicts.Verdict minilm = v.models().get(0), tinylm = v.models().get(1);
        ObjectNode s = Runs.complete(3, 6, false);
        s.put("measurement", minilm.measurement());
        String page = Files.readString(Report.build(Runs.dir("report-valid", s)));
        assertTrue(page.contains("Validity of this measurement on " + Pages.escape(minilm.model())), "validated model");
        for (String f : minilm.failed()) assertTrue(page.contains(Pages.escape(f)), f);
        assertFalse(page.contains(Pages.escape(tinylm.model())), "no other model's verdicts");
        for (String f : tinylm.failed()) assertFalse(page.contains(Pages.escape(f)), f);
        // tinylm under its own measurement: its box, by either of its names
        s.put("measurement", tinylm.measurement());
        ((ObjectNode) s.path("model")).put("name", "tinylm-6l");
        page = Files.readString(Report.build(Runs.dir("report-valid-tinylm", s)));
        assertTrue(page.contains("Validity of this measurement on " + Pages.escape(tinylm.model())));
        assertFalse(page.contains(Pages.escape(minilm.model())));
        // the same measurement on a model that was not validated, and another measurement
        ((ObjectNode) s.path("model")).put("name", "/models/my-gpt2");
        page = Files.readString(Report.build(Runs.dir("report-other-model", s)));
        assertTrue(page.contains("Validity not established for this model and measurement"));
        ((ObjectNode) s.path("model")).put("name", "minilm");
        s.put("measurement", "mixture, σ = 4 × variable RMS, micro at position 0, prefix pairing, all positions");
        page = Files.readString(Report.build(Runs.dir("report-unvalidated", s)));
        assertTrue(page.contains("Validity not established for this model and measurement"), "other measurement");
        assertFalse(page.contains("Validity of this measurement"));
        // the default measurement of this release (relative to twins) on tinylm has its own entry
        ValidityVerdicts.Verdict now = v.models().get(2);
        assertTrue(now.measurement().endsWith("relative to 2 untrained twins"), now.toString());
        s.put("measurement", now.measurement());
        ((ObjectNode) s.path("model")).put("name", "tinylm");
        page = Files.readString(Report.build(Runs.dir("report-valid-twins", s)));
        assertTrue(page.contains("Validity of this measurement on " + Pages.escape(now.model())));
        // the serializer keeps every field of the shipped file
        assertEquals(v, ValidityJson.read(new ByteArrayInputStream(ValidityJson.write(v).getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        assertTrue(now.total() >= now.passed() && now.passed() > 0 && !v.note().isEmpty() && v.measurements().size() >= 3, now.toString());
    }

    /** A relative run's report names the zero it is measured from: the model's raw IE and each twin's. */
    @Test
    void relativeRunShowsItsRawIeAndTwins() throws IOException {
        ObjectNode s = Runs.complete(3, 6, false);
        ObjectNode n = s.putObject("null");
        n.put("twins", 2);
        n.putObject("IE_raw").put("bits", 1.234).put("ci_low", 1.2).put("ci_high", 1.268);
        n.putArray("IE_twins").addObject().put("bits", 0.456).put("seed", 17L);
        ((com.fasterxml.jackson.databind.node.ArrayNode) n.get("IE_twins")).addObject().put("bits", 0.5).put("seed", 18L);
        n.put("IE_twins_mean_bits", 0.478);
        String page = Files.readString(Report.build(Runs.dir("report-relative", s)));
        assertTrue(page.contains("Relative to 2 untrained twins"), "the null model is named");
        assertTrue(page.contains("1.234") && page.contains("0.478") && page.contains("seed 17") && page.contains("seed 18"), "raw IE and twins");
        // a raw run has no such line
        page = Files.readString(Report.build(Runs.dir("report-raw", Runs.complete(3, 6, false))));
        assertFalse(page.contains("untrained twins (the same architecture"));
    }

    @Test
    void completeRun() throws IOException {
        ObjectNode s = Runs.complete(6, 16, false);
        Path run = Runs.dir("report-complete", s);
        Path html = Report.build(run);
        assertEquals(run.resolve("report.html"), html);
        String page = checkOutputs(run);
        String ie = String.format(Locale.ROOT, "%.3f", s.get("IE").get("bits").asDouble());
        assertTrue(page.contains("IE = <b>" + ie.replace("-", "&minus;") + "</b> bits"), "headline IE " + ie);
        assertFalse(page.contains("http://") || page.contains("https://"), "no web addresses at all");
        assertTrue(page.contains("minilm") && page.contains("icl:animal") && page.contains("2000"));
        assertTrue(page.contains("gaussian-copula") && page.contains("combined in quadrature"));
        assertTrue(page.contains("How to read this report"));
        assertTrue(page.contains("about saturation"), "saturation warning flagged");
        assertTrue(page.contains("1.0 min") || page.contains("60.1 s"), "timing");
        assertFalse(page.contains("Partial run"));
        assertFalse(page.contains("Mixed modes"));
        // one table row per layer
        for (int l = 0; l < 6; l++) assertTrue(page.contains("<tr><td class=\"num\">" + l + "</td>"), "layer row " + l);
    }

    @Test
    void sameInputSameBytes() throws IOException {
        Path run = Runs.dir("report-determinism", Runs.complete(4, 8, true));
        Report.build(run);
        byte[] html1 = Files.readAllBytes(run.resolve("report.html"));
        byte[] heat1 = Files.readAllBytes(run.resolve("charts/e_heatmap.png"));
        Report.build(run);
        assertArrayEquals(html1, Files.readAllBytes(run.resolve("report.html")));
        assertArrayEquals(heat1, Files.readAllBytes(run.resolve("charts/e_heatmap.png")));
    }

    @Test
    void textFromJsonIsEscaped() throws IOException {
        ObjectNode s = Runs.complete(3, 4, true);
        ((ObjectNode) s.get("dataset")).put("spec", "<script>alert('x')</script>").put("description", "a \"quoted\" & <b>bold</b>");
        ((ObjectNode) s.get("model")).put("name", "<img src=x onerror=alert(1)>");
        ((ArrayNode) s.get("warnings")).add("</li><script>evil()</script>");
        ((ObjectNode) s.get("settings")).put("note<i>", "<iframe src=\"https://example.com\">");
        ((ObjectNode) s.get("modes")).put("mixed", true).put("note", "<style>body{display:none}</style>");
        Path run = Runs.dir("report-escape", s);
        Report.build(run);
        String page = checkOutputs(run);
        String lower = page.toLowerCase(Locale.ROOT);
        assertFalse(lower.contains("<script"), "script tag");
        assertFalse(lower.contains("<img src=x"), "img tag");
        assertFalse(lower.contains("<iframe"), "iframe tag");
        assertFalse(lower.contains("<style>body"), "style tag");
        assertFalse(page.contains("<b>bold</b>"));
        assertTrue(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
        assertTrue(page.contains("&lt;img src=x onerror=alert(1)&gt;"));
        assertTrue(page.contains("a &quot;quoted&quot; &amp; &lt;b&gt;bold&lt;/b&gt;"));
        assertTrue(page.contains("Mixed modes"), "mixed modes flagged");
    }

    @Test
    void partialRunWithNulls() throws IOException {
        ObjectNode s = Runs.complete(6, 8, true);
        s.put("status", "partial");
        // E: rows 0-2 only, with some null cells and a short row
        ArrayNode e = (ArrayNode) s.get("E");
        while (e.size() > 3) e.remove(e.size() - 1);
        ((ArrayNode) e.get(1)).set(2, NullNode.instance);
        ((ObjectNode) e.get(0).get(3)).putNull("bits");
        ArrayNode shortRow = (ArrayNode) e.get(2);
        while (shortRow.size() > 5) shortRow.remove(shortRow.size() - 1);
        // micro: not estimated at all; macro: only layer 0
        s.putArray("micro");
        ArrayNode macro = (ArrayNode) s.get("macro");
        while (macro.size() > 1) macro.remove(macro.size() - 1);
        s.remove("context");
        // E_layer: layers 0 and 2 only, layer 2 without interval
        ArrayNode el = (ArrayNode) s.get("E_layer");
        ObjectNode l0 = (ObjectNode) el.get(0), l2 = (ObjectNode) el.get(2);
        l2.putNull("ci_low").putNull("ci_high").putNull("micro_mean_bits");
        el.removeAll();
        el.add(l0).add(l2);
        // IE_t: a gap in the middle and an isolated point
        ArrayNode iet = (ArrayNode) s.get("IE_t");
        ((ObjectNode) iet.get(3)).putNull("bits");
        ((ObjectNode) iet.get(5)).putNull("bits");
        s.putNull("IE");
        s.putNull("timing");
        Path run = Runs.dir("report-partial", s);
        Report.build(run);
        String page = checkOutputs(run);
        assertTrue(page.contains("Partial run"));
        assertTrue(page.contains("IE: <span class=\"missing\">not estimated yet</span>"));
        assertTrue(page.contains("E(l) for layers 1, 3–5"), "missing layers listed");
        assertTrue(page.contains("IE(t) for positions 3, 5"), "missing positions listed");
        assertTrue(page.contains("MI_micro(l, i): 48 of 48 values"));
        assertTrue(page.contains("IE (the headline value)"));
    }

    @Test
    void emptyPartialRun() throws IOException {
        ObjectNode s = Runs.JSON.createObjectNode();
        s.put("status", "partial");
        s.putObject("model").put("name", "gpt2");
        s.putObject("dataset").put("spec", "icl:animal");
        s.putArray("layers");
        s.putArray("positions");
        s.putArray("E");
        s.putArray("E_layer");
        Path run = Runs.dir("report-empty", s);
        Report.build(run);
        String page = checkOutputs(run);
        assertTrue(page.contains("no layers measured yet"));
    }

    @Test
    void layersButNothingEstimated() throws IOException {
        ObjectNode s = Runs.complete(4, 6, false);
        s.put("status", "partial");
        for (String k : List.of("macro", "micro", "context", "E", "E_layer", "IE_t")) s.remove(k);
        s.putNull("IE");
        Path run = Runs.dir("report-none", s);
        Report.build(run);
        checkOutputs(run);
    }

    @Test
    void nonFiniteValuesDoNotCrash() throws IOException {
        ObjectNode s = Runs.complete(4, 6, true);
        ArrayNode e = (ArrayNode) s.get("E");
        ((ObjectNode) e.get(0).get(0)).put("bits", "NaN");
        ((ObjectNode) e.get(1).get(1)).put("bits", "Infinity").put("ci_high", "Infinity");
        ((ObjectNode) e.get(2).get(2)).put("ci_low", 99.0).put("ci_high", -99.0);
        ((ObjectNode) e.get(3).get(3)).put("bits", 1.7e308);
        ((ObjectNode) e.get(3).get(4)).put("bits", -1.7e308).put("ci_low", -Double.MAX_VALUE);
        ((ObjectNode) s.get("E_layer").get(2)).put("bits", 1.7e308).put("ci_high", Double.MAX_VALUE);
        ((ObjectNode) s.get("E_layer").get(3)).put("micro_mean_bits", -1.7e308);
        ((ObjectNode) s.get("IE_t").get(2)).put("ci_low", -Double.MAX_VALUE).put("ci_high", Double.MAX_VALUE);
        ArrayNode el = (ArrayNode) s.get("E_layer");
        ((ObjectNode) el.get(1)).put("bits", "-Infinity").put("macro_bits", "Infinity");
        ((ObjectNode) s.get("IE")).put("ci_low", "NaN");
        ((ObjectNode) s.get("IE_t").get(0)).put("bits", "-Infinity");
        Path run = Runs.dir("report-nonfinite", s);
        Report.build(run);
        String page = checkOutputs(run);
        assertTrue(page.contains("&minus;&infin;"));
        assertFalse(page.contains("could not be drawn"));
    }

    @Test
    void nanTokensAreAccepted() throws IOException {
        String text = Runs.JSON.writeValueAsString(Runs.complete(2, 3, true))
                .replaceFirst("\"bits\":[-0-9.eE]+", "\"bits\":NaN");
        Path run = Runs.dir("report-nantoken", text);
        Report.build(run);
        checkOutputs(run);
    }

    @Test
    void nonConsecutiveLayersAndPositions() throws IOException {
        ObjectNode s = Runs.complete(3, 2, true);
        ArrayNode ls = s.putArray("layers");
        ls.add(0).add(5).add(11);
        int k = 0;
        for (int l : new int[] {0, 5, 11}) ((ObjectNode) s.get("E_layer").get(k++)).put("layer", l);
        ArrayNode ps = s.putArray("positions");
        ps.add(0).add(7);
        ((ObjectNode) s.get("IE_t").get(1)).put("position", 7);
        Path run = Runs.dir("report-sparse", s);
        Report.build(run);
        String page = checkOutputs(run);
        assertTrue(page.contains("Layers measured: 0, 5, 11"));
    }

    @Test
    void largeRun() throws IOException {
        Path run = Runs.dir("report-large", Runs.complete(36, 256, true));
        Report.build(run);
        checkOutputs(run);
    }

    @Test
    void rebuildReplacesAnEarlierReport() throws IOException {
        ObjectNode s = Runs.complete(3, 4, true);
        s.put("status", "partial");
        s.putNull("IE");
        Path run = Runs.dir("report-rebuild", s);
        Report.build(run);
        assertTrue(Files.readString(run.resolve("report.html")).contains("Partial run"));
        Files.writeString(run.resolve("summary.json"), Runs.JSON.writeValueAsString(Runs.complete(3, 4, true)));
        Files.writeString(run.resolve("results.csv"), "model,dataset\n");
        Report.build(run);
        String page = checkOutputs(run);
        assertFalse(page.contains("Partial run"));
        assertTrue(page.contains("<a href=\"results.csv\">results.csv</a>"));
    }

    @Test
    void differentMacroAndMicroModesAreFlagged() throws IOException {
        ObjectNode s = Runs.complete(2, 3, true);
        ((ObjectNode) s.get("micro").get(1).get(0)).put("estimator", "discrete-exact").put("mode", "discrete");
        Path run = Runs.dir("report-detected-mix", s);
        Report.build(run);
        String page = checkOutputs(run);
        assertTrue(page.contains("Check the modes"));
        assertFalse(page.contains("Mixed modes"));
        assertTrue(page.contains("<code>discrete-exact</code>"));
    }

    @Test
    void aChartThatCannotBeDrawnIsExplained() throws IOException {
        Path run = Runs.dir("report-nochart", Runs.complete(2, 3, false));
        org.emergence.ie.RunSummary s = Report.readSummary(run);
        String page = Html.render(s, List.of(new Html.Chart("e_layer.png", "Emergence per layer E(l)", "alt", "caption",
                null, 900, 500, "AWTError: <no fonts>")), java.util.Map.of("summary.json", true));
        assertTrue(page.contains("the chart could not be drawn (AWTError: &lt;no fonts&gt;)"));
        assertFalse(page.contains("data:image/png"));
        assertOffline(page);
    }

    @Test
    void rangesAndNumbers() {
        assertEquals("0–3, 7, 9, 10", HtmlFormat.ranges(new int[] {0, 1, 2, 3, 7, 9, 10}));
        assertEquals("none", HtmlFormat.ranges(new int[0]));
        assertEquals("&minus;0.125", HtmlFormat.bits(-0.125));
        assertEquals("0.000", HtmlFormat.bits(-0.0001));
        assertEquals("1.700e+308", HtmlFormat.bits(1.7e308));
        assertEquals(4.4, Charts.fitted(4.31), 1e-12);
        assertEquals(0.32, Charts.fitted(0.312), 1e-12);
        assertEquals(4.3, Charts.fitted(4.3), 1e-12);
        assertEquals(1, Charts.fitted(0));
    }
}
