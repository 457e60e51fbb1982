package org.emergence.ie;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.emergence.Cli;
import org.emergence.TestFiles;
import org.emergence.WordTokenizer;
import org.junit.jupiter.api.Test;

/**
 * Finding 4 of issue 27: a run resumed after its model's config.json (or tokenizer) was edited mixed
 * two models (layer 0 from the old config, layer 1 from the new). settings.json now records the SHA-256
 * of every file the run depends on, and a resume refuses a changed one by name.
 */
class FingerprintTest {
    private static String[] run(Path model, Path out) {
        return new String[] {"run", "--model", model.toString(), "--dataset", "icl:animal:shots=2", "--n", "100", "--estimator",
            "gaussian", "--layers", "0", "--quiet", "--out", out.toString()};
    }

    @Test
    void aConfigOrTokenizerChangedBetweenRunsIsRefusedByName() throws Exception {
        Path model = WordTokenizer.goldenWithTokenizer("gpt2", List.of());
        Path out = TestFiles.tempDir("fingerprint");
        Cli.run(run(model, out)).assertOk();
        JsonNode sha = new ObjectMapper().readTree(out.resolve("settings.json").toFile()).path("model_source").path("sha256");
        for (String f : new String[] {"config.json", "model.safetensors", "tokenizer.json"}) assertTrue(sha.has(f), f + " in " + sha);

        String config = Files.readString(model.resolve("config.json"));
        Files.writeString(model.resolve("config.json"), config.replace("\"layer_norm_epsilon\": 1e-05", "\"layer_norm_epsilon\": 0.001"));
        assertTrue(!config.equals(Files.readString(model.resolve("config.json"))), "the edit applies");
        Cli.run(run(model, out)).assertUserError("the model's config.json", "changed in between", "use another --out");

        Files.writeString(model.resolve("config.json"), config);
        Cli.run(run(model, out)).assertOk(); // the same files again: resumes (nothing to do)
        Path tok = model.resolve("tokenizer.json");
        Files.writeString(tok, Files.readString(tok).replaceFirst("\\{", "{ "));
        Cli.run(run(model, out)).assertUserError("the model's tokenizer.json");
    }

    @Test
    void builtinModelsAreFingerprintedByTheirRecordedDigests() throws Exception {
        Path out = TestFiles.tempDir("fingerprint-builtin");
        Cli.run("run", "--model", "tinylm-2l", "--dataset", "icl:animal:shots=2", "--n", "100", "--estimator", "gaussian", "--layers",
                "0", "--quiet", "--out", out.toString()).assertOk();
        JsonNode sha = new ObjectMapper().readTree(out.resolve("settings.json").toFile()).path("model_source").path("sha256");
        assertEquals(org.emergence.common.CacheDigests.of("tinylm/tinylm-2l/model.safetensors").sha256(), sha.path("model.safetensors").asText());
        assertTrue(sha.has("config.json") && sha.has("tokenizer.json"), sha.toString());
    }
}
