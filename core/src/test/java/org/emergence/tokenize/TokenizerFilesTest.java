package org.emergence.tokenize;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.emergence.TestFiles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tokenizers from vocab.json + merges.txt and from SentencePiece tokenizer.model give exactly the ids of
 * the Hugging Face slow tokenizers (GPT2Tokenizer, LlamaTokenizer, T5Tokenizer) on a multilingual test set
 * (tools/golden/make_tokenizers.py).
 */
class TokenizerFilesTest {
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gpt2-bpe", "sp-bpe-llama", "sp-bpe-nfkc", "sp-unigram"})
    void encodingsEqualTheSlowTokenizers(String name) throws Exception {
        Path dir = TestFiles.resource("tokenizers/" + name);
        JsonNode exp = new ObjectMapper().readTree(dir.resolve("expected.json").toFile());
        List<String> bad = new ArrayList<>();
        try (Tokenizer tok = Tokenizer.fromModelDir(dir)) {
            for (JsonNode t : exp.path("tests")) {
                int[] want = new int[t.path("ids").size()];
                for (int i = 0; i < want.length; i++) want[i] = t.path("ids").get(i).asInt();
                int[] got = tok.encode(t.path("text").asText(), true);
                if (!Arrays.equals(want, got)) {
                    bad.add("'" + t.path("text").asText() + "': " + Arrays.toString(got) + " vs " + Arrays.toString(want));
                }
            }
        }
        assertTrue(bad.isEmpty(), name + " (" + exp.path("reference").asText() + "): " + bad.size() + " differ:\n" + String.join("\n", bad));
    }
}
