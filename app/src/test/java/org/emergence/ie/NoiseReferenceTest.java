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

/** {@code --noise-reference}: σ scaled by another run's layer RMS, read back from its estimates. */
@Tag("slow")
class NoiseReferenceTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static Cli run(Path model, String dataset, Path out, String... extra) {
        List<String> a = new java.util.ArrayList<>(List.of("run", "--model", model.toString(), "--dataset", dataset, "--n", "120",
                "--groups", "0", "--quiet", "--out", out.toString()));
        a.addAll(List.of(extra));
        return Cli.run(a.toArray(new String[0]));
    }

    static JsonNode json(Path p) throws Exception {
        return JSON.readTree(p.toFile());
    }

    /** The absolute σ of X and Y that estimate file f was computed with. */
    static double[] sigmas(Path run, String f) throws Exception {
        JsonNode d = json(run.resolve("est").resolve(f)).path("diagnostics");
        return new double[] {d.path("noise_sigma_x").asDouble(), d.path("noise_sigma_y").asDouble()};
    }

    @Test
    void aRunReferencingItsOwnDatasetReproducesItAndAnotherDatasetTakesTheReferenceScale() throws Exception {
        Path model = WordTokenizer.goldenWithTokenizer("gpt2", List.of());
        Path dir = TestFiles.tempDir("noise-reference");
        Path ref = dir.resolve("ref"), self = dir.resolve("self"), own = dir.resolve("own"), shared = dir.resolve("shared");
        run(model, "icl:animal:shots=3", ref).assertOk();
        run(model, "icl:animal:shots=3", self, "--noise-reference", ref.toString()).assertOk();
        // the same dataset at the reference's own scale: the same numbers (σ recovered from the estimates, to rounding)
        assertEquals(json(ref.resolve("summary.json")).path("IE").path("bits").asDouble(),
                json(self.resolve("summary.json")).path("IE").path("bits").asDouble(), 1e-9);
        JsonNode st = json(self.resolve("settings.json"));
        assertTrue(st.path("noise_reference_rms").isArray(), st.toString());
        assertEquals(4, st.path("noise_reference_rms").size(), "h^0 … h^3 of a 3-block model");
        assertFalse(json(ref.resolve("settings.json")).has("noise_reference_rms"));

        // another dataset: on its own scale σ differs from the reference's; with the reference, every estimate of a
        // block uses the reference's σ of that block's input and output, at every position and both levels
        run(model, "icl:color:shots=3", own).assertOk();
        run(model, "icl:color:shots=3", shared, "--noise-reference", ref.toString()).assertOk();
        for (int l = 0; l < 3; l++) {
            double[] r = sigmas(ref, String.format("macro_l%03d_t0001.json", l));
            assertNotEquals(r[1], sigmas(own, String.format("macro_l%03d_t0001.json", l))[1], "datasets differ in scale");
            for (String level : new String[] {"macro", "micro"}) {
                for (int t = 0; t < 6; t++) {
                    double[] s = sigmas(shared, String.format("%s_l%03d_t%04d.json", level, l, t));
                    assertEquals(r[0], s[0], 1e-12 * r[0]);
                    assertEquals(r[1], s[1], 1e-12 * r[1]);
                }
            }
        }
        assertTrue(json(shared.resolve("summary.json")).path("measurement").asText().contains("reference layer RMS"));
        // a resumed run must see the same reference scale
        run(model, "icl:color:shots=3", shared).assertUserError("noise_reference_rms");
    }

    @Test
    void badReferencesAreOneLine() throws Exception {
        Path model = WordTokenizer.goldenWithTokenizer("gpt2", List.of());
        Path dir = TestFiles.tempDir("noise-reference-bad");
        Path ref = dir.resolve("ref");
        run(model, "icl:animal:shots=3", ref, "--layers", "0").assertOk();
        String ds = "icl:color:shots=3";
        run(model, ds, dir.resolve("a"), "--noise-reference", dir.resolve("nothing").toString()).assertUserError("not a run directory");
        run(model, ds, dir.resolve("b"), "--noise-reference", ref.toString()).assertUserError("no finished estimate of block 1");
        run(model, ds, dir.resolve("c"), "--noise-reference", ref.toString(), "--ablate", "untrained:1").assertUserError("same model");
        run(model, ds, dir.resolve("d"), "--noise-reference", ref.toString(), "--noise-scale", "variable").assertUserError("--noise-scale layer");
        run(model, "random", dir.resolve("e"), "--noise-reference", ref.toString(), "--layers", "0").assertUserError("random inputs");
        Path absolute = dir.resolve("abs");
        run(model, "icl:animal:shots=3", absolute, "--layers", "0", "--noise-absolute", "--noise", "0.5").assertOk();
        run(model, ds, dir.resolve("f"), "--noise-reference", absolute.toString(), "--layers", "0").assertUserError("did not scale σ by the layer RMS");
        for (String d : new String[] {"a", "b", "c", "d", "e", "f"}) assertFalse(Files.exists(dir.resolve(d).resolve("est")), d);
    }
}
