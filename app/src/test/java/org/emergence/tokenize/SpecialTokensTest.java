package org.emergence.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.emergence.Cli;
import org.emergence.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The special tokens a dataset's sequences are wrapped in are exactly what Hugging Face's {@code tokenizer(text)}
 * adds around a single text (the reference ids of tools/golden/make_tokenizers.py: BOS for LlamaTokenizer, EOS for
 * T5Tokenizer, nothing for GPT2Tokenizer), and a Llama-family tokenizer.json follows its class's add_bos_token the
 * way LlamaTokenizerFast rebuilds its template.
 */
class SpecialTokensTest {
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gpt2-bpe", "sp-bpe-llama", "sp-bpe-nfkc", "sp-unigram"})
    void wrappingEqualsWhatTheReferenceTokenizerAdds(String name) throws Exception {
        Path dir = TestFiles.resource("tokenizers/" + name);
        JsonNode exp = new ObjectMapper().readTree(dir.resolve("expected.json").toFile());
        try (Tokenizer tok = Tokenizer.fromModelDir(dir)) {
            assertTrue(tok.specialsKnown());
            Tokenizer.Specials sp = tok.specials();
            int checked = 0;
            for (JsonNode t : exp.path("tests")) {
                int[] plain = tok.encode(t.path("text").asText(), false);
                if (plain.length == 0) continue;
                int[] want = new int[t.path("ids").size()];
                for (int i = 0; i < want.length; i++) want[i] = t.path("ids").get(i).asInt();
                int[] wrapped = new int[sp.prefix().length + plain.length + sp.suffix().length];
                System.arraycopy(sp.prefix(), 0, wrapped, 0, sp.prefix().length);
                System.arraycopy(plain, 0, wrapped, sp.prefix().length, plain.length);
                System.arraycopy(sp.suffix(), 0, wrapped, sp.prefix().length + plain.length, sp.suffix().length);
                if (name.equals("sp-unigram") && plain[plain.length - 1] == sp.suffix()[0]) continue; // T5 adds EOS once
                assertArrayEquals(want, wrapped, name + ": '" + t.path("text").asText() + "'");
                checked++;
            }
            assertTrue(checked > 10, "lines checked: " + checked);
            String ref = exp.path("reference").asText();
            assertEquals(ref.contains("LlamaTokenizer") ? 1 : 0, sp.prefix().length, ref);
        }
    }

    /** sp-bpe-llama as a tokenizer.json without a template, with the given tokenizer_config.json / config.json. */
    static Path fastLlama(String name, String tokenizerConfig, String config) throws Exception {
        Path dir = TestFiles.tempDir(name);
        ObjectMapper om = new ObjectMapper();
        var t = (com.fasterxml.jackson.databind.node.ObjectNode) om.readTree(
                TokenizerFiles.convert(TestFiles.resource("tokenizers/sp-bpe-llama")));
        t.putNull("post_processor");
        Files.writeString(dir.resolve("tokenizer.json"), t.toString());
        if (tokenizerConfig != null) Files.writeString(dir.resolve("tokenizer_config.json"), tokenizerConfig);
        if (config != null) Files.writeString(dir.resolve("config.json"), config);
        return dir;
    }

    @Test
    void llamaFastTokenizersAddBosFromTheirConfigWhateverTheFileSays() throws Exception {
        String text = "Hello world";
        for (String[] c : new String[][] {
                {"{\"tokenizer_class\": \"LlamaTokenizerFast\", \"add_bos_token\": true}", null, "1"},
                {"{\"tokenizer_class\": \"LlamaTokenizerFast\", \"add_bos_token\": false}", null, "0"},
                {"{\"tokenizer_class\": \"LlamaTokenizer\"}", null, "1"}, // the class default
                {null, "{\"model_type\": \"llama\"}", "1"}, // no tokenizer_config.json: the class of the model type
                {null, "{\"model_type\": \"gpt2\"}", "0"}, // a class that keeps the file's (empty) template
                {"{\"tokenizer_class\": \"GPTNeoXTokenizerFast\"}", null, "0"}}) {
            Path dir = fastLlama("fast-llama", c[0], c[1]);
            try (Tokenizer tok = Tokenizer.fromModelDir(dir)) {
                int[] ids = tok.encode(text, true), plain = tok.encode(text, false);
                int bos = Integer.parseInt(c[2]);
                assertEquals(plain.length + bos, ids.length, Arrays.toString(c));
                if (bos == 1) assertEquals(1, ids[0], "<s> is id 1");
                assertTrue(tok.specialsKnown());
            }
        }
    }

    @Test
    void aSentencePieceModelThatCannotSayWhetherItAddsBosIsRefusedByName() throws Exception {
        Path dir = TestFiles.tempDir("sp-unknown");
        Files.copy(TestFiles.resource("tokenizers/sp-bpe-llama/tokenizer.model"), dir.resolve("tokenizer.model"));
        try (Tokenizer tok = Tokenizer.fromModelDir(dir)) {
            assertFalse(tok.specialsKnown());
            assertTrue(tok.specialsSource().endsWith("tokenizer.model"), tok.specialsSource());
        }
        // a model whose type names no tokenizer class (phi3) with a bare tokenizer.model: the run refuses in one line
        // naming the file and the option that decides; --special-tokens yes runs
        Path model = TestFiles.tempDir("sp-unknown-model");
        for (String f : new String[] {"config.json", "model.safetensors"}) Files.copy(TestFiles.golden("phi3").resolve(f), model.resolve(f));
        Files.copy(TestFiles.resource("tokenizers/sp-bpe-llama/tokenizer.model"), model.resolve("tokenizer.model"));
        Path docs = TestFiles.tempDir("sp-unknown-docs").resolve("t.txt");
        Files.writeString(docs, "One day the cat sat. The dog ran to the park and sat down. The end came soon after that day. "
                .repeat(40));
        Cli.run("run", "--model", model.toString(), "--dataset", "text:" + docs, "--t", "6", "--n", "8", "--null-twins", "0",
                "--groups", "0", "--quiet", "--out", TestFiles.tempDir("sp-unknown-run").resolve("r").toString())
                .assertUserError("tokenizer.model", "--special-tokens yes|no");
    }
}
