package org.emergence.ie;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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

/**
 * A relative measurement (--null-twins K): every E and IE is the run's minus the mean of K untrained twins measured
 * on the same sequences, replicate by replicate; the twins are ordinary runs, and a twin of a last-position measurement
 * estimates only the cells IE needs.
 */
@Tag("slow")
class NullTwinsTest {
    static final ObjectMapper JSON = new ObjectMapper();

    /** The twins' initialisation reads initializer_range as every config field is read: a non-number is one line. */
    @Test
    void anInitializerRangeThatIsNotANumberIsOneLine() throws Exception {
        Path model = WordTokenizer.goldenWithTokenizer("llama", List.of());
        com.fasterxml.jackson.databind.node.ObjectNode cfg = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(
                model.resolve("config.json").toFile());
        cfg.put("initializer_range", "wide");
        Files.writeString(model.resolve("config.json"), cfg.toString());
        Cli.run("run", "--model", model.toString(), "--dataset", "icl:animal:shots=3", "--n", "16", "--ablate", "untrained:1",
                "--null-twins", "0", "--quiet", "--out", TestFiles.tempDir("init-range").toString())
                .assertUserError("config.json", "'initializer_range' must be a number");
    }

    @Test
    void everyQuantityIsTheRunMinusTheMeanOfItsTwins() throws Exception {
        Path model = WordTokenizer.goldenWithTokenizer("llama", List.of());
        Path run = TestFiles.tempDir("null-twins");
        Cli.run("run", "--model", model.toString(), "--dataset", "icl:animal:shots=3", "--n", "160", "--noise-scales", "1",
                "--null-twins", "2", "--quiet", "--out", run.toString()).assertOk();
        JsonNode s = JSON.readTree(run.resolve("summary.json").toFile());
        JsonNode nul = s.path("null");
        assertEquals(2, nul.path("twins").asInt());
        long[] seeds = {nul.path("seeds").get(0).asLong(), nul.path("seeds").get(1).asLong()};
        assertNotEquals(seeds[0], seeds[1]);
        // IE = raw − mean(twins), and the same for every replicate (paired on the same groups)
        double raw = nul.path("IE_raw").path("bits").asDouble();
        double t0 = nul.path("IE_twins").get(0).path("bits").asDouble(), t1 = nul.path("IE_twins").get(1).path("bits").asDouble();
        assertEquals(raw - (t0 + t1) / 2, s.path("IE").path("bits").asDouble(), 1e-9);
        JsonNode lo = s.path("IE").path("leave_out"), rawLo = nul.path("IE_raw").path("leave_out");
        JsonNode lo0 = nul.path("IE_twins").get(0).path("leave_out"), lo1 = nul.path("IE_twins").get(1).path("leave_out");
        assertTrue(lo.size() >= 4 && lo.size() == rawLo.size());
        for (int g = 0; g < lo.size(); g++) {
            assertEquals(rawLo.get(g).asDouble() - (lo0.get(g).asDouble() + lo1.get(g).asDouble()) / 2, lo.get(g).asDouble(), 1e-9);
        }
        // the twins' spread widens the interval: SE² = jackknife² + var(twins)/K
        double twinSe = s.path("IE").path("twin_seed_se").asDouble();
        assertEquals(Math.abs(t0 - t1) / 2, twinSe, 1e-9); // sample variance of two values / 2 = (t0 − t1)² / 4
        assertTrue(s.path("IE").path("se").asDouble() >= twinSe);
        // E(l) relative at every layer, with its raw value beside; E_raw holds the run alone at every position
        for (JsonNode e : s.path("E_layer")) {
            int i = indexOf(s, e.path("layer").asInt());
            double mean = 0;
            for (JsonNode tw : nul.path("IE_twins")) mean += tw.path("E_layer_bits").get(i).asDouble() / 2;
            assertEquals(e.path("raw_bits").asDouble() - mean, e.path("bits").asDouble(), 1e-9);
        }
        int t = s.path("dataset").path("t").asInt();
        for (JsonNode row : s.path("E_raw")) for (JsonNode c : row) assertTrue(c.path("bits").isNumber());
        // a twin is an ordinary finished run: untrained at its seed, raw (no twins of its own), only the last position
        for (long sd : seeds) {
            Path tw = run.resolve("null").resolve("untrained-" + sd);
            JsonNode st = JSON.readTree(tw.resolve("settings.json").toFile());
            assertEquals("untrained:" + sd, st.path("ablation").asText());
            assertFalse(st.has("null_twins"));
            assertTrue(st.path("ie_cells_only").asBoolean());
            try (var files = Files.list(tw.resolve("est"))) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    assertTrue(f.getFileName().toString().endsWith(String.format("_t%04d.json", t - 1)), f.toString());
                }
            }
            assertEquals("complete", JSON.readTree(tw.resolve("summary.json").toFile()).path("status").asText());
        }
        // the per-position grid is relative where the twins measured (the last position) and empty elsewhere
        JsonNode e0 = s.path("E").get(0);
        assertTrue(e0.get(t - 1).path("bits").isNumber());
        assertTrue(e0.get(0).path("bits").isNull());
    }

    private static int indexOf(JsonNode s, int layer) {
        for (int i = 0; i < s.path("layers").size(); i++) if (s.path("layers").get(i).asInt() == layer) return i;
        throw new AssertionError("layer " + layer);
    }

    @Test
    void twinSeedsAreDerivedFromTheRunSeedAndAvoidTheRunsOwn() {
        long[] a = NullTwins.seeds(0, 3, "none"), b = NullTwins.seeds(1, 3, "none");
        assertEquals(3, a.length);
        assertNotEquals(a[0], b[0], "a fresh run seed is a fresh draw of the twins");
        for (long s : a) assertTrue(s >= NullTwins.FIRST);
        long[] own = NullTwins.seeds(0, 3, "untrained:" + a[0]);
        for (long s : own) assertNotEquals(a[0], s, "an untrained run never has itself as a twin");
        assertEquals(a[1], own[0]);
    }

    @Test
    void aResumedRelativeRunEqualsAnUninterruptedOne() throws Exception {
        Path model = WordTokenizer.goldenWithTokenizer("gpt2", List.of());
        Path a = TestFiles.tempDir("null-a"), b = TestFiles.tempDir("null-b");
        String[] args = {"run", "--model", model.toString(), "--dataset", "icl:color:shots=2", "--n", "80", "--noise-scales", "1",
                "--null-twins", "2", "--quiet", "--layers", "1"};
        Cli.run(concat(args, "--out", a.toString())).assertOk();
        Cli.run(concat(args, "--out", b.toString())).assertOk();
        // lose one twin's estimate and the run's summary: the re-run recomputes them and gives the same IE
        Path twin = b.resolve("null");
        try (var d = Files.list(twin)) {
            Path first = d.findFirst().orElseThrow();
            try (var est = Files.list(first.resolve("est"))) {
                Files.delete(est.findFirst().orElseThrow());
            }
        }
        Files.delete(b.resolve("summary.json"));
        Cli.run(concat(args, "--out", b.toString())).assertOk();
        assertEquals(JSON.readTree(a.resolve("summary.json").toFile()).path("IE").path("bits").asDouble(),
                JSON.readTree(b.resolve("summary.json").toFile()).path("IE").path("bits").asDouble(), 0.0);
    }

    static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
