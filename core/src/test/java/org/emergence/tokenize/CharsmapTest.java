package org.emergence.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.emergence.TestFiles;
import org.emergence.common.UserError;
import org.junit.jupiter.api.Test;

/**
 * Finding 8 of issue 27: a corrupt SentencePiece precompiled_charsmap (in tokenizer.json or
 * tokenizer.model) made the Rust tokenizers library panic, which aborted the JVM (exit 134, no line).
 * The map is now checked first; a well-formed one still normalises as the library does.
 */
class CharsmapTest {
    /** A double-array trie mapping "A" to "a" (root offset 1; "A" at unit 64 with a leaf at 65 → string 0), units in all. */
    static byte[] map(int units, int leafValue, int rootOffset, byte[] strings) {
        int[] u = new int[units];
        u[0] = rootOffset << 10;
        int node = rootOffset;
        int p = node ^ 'A';
        if (p < units) u[p] = (1 << 10) | (1 << 8) | 'A';
        int leaf = p ^ 1;
        if (leaf < units) u[leaf] = (1 << 31) | leafValue;
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * units + strings.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(4 * units);
        for (int x : u) b.putInt(x);
        b.put(strings);
        return b.array();
    }

    static byte[] good() {
        return map(256, 0, 1, "a\0".getBytes(StandardCharsets.UTF_8));
    }

    static String tokenizerJson(byte[] charsmap) {
        return "{\"version\": \"1.0\", \"added_tokens\": [{\"id\": 0, \"content\": \"[UNK]\", \"single_word\": false, \"lstrip\": false, "
                + "\"rstrip\": false, \"normalized\": false, \"special\": true}], \"normalizer\": {\"type\": \"Precompiled\", "
                + "\"precompiled_charsmap\": \"" + Base64.getEncoder().encodeToString(charsmap) + "\"}, \"pre_tokenizer\": "
                + "{\"type\": \"WhitespaceSplit\"}, \"post_processor\": null, \"decoder\": null, \"model\": {\"type\": \"WordLevel\", "
                + "\"vocab\": {\"[UNK]\": 0, \"a\": 1, \"b\": 2}, \"unk_token\": \"[UNK]\"}}";
    }

    /** Eight ways to break the map, each of which the library trusted. */
    static byte[][] hostile() {
        byte[] s = "a\0".getBytes(StandardCharsets.UTF_8);
        byte[] cut = good().clone();
        ByteBuffer.wrap(cut).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 1 << 20);
        // found by .ci/fuzz (charsmap target): a size of 256 units + 2 bytes; the library reads 256 units and
        // takes the 2 bytes (0xff 0x00, not UTF-8) as its strings, while the check started them after the 2 bytes
        byte[] ragged = map(256, 0, 1, new byte[] {(byte) 0xff, 0});
        ByteBuffer.wrap(ragged).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 4 * 256 + 2);
        return new byte[][] {
            map(256, 5000, 1, s), // a replacement far past the strings
            map(256, 1, 1, "\u00e9\0".getBytes(StandardCharsets.UTF_8)), // a replacement inside a two-byte character
            map(256, 0, 300, s), // the root's offset leads out of the array
            map(66, 0, 1, s), // a leaf beyond the last unit ... (array cut short)
            map(1, 0, 1, s), // one unit: every transition out of range
            cut, // a trie larger than the map
            map(256, 0, 1, new byte[] {(byte) 0xff, 0}), // strings that are not UTF-8
            ragged, // a trie size that is not a whole number of units
        };
    }

    @Test
    void aWellFormedMapPassesAndNormalises() throws Exception {
        assertNull(Charsmap.problem(good()));
        Path f = Files.writeString(TestFiles.tempDir("charsmap-ok").resolve("tokenizer.json"), tokenizerJson(good()));
        try (Tokenizer t = Tokenizer.fromFile(f)) {
            assertArrayEquals(new int[] {1, 2}, t.encode("A b", false), "A is mapped to a by the charsmap");
        }
    }

    @Test
    void malformedMapsInTokenizerJsonAreOneLine() throws Exception {
        Path d = TestFiles.tempDir("charsmap-bad");
        int i = 0;
        for (byte[] m : hostile()) {
            Path f = Files.writeString(d.resolve("tokenizer-" + i++ + ".json"), tokenizerJson(m));
            UserError e = assertThrows(UserError.class, () -> Tokenizer.fromFile(f).encode("A b", false));
            assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains("precompiled_charsmap"), e.getMessage());
        }
    }

    @Test
    void malformedMapsInTokenizerModelAreOneLine() throws Exception {
        byte[] seed = Files.readAllBytes(TestFiles.resource("fuzz/sentencepiece/seed-sp-unigram"));
        int i = 0;
        for (byte[] m : hostile()) {
            // a NormalizerSpec (field 3) holding the map (field 2), appended: the last one wins
            ByteArrayOutputStream spec = new ByteArrayOutputStream();
            spec.write(0x12);
            varint(spec, m.length);
            spec.writeBytes(m);
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            all.writeBytes(seed);
            all.write(0x1a);
            varint(all, spec.size());
            all.writeBytes(spec.toByteArray());
            Path dir = TestFiles.tempDir("charsmap-sp-" + i++);
            Files.write(dir.resolve("tokenizer.model"), all.toByteArray());
            UserError e = assertThrows(UserError.class, () -> Tokenizer.fromModelDir(dir).encode("A b", false));
            assertTrue(e.getMessage().contains("tokenizer.model") && e.getMessage().contains("precompiled_charsmap"), e.getMessage());
        }
    }

    /** Found by .ci/fuzz (tokenizer target): without its map, the native library panicked and aborted the JVM. */
    @Test
    void aPrecompiledNormalizerWithoutItsMapIsOneLine() throws Exception {
        Path d = TestFiles.tempDir("charsmap-missing");
        int i = 0;
        for (String normalizer : new String[] {"{\"type\": \"Precompiled\"}", "{\"type\": \"Precompiled\", \"precompiled_charsmap\": 7}",
            "{\"type\": \"Sequence\", \"normalizers\": [{\"type\": \"Precompiled\"}]}"}) {
            String json = tokenizerJson(good()).replaceFirst("\"normalizer\": *\\{[^}]*\\}", java.util.regex.Matcher.quoteReplacement("\"normalizer\": " + normalizer));
            Path f = Files.writeString(d.resolve("tokenizer-" + i++ + ".json"), json);
            UserError e = assertThrows(UserError.class, () -> Tokenizer.fromFile(f), json);
            assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains("precompiled_charsmap"), e.getMessage());
        }
    }

    /** Found by probing: a charsmap whose last base64 character carries stray low bits made the library panic. */
    @Test
    void nonCanonicalBase64IsOneLineAndCanonicalFormsLoad() throws Exception {
        Path d = TestFiles.tempDir("charsmap-base64");
        String padded = Base64.getEncoder().encodeToString(good());
        assertTrue(padded.endsWith("=="), "the test map's length leaves two padding characters");
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        char last = padded.charAt(padded.length() - 3);
        String stray = padded.substring(0, padded.length() - 3) + alphabet.charAt(alphabet.indexOf(last) | 1) + "==";
        String json = tokenizerJson(good());
        Path bad = Files.writeString(d.resolve("stray.json"), json.replace(padded, stray));
        UserError e = assertThrows(UserError.class, () -> Tokenizer.fromFile(bad));
        assertTrue(e.getMessage().startsWith(bad.toString()) && e.getMessage().contains("canonical base64"), e.getMessage());
        Path unpadded = Files.writeString(d.resolve("unpadded.json"), json.replace(padded, padded.replace("=", "")));
        try (Tokenizer t = Tokenizer.fromFile(unpadded)) {
            assertArrayEquals(new int[] {1, 2}, t.encode("A b", false), "an unpadded map loads as the native library reads it");
        }
    }

    @Test
    void tooManyAddedTokensAreRefusedBeforeLoading() throws Exception {
        StringBuilder b = new StringBuilder("{\"version\": \"1.0\", \"added_tokens\": [");
        for (int i = 0; i <= TokenizerJsonCheck.MAX_ADDED_TOKENS; i++) {
            if (i > 0) b.append(',');
            b.append("{\"id\": ").append(i + 1).append(", \"content\": \"<t").append(i).append(">\", \"single_word\": false, \"lstrip\": false, "
                    + "\"rstrip\": false, \"normalized\": false, \"special\": true}");
        }
        b.append("], \"normalizer\": null, \"pre_tokenizer\": {\"type\": \"WhitespaceSplit\"}, \"post_processor\": null, \"decoder\": null, "
                + "\"model\": {\"type\": \"WordLevel\", \"vocab\": {\"[UNK]\": 0}, \"unk_token\": \"[UNK]\"}}");
        Path f = Files.writeString(TestFiles.tempDir("added").resolve("tokenizer.json"), b.toString());
        UserError e = assertThrows(UserError.class, () -> Tokenizer.fromFile(f));
        assertTrue(e.getMessage().contains("added tokens"), e.getMessage());
    }

    private static void varint(ByteArrayOutputStream o, int v) {
        while ((v & ~0x7f) != 0) {
            o.write((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        o.write(v);
    }
}
