package org.emergence.ie;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.emergence.Cli;
import org.emergence.TestFiles;
import org.emergence.WordTokenizer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A band of noise scales (--noise-scales K): every MI is the mean of the MIs at σ, 2σ … 2^(K−1)σ, each scale the
 * single-scale estimate (the first with the cell's own seed, so a band of one is the single-scale run).
 */
@Tag("slow")
class NoiseBandTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aBandIsTheMeanOfItsScales() throws Exception {
        Path model = WordTokenizer.goldenWithTokenizer("gpt2", List.of());
        Path band = TestFiles.tempDir("band"), one = TestFiles.tempDir("band-one");
        String[] common = {"run", "--model", model.toString(), "--dataset", "icl:color:shots=2", "--n", "120", "--null-twins", "0",
                "--layers", "1", "--quiet"};
        Cli.run(NullTwinsTest.concat(common, "--noise", "1.5", "--noise-scales", "3", "--out", band.toString())).assertOk();
        Cli.run(NullTwinsTest.concat(common, "--noise", "1.5", "--noise-scales", "1", "--out", one.toString())).assertOk();
        JsonNode e = JSON.readTree(band.resolve("est").resolve(EstimateCells.fileName(Level.MACRO, 1, 3)).toFile());
        JsonNode single = JSON.readTree(one.resolve("est").resolve(EstimateCells.fileName(Level.MACRO, 1, 3)).toFile());
        JsonNode each = e.path("diagnostics").path("noise_band_bits");
        assertEquals(3, each.size());
        assertEquals((each.get(0).asDouble() + each.get(1).asDouble() + each.get(2).asDouble()) / 3, e.path("mi_bits").asDouble(), 1e-9);
        // the first scale is the single-scale estimate exactly; coarser scales keep less information
        assertEquals(single.path("mi_bits").asDouble(), each.get(0).asDouble(), 0.0);
        assertTrue(each.get(0).asDouble() > each.get(1).asDouble() && each.get(1).asDouble() > each.get(2).asDouble(), each.toString());
        JsonNode s = JSON.readTree(band.resolve("summary.json").toFile());
        assertEquals(3, s.path("settings").path("noise_scales").asInt());
        assertTrue(s.path("measurement").asText().contains("σ = 1.5, 3, 6 (mean)"), s.path("measurement").asText());
        // a band of one writes no noise_scales key: directories of single-scale runs resume as before
        assertTrue(JSON.readTree(one.resolve("settings.json").toFile()).path("noise_scales").isMissingNode());
    }
}
