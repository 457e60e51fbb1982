package org.emergence.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.emergence.Cli;
import org.emergence.TestFiles;
import org.emergence.WordTokenizer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Studies on tiny random models: structure of the outputs, resume without recomputation, refusals before any run. */
@Tag("slow")
class StudyTest {
    static Map<Path, FileTime> est(Path out) throws Exception {
        Map<Path, FileTime> m = new HashMap<>();
        try (Stream<Path> s = Files.walk(out.resolve("runs"))) {
            for (Path p : (Iterable<Path>) s.filter(p -> p.toString().contains("/est/"))::iterator) m.put(p, Files.getLastModifiedTime(p));
        }
        return m;
    }

    @Test
    void shotsOnACausalModelReadShortListsFromTheLongestAndResume() throws Exception {
        Path model = WordTokenizer.goldenWithTokenizer("gpt2", List.of());
        Path out = TestFiles.tempDir("study-shots").resolve("s");
        String[] args = {"study", "errors", "--model", model.toString(), "--categories", "animal,color", "--kmin", "1", "--kmax", "3",
            "--replicates", "2", "--n", "48", "--null-twins", "0", "--quiet", "--out", out.toString()};
        Cli r = Cli.run(args).assertOk();
        JsonNode s = new ObjectMapper().readTree(out.resolve("study.json").toFile());
        assertEquals("errors", s.path("kind").asText());
        // study.json is a typed record: its one serializer reads back what it wrote
        ObjectMapper om = new ObjectMapper();
        assertEquals(om.writeValueAsString(s), om.writeValueAsString(StudyJson.tree(StudyJson.read(out.resolve("study.json")))));
        assertEquals(2 * 3 * 2, s.path("conditions").size(), "categories × K × replicates");
        int derived = 0;
        for (JsonNode c : s.path("conditions")) if (c.has("read_from")) derived++;
        assertEquals(2 * 2 * 2, derived, "K = 1, 2 are prefixes of the K = 3 lists");
        try (Stream<Path> runs = Files.list(out.resolve("runs"))) {
            assertEquals(4, runs.count(), "only the longest lists are run");
        }
        assertEquals(2 * 3, s.path("by_shots").size());
        for (JsonNode row : s.path("by_shots")) {
            assertTrue(row.path("next_token").path("error_rate").isNumber(), row.toString());
            assertTrue(row.path("IE_sd_across_replicates").isNumber());
        }
        assertTrue(s.path("comparisons").size() >= 2 * 3);
        for (JsonNode c : s.path("comparisons")) {
            assertTrue(c.path("ci_low").asDouble() <= c.path("difference_bits").asDouble());
            if (c.path("label").asText().contains("K=2) − IE(K=1)")) assertTrue(c.path("method").asText().startsWith("paired"));
        }
        assertTrue(s.path("error_vs_ie_spread").path("pearson_r").isNumber() || s.path("error_vs_ie_spread").path("pearson_r").isNull());
        assertTrue(r.out().contains("animal/short: IE"), r.out());
        List<String> csv = Files.readAllLines(out.resolve("study.csv"));
        assertTrue(csv.get(0).startsWith("condition,category,variant,shots,replicate,n,n_note,layer,position,E_bits"), csv.get(0));
        String html = Files.readString(out.resolve("study.html"));
        assertTrue(html.contains("Verdicts") && html.contains("data:image/png;base64,") && !html.contains("http://") && !html.contains("https://"));
        assertTrue(Files.isRegularFile(out.resolve("charts/ie_shots.png")) && Files.isRegularFile(out.resolve("charts/errors_shots.png")));
        Map<Path, FileTime> before = est(out);
        Cli.run(args).assertOk();
        assertEquals(before, est(out), "a resumed study recomputes nothing");
    }

    /**
     * Issue 25, bug 1: an encoder's shots study measured K = 1 on its 40 distinct lists while every other K used
     * --n, and said nothing. Every condition is now at the same N: K below the first K with N distinct lists is left
     * out by default, loudly (stdout, study.json, study.html), and an explicit --kmin that cannot reach N is refused.
     */
    @Test
    void anEncodersShotsStudyMeasuresEveryKAtTheSameN() throws Exception {
        Path model = WordTokenizer.goldenWithTokenizer("bert", List.of());
        Path base = TestFiles.tempDir("study-shots-encoder");
        Path out = base.resolve("s");
        Cli r = Cli.run("study", "shots", "--model", model.toString(), "--kmax", "3", "--n", "60", "--out", out.toString()).assertOk();
        JsonNode s = new ObjectMapper().readTree(out.resolve("study.json").toFile());
        assertEquals(2, s.path("conditions").size(), "K = 2, 3: K = 1 has 40 lists, fewer than N = 60");
        for (JsonNode c : s.path("conditions")) {
            assertEquals(60, c.path("n").asInt(), c.path("name").asText());
            JsonNode sum = new ObjectMapper().readTree(Path.of(c.path("run_dir").asText()).resolve("summary.json").toFile());
            assertEquals(60, sum.path("dataset").path("n").asInt(), c.path("name").asText());
        }
        String note = "animal: K = 1 left out: only 40 distinct lists, fewer than N = 60";
        assertTrue(r.out().contains("note: " + note), r.out());
        assertTrue(s.path("notes").get(0).asText().startsWith(note), s.path("notes").toString());
        assertTrue(Files.readString(out.resolve("study.html")).contains(note), "study.html says so");
        for (String line : Files.readAllLines(out.resolve("study.csv")).subList(1, 5)) assertTrue(line.contains(",60,,"), line);
        Cli.run("study", "shots", "--model", model.toString(), "--kmin", "1", "--kmax", "3", "--n", "60", "--out",
                base.resolve("refused").toString()).assertUserError("K = 1 has only 40 distinct lists", "--kmin 2", "--n 40");
        assertFalse(Files.exists(base.resolve("refused").resolve("runs")), "refused before any run");
    }

    @Test
    void conditionsAtDifferentNAreNamed() {
        Map<String, Integer> n = new java.util.LinkedHashMap<>();
        n.put("animal-k1-r0", 39);
        n.put("animal-k2-r0", 1000);
        n.put("animal-k3-r0", 1000);
        String s = StudyNotes.unequalN(n);
        assertTrue(s.startsWith("NOT ALL CONDITIONS AT THE SAME N: animal-k1-r0 N = 39 (the others N = 1000)"), s);
        assertEquals("", StudyNotes.nNote(n, "animal-k2-r0"));
        assertTrue(StudyNotes.nNote(n, "animal-k1-r0").startsWith("N = 39, not the study's 1000"));
        n.put("animal-k1-r0", 1000);
        assertEquals(null, StudyNotes.unequalN(n));
    }

    /** σ of the block input and output that estimate f of a run was computed with. */
    static double[] sigmas(Path run, String f) throws Exception {
        JsonNode d = new ObjectMapper().readTree(run.resolve("est").resolve(f).toFile()).path("diagnostics");
        return new double[] {d.path("noise_sigma_x").asDouble(), d.path("noise_sigma_y").asDouble()};
    }

    @Test
    void textsAreMeasuredAtTheFirstSourcesNoiseScaleUnlessAskedOtherwise() throws Exception {
        Path gpt2 = WordTokenizer.goldenWithTokenizer("gpt2", List.of());
        Path out = TestFiles.tempDir("study-texts").resolve("s");
        String[] args = {"study", "texts", "--model", gpt2.toString(), "--source", "a=text:builtin", "--source", "b=text:builtin:shift=1",
            "--generator", "none", "--n", "40", "--text-tokens", "4", "--quiet", "--out", out.toString()};
        Cli.run(args).assertOk();
        JsonNode s = new ObjectMapper().readTree(out.resolve("study.json").toFile());
        assertEquals(6, s.path("conditions").size(), "two sources, each natural and two scrambles");
        assertTrue(s.path("plan").path("text_scale").asText().startsWith("shared"), s.path("plan").toString());
        Path runs = out.resolve("runs");
        assertFalse(new ObjectMapper().readTree(runs.resolve("a-r0/settings.json").toFile()).has("noise_reference_rms"));
        for (String c : new String[] {"a-within-r0", "a-position-r0", "b-r0", "b-within-r0", "b-position-r0"}) {
            assertTrue(new ObjectMapper().readTree(runs.resolve(c).resolve("settings.json").toFile()).has("noise_reference_rms"), c);
            for (int l = 0; l < 3; l++) {
                String f = String.format("macro_l%03d_t0001.json", l);
                double[] ref = sigmas(runs.resolve("a-r0"), f), got = sigmas(runs.resolve(c), f);
                assertEquals(ref[0], got[0], 1e-12 * ref[0], c + " " + f);
                assertEquals(ref[1], got[1], 1e-12 * ref[1], c + " " + f);
            }
        }
        Map<Path, FileTime> before = est(out);
        Cli.run(args).assertOk();
        assertEquals(before, est(out), "a resumed texts study recomputes nothing");

        Path own = TestFiles.tempDir("study-texts-own").resolve("s");
        Cli.run("study", "texts", "--model", gpt2.toString(), "--source", "a=text:builtin", "--generator", "none", "--n", "40",
                "--text-tokens", "4", "--text-scale", "own", "--quiet", "--out", own.toString()).assertOk();
        for (String c : new String[] {"a-r0", "a-within-r0", "a-position-r0"}) {
            assertFalse(new ObjectMapper().readTree(own.resolve("runs").resolve(c).resolve("settings.json").toFile()).has("noise_reference_rms"), c);
        }
        Cli.run("study", "texts", "--model", gpt2.toString(), "--text-scale", "both", "--out", own.toString())
                .assertUserError("--text-scale must be shared or own");
    }

    @Test
    void ablationsAndModelsCompareOnTheSameSequences() throws Exception {
        Path gpt2 = WordTokenizer.goldenWithTokenizer("gpt2", List.of()), llama = WordTokenizer.goldenWithTokenizer("llama", List.of());
        Path out = TestFiles.tempDir("study-ablate").resolve("s");
        Cli.run("study", "ablations", "--model", gpt2.toString(), "--dataset", "icl:animal:shots=3", "--n", "40", "--quiet", "--out",
                out.toString()).assertOk();
        JsonNode s = new ObjectMapper().readTree(out.resolve("study.json").toFile());
        assertEquals(5, s.path("conditions").size(), "none, untrained, attn-reinit, ln-zero, random inputs");
        for (JsonNode c : s.path("comparisons")) {
            boolean random = c.path("a").asText().equals("random-inputs");
            assertEquals(!random, c.path("method").asText().startsWith("paired"), c.toString());
        }
        Path out2 = TestFiles.tempDir("study-models").resolve("s");
        Cli.run("study", "models", "--model", gpt2.toString(), "--model", llama.toString(), "--dataset", "icl:animal:shots=3", "--n", "40",
                "--quiet", "--out", out2.toString()).assertOk();
        JsonNode m = new ObjectMapper().readTree(out2.resolve("study.json").toFile());
        assertEquals(2, m.path("conditions").size());
        assertTrue(m.path("by_relative_depth").size() == 6);
        assertTrue(Files.isRegularFile(out2.resolve("charts/ie_parameters.png")));
    }

    @Test
    void incompatibleStudiesAreRefusedBeforeAnyRun() throws Exception {
        Path gpt2 = WordTokenizer.goldenWithTokenizer("gpt2", List.of());
        Path base = TestFiles.tempDir("study-bad");
        Cli.run("study", "errors", "--model", "minilm", "--out", base.resolve("a").toString()).assertUserError("encoder");
        Cli.run("study", "shots", "--model", gpt2.toString(), "--categories", "animal,planets", "--out", base.resolve("b").toString())
                .assertUserError("unknown category 'planets'");
        // an unknown kind is refused with one line naming the known ones, never run as another kind
        Cli.run("study", "bogus", "--model", gpt2.toString(), "--out", base.resolve("f").toString())
                .assertUserError("study: unknown kind 'bogus' (kinds: shots, errors, texts, models, ablations)");
        Path unknown = Files.writeString(base.resolve("unknown.json"), "{\"kind\": \"bogus\"}");
        Cli.run("study", "--plan", unknown.toString(), "--model", gpt2.toString(), "--out", base.resolve("g").toString())
                .assertUserError("study: unknown kind 'bogus'");
        Path plan = Files.writeString(base.resolve("plan.json"), "{\"kind\": \"shots\", \"kmax\": 3, \"colour\": 1}");
        Cli.run("study", "--plan", plan.toString(), "--model", gpt2.toString(), "--out", base.resolve("c").toString())
                .assertUserError("unknown key 'colour'");
        Path broken = Files.writeString(base.resolve("broken.json"), "{\"kind\": \"shots\",, }");
        Cli.run("study", "--plan", broken.toString(), "--out", base.resolve("d").toString()).assertUserError("not valid JSON");
        Cli.run("study", "shots", "--model", gpt2.toString(), "--kmax", "35", "--n", "40", "--out", base.resolve("e").toString())
                .assertUserError("condition animal-k35-r0", "64 positions");
        for (String d : new String[] {"a", "b", "c", "d", "e", "f", "g"}) assertFalse(Files.exists(base.resolve(d).resolve("runs")), d);
    }

    /** A training series (checkpoints of one size) is drawn per condition: a size axis would put every point at one x. */
    @Test
    void checkpointsOfOneSizeAreChartedPerCondition() throws Exception {
        ObjectMapper om = new ObjectMapper();
        String cond = "{\"name\": \"%s\", \"labels\": {\"parameters\": \"%s\"}, \"IE\": {\"bits\": %s, \"ci_low\": 0.1, \"ci_high\": 2.0}}";
        JsonNode same = om.readTree("{\"kind\": \"models\", \"conditions\": [" + String.format(cond, "step0", "1000", "0.5") + ", "
                + String.format(cond, "step60", "1000", "1.5") + "]}");
        Map<String, byte[]> c = org.emergence.report.StudyReport.charts(StudyJson.of(same));
        assertTrue(c.containsKey("ie_conditions.png") && !c.containsKey("ie_parameters.png"), c.keySet().toString());
        JsonNode sizes = om.readTree("{\"kind\": \"models\", \"conditions\": [" + String.format(cond, "small", "1000", "0.5") + ", "
                + String.format(cond, "big", "4000", "1.5") + "]}");
        assertTrue(org.emergence.report.StudyReport.charts(StudyJson.of(sizes)).containsKey("ie_parameters.png"));
    }
}
