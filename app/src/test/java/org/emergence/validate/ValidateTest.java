package org.emergence.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

/** {@code emergence validate} on a tiny random decoder: structure, resume without recomputation, refusals. */
@Tag("slow")
class ValidateTest {
    /** The small validation of these tests; {@code extra} is option/value pairs that replace or add to it. */
    static String[] args(Path model, Path out, String... extra) {
        Map<String, String> o = new java.util.LinkedHashMap<>();
        String[] base = {"--model", model.toString(), "--dataset", "icl:animal:shots=3", "--n", "48", "--init-seeds", "1",
            "--sigma-factors", "2", "--replicates", "2", "--text-tokens", "4", "--text", "text:builtin",
            // one σ instead of the band: the controls' structure at a third of the cost (the twins stay: they are shared)
            "--noise-scales", "1", "--out", out.toString()};
        for (int i = 0; i < base.length; i += 2) o.put(base[i], base[i + 1]);
        for (int i = 0; i < extra.length; i += 2) o.put(extra[i], extra[i + 1]);
        List<String> a = new java.util.ArrayList<>(List.of("validate", "--quiet"));
        o.forEach((k, v) -> {
            a.add(k);
            a.add(v);
        });
        return a.toArray(new String[0]);
    }

    static Map<Path, FileTime> estFiles(Path out) throws Exception {
        Map<Path, FileTime> m = new HashMap<>();
        try (Stream<Path> s = Files.walk(out.resolve("runs"))) {
            for (Path p : (Iterable<Path>) s.filter(p -> p.getParent().getFileName().toString().equals("est"))::iterator) {
                m.put(p, Files.getLastModifiedTime(p));
            }
        }
        return m;
    }

    @Test
    void everyControlIsEvaluatedAndAResumeRecomputesNothing() throws Exception {
        Path model = WordTokenizer.goldenWithTokenizer("gpt2", List.of());
        Path out = TestFiles.tempDir("validate").resolve("v");
        Cli r = Cli.run(args(model, out));
        r.assertOk();
        JsonNode v = new ObjectMapper().readTree(out.resolve("validate.json").toFile());
        List<String> names = new java.util.ArrayList<>();
        for (JsonNode c : v.path("controls")) {
            names.add(c.path("name").asText());
            assertTrue(List.of("PASS", "FAIL").contains(c.path("verdict").asText()));
            assertTrue(c.path("rule").asText().startsWith("PASS if"), c.toString());
            assertTrue(r.out().contains(c.path("name").asText()), r.out());
            // the measured text names its headline number with its interval, and stdout prints exactly that text
            if (c.path("ci_low").isNumber()) {
                String low = c.path("name").asText().equals("interval_calibration") ? "[%.2f, " : "[%+.3f, ";
                assertTrue(c.path("measured").asText().contains(String.format(java.util.Locale.ROOT, low, c.path("ci_low").asDouble())),
                        c.toString());
            }
            assertTrue(r.out().contains(c.path("measured").asText()), r.out());
            if (c.path("name").asText().equals("interval_calibration")) {
                assertTrue(c.path("measured").asText().contains("90% interval") && !c.path("measured").asText().contains("difference"),
                        c.toString());
            }
        }
        assertEquals(Validation.CONTROLS, names);
        // validate.json is a typed record: its one serializer reads back what it wrote
        ObjectMapper om = new ObjectMapper();
        assertEquals(om.writeValueAsString(v), om.writeValueAsString(ValidationJson.tree(ValidationJson.read(out.resolve("validate.json")))));
        assertEquals(v.path("summary").path("total").asInt(), names.size());
        // conditions: icl, untrained-1, text ×3, text-untrained-1, shift, random, σ×2 for six, two replicates
        assertEquals(16, v.path("conditions").size());
        // every condition is relative to the same two twins, computed once under runs/null
        try (Stream<Path> tw = Files.list(out.resolve("runs").resolve("null"))) {
            assertTrue(tw.count() > 0, "the shared twins' runs");
        }
        for (JsonNode c : v.path("conditions")) assertEquals("complete", c.path("status").asText(), c.path("name").asText());
        // differences of runs on the same sequences are paired
        for (JsonNode c : v.path("controls")) {
            if (c.path("name").asText().startsWith("natural_vs") || c.path("name").asText().equals("trained_vs_untrained")) {
                assertTrue(c.path("method").asText().startsWith("paired"), c.toString());
            }
        }
        // scrambled and shifted text are measured at the natural text run's noise scale (--text-scale shared)
        Path runs = out.resolve("runs");
        for (String[] pair : new String[][] {{"text-within", "text"}, {"text-position", "text"}, {"text-shift", "text"},
            {"sigma-2-text-within", "sigma-2-text"}, {"sigma-2-text-position", "sigma-2-text"}}) {
            JsonNode st = new ObjectMapper().readTree(runs.resolve(pair[0]).resolve("settings.json").toFile());
            assertTrue(st.path("noise_reference_rms").isArray(), pair[0]);
            int last = new ObjectMapper().readTree(runs.resolve(pair[1]).resolve("summary.json").toFile()).path("dataset").path("t").asInt() - 1;
            for (int l = 0; l < 3; l++) {
                // the conditions estimate only the cells their IE needs: the last position
                String f = String.format("macro_l%03d_t%04d.json", l, last);
                assertEquals(sigma(runs.resolve(pair[1]), f), sigma(runs.resolve(pair[0]), f), 1e-9, pair[0] + " " + f);
            }
        }
        for (String own : new String[] {"icl", "untrained-1", "text", "random", "sigma-2-text", "replicate-1"}) {
            assertTrue(!new ObjectMapper().readTree(runs.resolve(own).resolve("settings.json").toFile()).has("noise_reference_rms"), own);
        }
        String html = Files.readString(out.resolve("validate.html"));
        assertTrue(html.contains("Validity controls") && html.contains("data:image/png;base64,") && !html.contains("http://")
                && !html.contains("https://"), "self-contained page");
        Map<Path, FileTime> before = estFiles(out);
        assertTrue(before.size() > 50, "estimates: " + before.size());
        Cli.run(args(model, out)).assertOk();
        assertEquals(before, estFiles(out), "a second run resumes every condition without recomputing an estimate");
    }

    /** σ of the block input that estimate f of a run was computed with. */
    static double sigma(Path run, String f) throws Exception {
        return new ObjectMapper().readTree(run.resolve("est").resolve(f).toFile()).path("diagnostics").path("noise_sigma_x").asDouble();
    }

    @Test
    void badRequestsAreOneLine() throws Exception {
        Path model = WordTokenizer.goldenWithTokenizer("gpt2", List.of());
        Path out = TestFiles.tempDir("validate-bad").resolve("v");
        Cli.run(args(model, out, "--skip", "nonsense")).assertUserError("--skip nonsense: unknown control");
        Cli.run(args(model, out, "--replicates", "1")).assertUserError("--replicates must be at least 2");
        Cli.run(args(model, out, "--sigma-factors", "1")).assertUserError("--sigma-factors");
        Cli.run(args(model, out, "--text-scale", "both")).assertUserError("--text-scale must be shared or own");
        Cli.run(args(model, out, "--noise-reference", out.toString())).assertUserError("validate sets the noise scale");
        Cli.run(args(model, out, "--text", "text:/nonexistent.txt")).assertUserError("/nonexistent.txt");
        // a model without a tokenizer cannot build the text or list conditions
        Cli.run(args(model, out, "--model", TestFiles.golden("gpt2").toString())).assertUserError("tokenizer");
        assertTrue(!Files.exists(out.resolve("runs")), "nothing runs before every condition is known to be runnable");
    }
}
