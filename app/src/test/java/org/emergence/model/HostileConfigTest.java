package org.emergence.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.emergence.TestFiles;
import org.emergence.common.UserError;
import org.junit.jupiter.api.Test;

/**
 * Findings 11 and 12 of issue 27 in config.json: values that ran (a rotary fraction of 2, an epsilon
 * of 1e400 read as infinity), ended in NaN blamed on the model, or in an internal error (a position
 * count of 10^9: NegativeArraySizeException; a layer count of 2^31 − 1: out of memory). Each is now
 * refused naming the key, or (positions) simply works.
 */
class HostileConfigTest {
    private static Path llama(String from, String to) throws Exception {
        Path d = TestFiles.tempDir("hostile-config");
        Files.copy(TestFiles.golden("llama").resolve("model.safetensors"), d.resolve("model.safetensors"));
        String c = Files.readString(TestFiles.golden("llama").resolve("config.json"));
        assertTrue(c.contains(from), from);
        Files.writeString(d.resolve("config.json"), c.replace(from, to));
        return d;
    }

    private static void refused(String from, String to, String... fragments) throws Exception {
        Path d = llama(from, to);
        UserError e = assertThrows(UserError.class, () -> Transformer.load(d));
        assertTrue(e.getMessage().contains("config.json"), e.getMessage());
        for (String f : fragments) assertTrue(e.getMessage().contains(f), e.getMessage());
    }

    @Test
    void outOfRangeValuesAreRefusedByKey() throws Exception {
        refused("\"rope_scaling\": null", "\"rope_scaling\": null, \"partial_rotary_factor\": 2.0", "partial_rotary_factor", "(0, 1]");
        refused("\"rms_norm_eps\": 1e-06", "\"rms_norm_eps\": 1e400", "rms_norm_eps", "finite");
        refused("\"rms_norm_eps\": 1e-06", "\"rms_norm_eps\": -1e-06", "rms_norm_eps", "epsilon");
        refused("\"rope_theta\": 10000.0", "\"rope_theta\": 0", "rope_theta", "> 0");
        refused("\"rope_theta\": 10000.0", "\"rope_theta\": -5.0", "rope_theta");
        refused("\"rope_scaling\": null", "\"rope_scaling\": {\"type\": \"linear\", \"factor\": 1e-300}", "rope_scaling.factor", ">= 1");
        refused("\"num_hidden_layers\": 3", "\"num_hidden_layers\": 2147483647", "num_hidden_layers", "not a layer count");
    }

    @Test
    void aHugePositionCountNoLongerBreaksTheRotaryTables() throws Exception {
        for (String n : new String[] {"1000000000", "2147483647"}) {
            Path d = llama("\"max_position_embeddings\": 64", "\"max_position_embeddings\": " + n);
            Transformer m = Transformer.load(d);
            var got = GoldenTest.captureApi(m, GoldenTest.ids(TestFiles.golden("llama").resolve("batch_3x8")));
            float[] want = TestFiles.floats(TestFiles.golden("llama").resolve("batch_3x8").resolve("block_outputs.npy"));
            assertEquals(want.length, got.get("block_outputs").length);
            assertTrue(TestFiles.worstExcess(got.get("block_outputs"), want, GoldenTest.ATOL, GoldenTest.RTOL) <= 0, n);
        }
    }
}
