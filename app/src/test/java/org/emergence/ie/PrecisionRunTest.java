package org.emergence.ie;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.emergence.Cli;
import org.emergence.TestFiles;
import org.emergence.WordTokenizer;
import org.emergence.model.Precision;
import org.emergence.tensor.Dnnl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** --precision is recorded in settings.json, part of what a resume checks, and changes the numbers (bf16 ≠ fp32). */
@Tag("slow")
class PrecisionRunTest {
    @AfterEach
    void fp32Again() {
        Precision.setCurrent(Precision.FP32);
    }

    @Test
    void precisionIsRecordedCheckedOnResumeAndChangesTheActivations() throws Exception {
        Path model = WordTokenizer.goldenWithTokenizer("gpt2", List.of());
        Path fp32 = TestFiles.tempDir("precision-fp32"), bf16 = TestFiles.tempDir("precision-bf16");
        String[] common = {"run", "--model", model.toString(), "--dataset", "icl:animal:shots=2", "--n", "100", "--estimator",
            "gaussian", "--layers", "1", "--quiet"};
        Cli.run(concat(common, "--out", fp32.toString())).assertOk();
        // without --quiet: the one line that says what runs in bf16 on this CPU
        String[] loud = java.util.Arrays.stream(common).filter(x -> !x.equals("--quiet")).toArray(String[]::new);
        Cli r = Cli.run(concat(loud, "--precision", "bf16", "--out", bf16.toString()));
        r.assertOk();
        ObjectMapper om = new ObjectMapper();
        assertEquals("fp32", om.readTree(fp32.resolve("settings.json").toFile()).path("precision").asText());
        assertEquals("bf16", om.readTree(bf16.resolve("settings.json").toFile()).path("precision").asText());
        if (Dnnl.bf16Units() == null) {
            assertTrue(r.err().contains("no bf16 matrix units") && r.err().contains("emulated"), "the one line: " + r.err());
        }
        // bf16 rounds the linear layers' operands: the measured MIs move (the setting is not a no-op)
        JsonNode a = RunTest.summary(fp32), b = RunTest.summary(bf16);
        assertNotEquals(a.path("E_layer").get(0).path("macro_bits").asDouble(), b.path("E_layer").get(0).path("macro_bits").asDouble());
        // resuming under the other precision is refused, naming it
        Cli.run(concat(common, "--precision", "bf16", "--out", fp32.toString()))
                .assertUserError("different settings", "precision (this run: \"bf16\", directory: \"fp32\")");
        // a directory written before the setting existed is fp32: it resumes as fp32 and is refused as bf16
        ObjectNode s = (ObjectNode) om.readTree(fp32.resolve("settings.json").toFile());
        s.remove("precision");
        Files.writeString(fp32.resolve("settings.json"), om.writeValueAsString(s));
        Cli.run(concat(common, "--out", fp32.toString())).assertOk();
        Cli.run(concat(common, "--precision", "bf16", "--out", fp32.toString())).assertUserError("precision");
        Cli.run(concat(common, "--precision", "fp16", "--out", fp32.toString())).assertUserError("--precision must be fp32, bf16 or auto");
    }

    private static String[] concat(String[] a, String... b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
