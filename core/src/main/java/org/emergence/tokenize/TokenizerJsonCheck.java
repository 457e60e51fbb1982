package org.emergence.tokenize;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Base64;
import org.emergence.common.JsonFiles;
import org.emergence.common.UserError;

/**
 * What the native tokenizers library must never see. It panics on some malformed tokenizer.json files,
 * and a panic across the JNI boundary aborts the whole JVM (exit 134, no message), so every file is
 * checked here first and refused in one line naming it. Each rule is a finding of fuzzing or probing
 * tokenizers 0.21:
 *
 * <ul>
 *   <li>strict, well-formed JSON (a syntax error inside "decoder" panicked), at most {@link #MAX_NESTING}
 *       levels deep (the Rust reader stops at 128, and inside "decoder" that stop is a panic), with no
 *       unpaired UTF-16 surrogate in a string (the Rust reader refuses them);
 *   <li>at most {@link #MAX_ADDED_TOKENS} added tokens (loading them takes quadratic time);
 *   <li>a Precompiled normaliser carries its precompiled_charsmap as canonical base64 (Java's decoder
 *       ignores stray low bits in the last character, the library's refuses them) of a well-formed map
 *       ({@link Charsmap}) — any error while reading that normaliser is a panic;
 *   <li>a TemplateProcessing post-processor names only special tokens it defines, each with as many ids
 *       as tokens, and its single-text template uses no second sequence ($B): both are indexed without a
 *       check when a text is encoded.
 * </ul>
 */
final class TokenizerJsonCheck {
    private TokenizerJsonCheck() {}

    /** Nesting allowed; no tokenizer.json nests deeper than about 10. */
    static final int MAX_NESTING = 100;

    /** Added tokens the native library loads in quadratic time: 10^5 took 112 s, 10^6 never finished. */
    static final int MAX_ADDED_TOKENS = 20_000;

    private static final ObjectMapper STRICT = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build()).build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** Refuses, naming {@code name}, a tokenizer.json the native library could not load safely. */
    static void check(byte[] bytes, String name) {
        JsonNode root;
        try {
            root = STRICT.readTree(bytes);
        } catch (JacksonException e) {
            throw new UserError(name + ": not valid JSON: " + JsonFiles.describe(e));
        } catch (IOException e) {
            throw new UserError(name + ": cannot read (" + e.getMessage() + ")", e);
        }
        if (root == null || !root.isObject()) throw new UserError(name + ": not a tokenizer.json (expected a JSON object)");
        checkAddedTokens(root, name);
        ArrayDeque<JsonNode> todo = new ArrayDeque<>();
        todo.push(root);
        while (!todo.isEmpty()) {
            JsonNode n = todo.pop();
            if (n.isObject()) {
                // by type and by shape: an object whose "type" is missing or unknown is still read as whichever
                // component its fields match (the library's legacy, untagged reading)
                String type = n.path("type").asText("");
                if (type.equals("Precompiled") || n.has("precompiled_charsmap")) checkPrecompiled(n, name);
                if (type.equals("TemplateProcessing") || n.has("single") || n.has("pair")) checkTemplate(n, name);
            }
            if (n.isTextual()) checkText(n.textValue(), name);
            for (var it = n.fieldNames(); it.hasNext(); ) checkText(it.next(), name);
            n.elements().forEachRemaining(todo::push);
        }
    }

    private static void checkPrecompiled(JsonNode n, String name) {
        JsonNode map = n.path("precompiled_charsmap");
        if (!(map.isTextual() || map.isNull())) throw new UserError(name + ": a Precompiled normalizer without a precompiled_charsmap string");
        if (n.has("precompiled_charsmap")) Charsmap.check(charsmapBytes(map.asText(""), name), name);
    }

    /**
     * The bytes of a base64 charsmap, refused unless written canonically (padded or not).
     */
    static byte[] charsmapBytes(String text, String name) {
        byte[] map;
        try {
            map = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new UserError(name + ": precompiled_charsmap is not base64 (" + e.getMessage() + ")");
        }
        if (!text.equals(Base64.getEncoder().encodeToString(map)) && !text.equals(Base64.getEncoder().withoutPadding().encodeToString(map))) {
            throw new UserError(name + ": precompiled_charsmap is not canonical base64 (its last character carries bits past the data)");
        }
        return map;
    }

    private static void checkTemplate(JsonNode n, String name) {
        JsonNode specials = n.path("special_tokens");
        for (var it = specials.fields(); it.hasNext(); ) {
            var e = it.next();
            JsonNode ids = e.getValue().path("ids"), tokens = e.getValue().path("tokens");
            if (ids.isArray() && tokens.isArray() && ids.size() != tokens.size()) {
                throw new UserError(name + ": TemplateProcessing special token " + JsonFiles.oneLine(e.getKey()) + " has " + ids.size()
                        + " ids but " + tokens.size() + " tokens");
            }
        }
        for (String template : new String[] {"single", "pair"}) {
            for (JsonNode piece : n.path(template)) {
                String special = piece.path("SpecialToken").path("id").asText(null);
                if (special != null && !specials.has(special)) {
                    throw new UserError(name + ": TemplateProcessing's " + template + " template names special token "
                            + JsonFiles.oneLine(special) + ", which its special_tokens do not define");
                }
                if ("single".equals(template) && "B".equals(piece.path("Sequence").path("id").asText(null))) {
                    throw new UserError(name + ": TemplateProcessing's single template uses the second sequence $B");
                }
            }
        }
    }

    private static void checkAddedTokens(JsonNode root, String name) {
        int n = root.path("added_tokens").size();
        if (n > MAX_ADDED_TOKENS) {
            throw new UserError(name + ": " + n + " added tokens; more than " + MAX_ADDED_TOKENS + " is not a tokenizer this tool loads "
                    + "(the tokenizers library takes quadratic time over them)");
        }
    }

    private static void checkText(String s, String name) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new UserError(name + ": not valid JSON text (an unpaired UTF-16 surrogate \\u" + Integer.toHexString(c) + " in a string)");
            }
        }
    }
}
