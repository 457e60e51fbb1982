package org.emergence.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.emergence.TestFiles;
import org.emergence.common.UserError;
import org.junit.jupiter.api.Test;

/**
 * tokenizer.json files on which the native tokenizers library panicked and aborted the JVM (found by probing
 * tokenizers 0.21 with valid JSON it does not check), each now one line naming the file; the same files made
 * well still load and encode.
 */
class TokenizerJsonCheckTest {
    private static final String SPECIALS = "{\"<s>\": {\"id\": \"<s>\", \"ids\": [3], \"tokens\": [\"<s>\"]}}";

    static String tokenizer(String postProcessor, String decoder) {
        return "{\"version\": \"1.0\", \"added_tokens\": [{\"id\": 0, \"content\": \"[UNK]\", \"single_word\": false, \"lstrip\": false, "
                + "\"rstrip\": false, \"normalized\": false, \"special\": true}], \"normalizer\": null, \"pre_tokenizer\": "
                + "{\"type\": \"WhitespaceSplit\"}, \"post_processor\": " + postProcessor + ", \"decoder\": " + decoder + ", \"model\": "
                + "{\"type\": \"WordLevel\", \"vocab\": {\"[UNK]\": 0, \"a\": 1, \"b\": 2, \"<s>\": 3}, \"unk_token\": \"[UNK]\"}}";
    }

    static String template(String single, String pair, String specials) {
        return "{\"type\": \"TemplateProcessing\", \"single\": " + single + ", \"pair\": " + pair + ", \"special_tokens\": " + specials + "}";
    }

    static String special(String id) {
        return "{\"SpecialToken\": {\"id\": \"" + id + "\", \"type_id\": 0}}";
    }

    static String sequence(String id) {
        return "{\"Sequence\": {\"id\": \"" + id + "\", \"type_id\": 0}}";
    }

    private static UserError refused(Path dir, String name, String json) throws Exception {
        Path f = Files.writeString(dir.resolve(name + ".json"), json);
        UserError e = assertThrows(UserError.class, () -> Tokenizer.fromFile(f).encode("a b", true), name);
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        return e;
    }

    @Test
    void aWellFormedTemplateLoadsAndAddsItsToken() throws Exception {
        String ok = template("[" + special("<s>") + ", " + sequence("A") + "]", "[" + special("<s>") + ", " + sequence("A") + ", "
                + sequence("B") + "]", SPECIALS);
        Path f = Files.writeString(TestFiles.tempDir("template-ok").resolve("tokenizer.json"), tokenizer(ok, "null"));
        try (Tokenizer t = Tokenizer.fromFile(f)) {
            assertArrayEquals(new int[] {3, 1, 2}, t.encode("a b", true));
        }
    }

    @Test
    void templatesTheLibraryIndexesWithoutACheckAreOneLine() throws Exception {
        Path d = TestFiles.tempDir("template-bad");
        String undefined = template("[" + special("<zz>") + ", " + sequence("A") + "]", "[]", SPECIALS);
        assertTrue(refused(d, "undefined-single", tokenizer(undefined, "null")).getMessage().contains("<zz>"));
        String inPair = template("[" + sequence("A") + "]", "[" + special("<zz>") + ", " + sequence("A") + "]", SPECIALS);
        String nested = "{\"type\": \"Sequence\", \"processors\": [{\"type\": \"ByteLevel\", \"add_prefix_space\": false, "
                + "\"trim_offsets\": false, \"use_regex\": true}, " + inPair + "]}";
        assertTrue(refused(d, "undefined-pair-nested", tokenizer(nested, "null")).getMessage().contains("pair template"));
        String secondInSingle = template("[" + sequence("B") + "]", "[]", "{}");
        assertTrue(refused(d, "single-b", tokenizer(secondInSingle, "null")).getMessage().contains("$B"));
        String ragged = template("[" + special("<s>") + ", " + sequence("A") + "]", "[]",
                "{\"<s>\": {\"id\": \"<s>\", \"ids\": [3, 3], \"tokens\": [\"<s>\"]}}");
        assertTrue(refused(d, "ragged", tokenizer(ragged, "null")).getMessage().contains("2 ids but 1 tokens"));
    }

    /** Arrays nested past the Rust reader's 128 levels inside "decoder" panicked; elsewhere they were an error. */
    @Test
    void nestingPastTheLimitIsOneLine() throws Exception {
        Path d = TestFiles.tempDir("nesting");
        for (int depth : new int[] {TokenizerJsonCheck.MAX_NESTING / 2, 200}) {
            String nested = "[".repeat(depth) + "]".repeat(depth);
            for (String json : new String[] {tokenizer("null", nested), tokenizer(nested, "null")}) {
                UserError e = refused(d, "depth-" + depth + "-" + json.indexOf(nested), json);
                if (depth > TokenizerJsonCheck.MAX_NESTING) assertTrue(e.getMessage().contains("nesting depth"), e.getMessage());
            }
        }
    }
}
