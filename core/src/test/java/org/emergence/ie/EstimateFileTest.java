package org.emergence.ie;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.emergence.common.UserError;
import org.emergence.mi.Estimate;
import org.emergence.mi.Matrix;
import org.emergence.mi.RowGroups;
import org.emergence.mi.Estimators;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The est/*.json file: what the run writes is what every reader gets back, and damage is named. */
class EstimateFileTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A real estimate with replicates, diagnostics and warnings (the Gaussian estimator on correlated samples). */
    static Estimate estimate() {
        int n = 64, d = 2;
        float[] x = new float[n * d], y = new float[n * d];
        java.util.SplittableRandom r = new java.util.SplittableRandom(7);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
            y[i] = (float) (0.8 * x[i] + 0.6 * r.nextGaussian());
        }
        return Estimators.get("gaussian").estimateWithReplicates(new Matrix(x, n, d), new Matrix(y, n, d), 3,
                RowGroups.random(n, 8, 11));
    }

    @Test
    void whatIsWrittenIsReadBackField_by_field() throws Exception {
        Estimate e = estimate();
        Map<String, Object> diag = new LinkedHashMap<>(e.diagnostics());
        diag.put("noise_sigma_x", 0.125);
        diag.put("ranks", 3);
        e = new Estimate(e.estimator(), e.n(), e.dx(), e.dy(), e.nats(), e.ciLowNats(), e.ciHighNats(), e.intervalMethod(),
                e.seconds(), List.of("a warning", "another"), diag, e.replicates());
        EstimateFile f = new EstimateFile(Level.MICRO, 3, 17, "continuous", e);
        ObjectNode j = f.toJson();
        EstimateFile back = EstimateFile.of(JSON.readTree(JSON.writeValueAsString(j)));
        assertEquals(Level.MICRO, back.level());
        assertEquals(3, back.layer());
        assertEquals(17, back.position());
        assertEquals("micro_l003_t0017.json", back.fileName());
        assertEquals("continuous", back.mode());
        Estimate b = back.estimate();
        assertEquals(e.estimator(), b.estimator());
        assertEquals(e.n(), b.n());
        assertEquals(e.dx(), b.dx());
        assertEquals(e.dy(), b.dy());
        // bits are derived from nats on both sides: the file's bits and the reader's are the same doubles
        assertEquals(j.get("mi_bits").asDouble(), b.bits());
        assertEquals(j.get("ci_low_bits").asDouble(), b.ciLowBits());
        assertEquals(j.get("ci_high_bits").asDouble(), b.ciHighBits());
        assertEquals(e.intervalMethod(), b.intervalMethod());
        assertEquals(e.seconds(), b.seconds());
        assertEquals(e.warnings(), b.warnings());
        assertEquals(0.125, b.diagnostics().get("noise_sigma_x"));
        assertEquals(3, b.diagnostics().get("ranks"));
        assertEquals(e.diagnostics().keySet(), b.diagnostics().keySet());
        assertArrayEquals(e.replicates().leaveOutNats(), b.replicates().leaveOutNats());
        assertArrayEquals(e.replicates().halfNats(), b.replicates().halfNats());
        assertArrayEquals(e.replicates().quarterNats(), b.replicates().quarterNats());
        assertEquals(e.replicates().mcSeNats(), b.replicates().mcSeNats());
        // and written again, byte for byte the same file
        assertEquals(JSON.writeValueAsString(j), JSON.writeValueAsString(back.toJson()));
    }

    @Test
    void anEstimateWithoutReplicatesReadsBackWithout() throws Exception {
        Estimate e = estimate();
        e = new Estimate(e.estimator(), e.n(), e.dx(), e.dy(), e.nats(), e.ciLowNats(), e.ciHighNats(), e.intervalMethod(),
                e.seconds(), e.warnings(), e.diagnostics(), null);
        assertNull(EstimateFile.of(new EstimateFile(Level.MACRO, 0, 0, "continuous", e).toJson()).estimate().replicates());
    }

    @Test
    void damageIsNamed() throws Exception {
        ObjectNode good = new EstimateFile(Level.MACRO, 1, 2, "continuous", estimate()).toJson();
        assertEquals("not a JSON object", malformed(JSON.readTree("[1, 2]")));
        ObjectNode noLevel = good.deepCopy();
        noLevel.put("level", "context");
        assertTrue(malformed(noLevel).startsWith("names no cell"), malformed(noLevel));
        ObjectNode fractional = good.deepCopy();
        fractional.put("layer", 1.5);
        assertTrue(malformed(fractional).startsWith("names no cell"));
        ObjectNode noValue = good.deepCopy();
        noValue.remove("ci_high_nats");
        assertEquals("has no finite ci_high_nats", malformed(noValue));
        ObjectNode text = good.deepCopy();
        text.put("mi_bits", "1.5");
        assertEquals("has no finite mi_bits", malformed(text));
        ObjectNode noWarnings = good.deepCopy();
        noWarnings.remove("warnings");
        assertEquals("lacks the estimator or warnings", malformed(noWarnings));
    }

    @Test
    void aDamagedFileOnDiskIsOneLineNamingIt(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("macro_l001_t0002.json");
        Files.writeString(f, "{\"level\": \"macro\", \"layer\": 1, \"position\": 2}");
        UserError e = assertThrows(UserError.class, () -> EstimateFile.read(f));
        assertTrue(e.getMessage().startsWith(f + ": not an estimate file of this tool (has no finite mi_bits)"), e.getMessage());
        Files.writeString(f, "{\"level\": ");
        e = assertThrows(UserError.class, () -> EstimateFile.read(f));
        assertTrue(e.getMessage().startsWith(f + ": not valid JSON"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    private static String malformed(com.fasterxml.jackson.databind.JsonNode j) {
        return assertThrows(EstimateFile.Malformed.class, () -> EstimateFile.of(j)).getMessage();
    }
}
