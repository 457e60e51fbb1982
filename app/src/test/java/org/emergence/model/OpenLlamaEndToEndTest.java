package org.emergence.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.emergence.Cli;
import org.emergence.TestFiles;
import org.emergence.model.io.StorageType;
import org.emergence.tokenize.Tokenizer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * OpenLLaMA end to end, on a tiny checkpoint with its exact file layout (tools/golden/make_openllama.py):
 * config.json (llama, fp16), pytorch_model.bin with the rotary inv_freq buffers, a SentencePiece
 * tokenizer.model with tokenizer_config.json and no tokenizer.json. The text is tokenized as the slow
 * Hugging Face LlamaTokenizer does, the capture matches Hugging Face's activations on those ids, and a
 * full {@code run --dataset icl:…} completes.
 */
class OpenLlamaEndToEndTest {
    static Path model() {
        return TestFiles.resource("openllama");
    }

    @Test
    void fileLayoutIsOpenLlamas() {
        Path d = model();
        for (String f : new String[] {"config.json", "generation_config.json", "pytorch_model.bin", "tokenizer.model",
            "tokenizer_config.json", "special_tokens_map.json"}) {
            assertTrue(Files.isRegularFile(d.resolve(f)), f);
        }
        assertFalse(Files.exists(d.resolve("tokenizer.json")));
        assertFalse(Files.exists(d.resolve("model.safetensors")));
        Transformer m = Transformer.load(d);
        assertEquals("llama", m.config().modelType());
        // the rotary buffers are in the file but are not weights: they are ignored (the core computes its own tables)
        assertTrue(m.checkpoint().has("model.layers.0.self_attn.rotary_emb.inv_freq"));
        assertEquals(StorageType.F16, m.checkpoint().get("model.layers.0.self_attn.q_proj.weight").type());
    }

    @Test
    void tokenizerAndActivationsMatchHuggingFace() throws Exception {
        JsonNode texts = new ObjectMapper().readTree(model().resolve("golden/texts.json").toFile());
        Transformer m = Transformer.load(model());
        Tokenizer tok = Tokenizer.fromModelDir(model());
        int k = 0;
        for (JsonNode line : texts.get("lines")) {
            int[] want = new int[line.get("ids").size()];
            for (int i = 0; i < want.length; i++) want[i] = line.get("ids").get(i).asInt();
            int[] ids = tok.encode(line.get("text").asText(), true);
            assertArrayEquals(want, ids, "ids of '" + line.get("text").asText() + "' (LlamaTokenizer)");
            Path g = model().resolve("golden/line_" + k++);
            Map<String, float[]> got = GoldenTest.captureApi(m, TokenBatch.of(1, ids.length, ids));
            for (String name : new String[] {"block_inputs", "block_outputs", "logits"}) {
                float[] gold = TestFiles.floats(g.resolve(name + ".npy"));
                double excess = TestFiles.worstExcess(got.get(name), gold, GoldenTest.ATOL, GoldenTest.RTOL);
                System.out.printf("openllama line %d %s max|x-g| %.3g%n", k - 1, name, TestFiles.maxAbsDiff(got.get(name), gold));
                assertTrue(excess <= 0, "line " + (k - 1) + " " + name + ": max |x-g| " + TestFiles.maxAbsDiff(got.get(name), gold));
            }
        }
        tok.close();
    }

    @Test
    void captureFromTextMatchesTheGolden() throws Exception {
        JsonNode texts = new ObjectMapper().readTree(model().resolve("golden/texts.json").toFile());
        Path dir = TestFiles.tempDir("openllama-text");
        Path text = dir.resolve("line.txt");
        Files.writeString(text, texts.get("lines").get(1).get("text").asText() + "\n");
        Path out = dir.resolve("cap");
        Cli.run("capture", "--model", model().toString(), "--text", text.toString(), "--special-tokens", "--logits", "--quiet",
                "--out", out.toString()).assertOk();
        Path g = model().resolve("golden/line_1");
        for (String name : new String[] {"block_inputs", "block_outputs", "logits"}) {
            float[] x = TestFiles.floats(out.resolve(name + ".npy")), gold = TestFiles.floats(g.resolve(name + ".npy"));
            assertTrue(TestFiles.worstExcess(x, gold, GoldenTest.ATOL, GoldenTest.RTOL) <= 0, name + " via capture --text");
        }
    }

    @Tag("slow")
    @Test
    void iclRunCompletes() throws Exception {
        Path run = TestFiles.tempDir("openllama-run");
        Cli.run("run", "--model", model().toString(), "--dataset", "icl:animal:shots=3", "--n", "64", "--quiet",
                "--out", run.toString()).assertOk();
        JsonNode s = new ObjectMapper().readTree(run.resolve("summary.json").toFile());
        assertEquals("complete", s.get("status").asText());
        assertEquals(2, s.get("E").size()); // one row per block
        assertTrue(s.path("IE").path("bits").isNumber());
        assertNull(s.get("error"));
    }
}
