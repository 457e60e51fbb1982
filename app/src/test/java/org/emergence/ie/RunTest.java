package org.emergence.ie;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.emergence.Cli;
import org.emergence.TestFiles;
import org.emergence.WordTokenizer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** End-to-end runs on golden tiny models with ICL lists: structure, sanity, and the issue-7 policy. */
@Tag("slow")
class RunTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode summary(Path run) throws Exception {
        return JSON.readTree(run.resolve("summary.json").toFile());
    }

    @Test
    void gaussianRunOnAGoldenDecoderHasTheFullStructure() throws Exception {
        Path model = WordTokenizer.goldenWithTokenizer("gpt2", List.of());
        Path run = TestFiles.tempDir("run-gpt2");
        Cli r = Cli.run("run", "--model", model.toString(), "--dataset", "icl:animal:shots=4", "--n", "300",
                "--estimator", "gaussian", "--pairing", "prefix", "--null-twins", "0", "--noise-scales", "1", "--quiet", "--out",
                run.toString()).assertOk();
        JsonNode s = summary(run);
        assertEquals("complete", s.get("status").asText());
        int t = s.path("dataset").path("t").asInt();
        assertEquals(8, t); // 4 animals, each followed by a comma
        assertEquals(3, s.get("E").size());
        for (String key : new String[] {"macro", "micro", "context", "E", "E_context"}) {
            for (JsonNode row : s.get(key)) {
                assertEquals(t, row.size());
                for (JsonNode c : row) {
                    assertTrue(c.get("bits").isNumber(), key + " has a value everywhere");
                    assertTrue(Double.isFinite(c.get("bits").asDouble()));
                    assertTrue(c.get("ci_low").asDouble() <= c.get("bits").asDouble() + 1e-9);
                    assertTrue(c.get("ci_high").asDouble() >= c.get("bits").asDouble() - 1e-9);
                }
            }
        }
        assertTrue(s.path("IE").path("bits").isNumber());
        assertEquals(t, s.get("IE_t").size());
        // E(l) is E(l, T−1) for a causal model
        for (int l = 0; l < 3; l++) {
            assertEquals(s.get("E").get(l).get(t - 1).get("bits").asDouble(), s.get("E_layer").get(l).get("bits").asDouble(), 1e-12);
        }
        // E(l, t) = macro(l, t) − mean_{i ≤ t} micro(l, i)
        for (int l = 0; l < 3; l++) {
            for (int p = 0; p < t; p++) {
                double mean = 0;
                for (int i = 0; i <= p; i++) mean += s.get("micro").get(l).get(i).get("bits").asDouble() / (p + 1);
                assertEquals(s.get("macro").get(l).get(p).get("bits").asDouble() - mean, s.get("E").get(l).get(p).get("bits").asDouble(), 1e-9);
            }
        }
        List<String> csv = Files.readAllLines(run.resolve("results.csv"));
        assertTrue(csv.get(0).startsWith("layer,position,level,token,mi_bits,ci_low,ci_high,interval,groups,estimator,"), csv.get(0));
        assertTrue(csv.get(0).contains("distinct_x") && csv.get(0).contains("rank_x") && csv.get(0).contains("max_duplicate_fraction"));
        assertEquals(1 + 3 * 2 * t, csv.size(), "macro and micro rows for every layer and position (context = macro, not repeated)");
        assertTrue(r.out().contains("IE = "), r.out());
        assertTrue(Files.isRegularFile(run.resolve("tokens.npy")));
        assertTrue(Files.isRegularFile(run.resolve("report.html")));
        for (String c : new String[] {"e_layer.png", "e_heatmap.png", "macro_micro.png", "ie_position.png"}) {
            assertTrue(Files.isRegularFile(run.resolve("charts").resolve(c)), c);
        }
        assertTrue(r.out().contains("report.html"), r.out());
        assertFalse(Files.exists(run.resolve("acts")), "spilled activations are removed after a run");
    }

    @Test
    void rawModeMicroMisEqualTheTokenEntropy() throws Exception {
        // a token fed alone is a deterministic function of the token: micro MI = H(token at i), exactly
        Path model = WordTokenizer.goldenWithTokenizer("llama", List.of());
        Path run = TestFiles.tempDir("run-raw");
        Cli.run("run", "--model", model.toString(), "--dataset", "icl:color:shots=3", "--n", "400", "--noise", "0",
                "--estimator", "gaussian", "--quiet", "--out", run.toString()).assertOk();
        JsonNode s = summary(run);
        long[] ids = org.emergence.data.Npy.readLongs(run.resolve("tokens.npy"), org.emergence.data.Npy.header(run.resolve("tokens.npy")));
        int t = s.path("dataset").path("t").asInt(), n = 400;
        for (int i = 0; i < t; i++) {
            java.util.Map<Long, Integer> counts = new java.util.HashMap<>();
            for (int q = 0; q < n; q++) counts.merge(ids[q * t + i], 1, Integer::sum);
            double h = 0;
            for (int c : counts.values()) h -= (double) c / n * Math.log((double) c / n) / Math.log(2);
            // plug-in entropy plus the Miller–Madow term (k − 1)/(2n) in nats
            double mm = (counts.size() - 1) / (2.0 * n) / Math.log(2);
            for (JsonNode row : s.get("micro")) {
                JsonNode c = row.get(i);
                assertEquals("discrete-exact", c.get("estimator").asText());
                assertEquals(h + mm, c.get("bits").asDouble(), 1e-6, "position " + i);
            }
        }
        assertTrue(s.path("modes").path("mixed").asBoolean(), "raw mode on tokens mixes modes and says so");
        for (JsonNode row : s.get("E")) for (JsonNode c : row) assertTrue(Double.isFinite(c.get("bits").asDouble()));
    }

    @Test
    void defaultSettingsAreFiniteEverywhereAndNotMixed() throws Exception {
        Path model = WordTokenizer.goldenWithTokenizer("gemma", List.of());
        Path run = TestFiles.tempDir("run-noise");
        Cli.run("run", "--model", model.toString(), "--dataset", "icl:country:shots=3", "--n", "300",
                "--quiet", "--out", run.toString()).assertOk();
        JsonNode s = summary(run);
        assertFalse(s.path("modes").path("mixed").asBoolean());
        // the default noise: a band of three scales from --noise (σ, 2σ, 4σ), each MI the mean over the band
        double sg = org.emergence.cli.MeasurementOptions.DEFAULT_NOISE;
        assertTrue(s.path("modes").path("macro").asText().startsWith("noise σ=" + Measurement.trim(sg) + ", " + Measurement.trim(2 * sg) + ", "
                + Measurement.trim(4 * sg) + ", mean over the band"), s.path("modes").toString());
        assertEquals(2, s.path("null").path("twins").asInt(), "relative to two untrained twins by default");
        assertEquals("layer", s.path("settings").path("noise_scale").asText());
        assertEquals("matched", s.path("settings").path("pairing").asText());
        // every interval is the jackknife's: value ± t(G-1)·SE over the sequences, and the finite-N diagnostic is there
        assertTrue(s.path("interval_method").asText().startsWith("delete-a-group jackknife"), s.path("interval_method").asText());
        assertTrue(s.path("IE").path("n_convergence").path("half").isNumber());
        assertTrue(s.path("IE").path("constant_positions_bits").isNumber());
        assertEquals("mixture", s.path("settings").path("estimator").asText());
        // the exact noisy MI of the samples never exceeds their entropy: log2 n for macro, the token entropy for micro
        for (JsonNode row : s.get("macro")) for (JsonNode c : row) assertTrue(c.get("bits").asDouble() <= Math.log(300) / Math.log(2) + 0.05);
        for (String key : new String[] {"macro", "micro", "E"}) {
            for (JsonNode row : s.get(key)) for (JsonNode c : row) assertTrue(Double.isFinite(c.get("bits").asDouble()), key);
        }
        assertTrue(Double.isFinite(s.path("IE").path("bits").asDouble()));
    }

    @Test
    void encodersGetTheirSpecialTokensByDefault() throws Exception {
        Path run = TestFiles.tempDir("run-minilm");
        // raw at one σ: this is about feeding (the twins' cost on MiniLM is 3× the run's)
        Cli.run("run", "--model", "minilm", "--dataset", "icl:color:shots=3", "--n", "120", "--null-twins", "0", "--noise-scales", "1",
                "--quiet", "--out", run.toString()).assertOk();
        JsonNode s = summary(run);
        int t = s.path("dataset").path("t").asInt();
        assertEquals(3 * 2 + 2, t, "[CLS] c1 , c2 , c3 , [SEP]");
        long[] ids = org.emergence.data.Npy.readLongs(run.resolve("tokens.npy"), org.emergence.data.Npy.header(run.resolve("tokens.npy")));
        for (int q = 0; q < 120; q++) {
            assertEquals(101, ids[q * t]);
            assertEquals(102, ids[q * t + t - 1]);
        }
        // a constant token alone carries no information; E(l) of an encoder averages E(l, t) over t;
        // IE_context would subtract an encoder's macro MIs from themselves, so it is not reported
        assertTrue(s.path("IE_context").isMissingNode());
        for (JsonNode row : s.get("micro")) assertEquals(0.0, row.get(0).get("bits").asDouble(), 1e-12);
        for (int l = 0; l < s.get("E").size(); l++) {
            double mean = 0;
            for (JsonNode c : s.get("E").get(l)) mean += c.get("bits").asDouble() / t;
            assertEquals(mean, s.get("E_layer").get(l).get("bits").asDouble(), 1e-9);
        }
        assertTrue(s.path("settings").path("special_tokens").asBoolean());
    }
}
