package org.emergence.tokenize;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.emergence.common.LocalDirs;
import org.emergence.common.UserError;

/**
 * A Hugging Face {@code tokenizer.json}, run by DJL's binding of the Rust tokenizers library.
 *
 * <p>No network: out of the box DJL reports usage (it calls a cloud metadata address and a
 * telemetry endpoint) unless tracking is opted out or offline mode is set. {@link #configureOffline()}
 * sets both before DJL's first use, and points DJL's and Hugging Face's caches (where DJL extracts its
 * native library) at a directory under the system temp dir rather than the user's home — unless the
 * user set DJL_CACHE_DIR / HF_HOME themselves.
 */
public final class Tokenizer implements AutoCloseable {
    private final HuggingFaceTokenizer tok;
    private final String source;
    /** T5's rule: with special tokens, the end-of-sequence id is not added twice when the text ends with it (-1: none). */
    private int eosOnce = -1;
    /** Hugging Face's rule for what this folder's tokenizer adds around a text (null: not read from a model folder). */
    private SpecialTokenRule rule;

    static {
        configureOffline();
    }

    /** Idempotent: opt out of DJL telemetry, force offline mode, keep caches out of ~. */
    public static synchronized void configureOffline() {
        System.setProperty("OPT_OUT_TRACKING", "true");
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("offline", "true");
        LocalDirs.defaultProperty("DJL_CACHE_DIR", "DJL_CACHE_DIR", "djl");
        LocalDirs.defaultProperty("ENGINE_CACHE_DIR", "ENGINE_CACHE_DIR", "djl");
        LocalDirs.defaultProperty("HF_HOME", "HF_HOME", "hf");
        LocalDirs.defaultProperty("jna.tmpdir", null, "jna");
        // DJL's native library: a verified copy in the private cache, never one found lying there
        org.emergence.common.VerifiedCache.tokenizersLibrary(HuggingFaceTokenizer.class.getClassLoader());
    }

    private Tokenizer(HuggingFaceTokenizer tok, String source) {
        this.tok = tok;
        this.source = source;
    }

    private static Map<String, String> options() {
        return Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false");
    }

    /** tokenizer.json inside a model directory. */
    public static Tokenizer fromModelDir(Path dir) {
        Path f = dir.resolve("tokenizer.json");
        if (!Files.isRegularFile(f)) {
            // GPT-2 vocab.json + merges.txt, or a SentencePiece tokenizer.model: converted to the equivalent tokenizer.json
            TokenizerFiles.Converted converted = TokenizerFiles.convertFiles(dir);
            if (converted != null) {
                String from = Files.isRegularFile(dir.resolve("tokenizer.model")) && !Files.isRegularFile(dir.resolve("vocab.json"))
                        ? "tokenizer.model" : "vocab.json + merges.txt";
                Tokenizer t = fromStream(new java.io.ByteArrayInputStream(converted.json().getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                        dir.resolve(from).toString());
                t.eosOnce = converted.eosOnce();
                t.rule = SpecialTokenRule.of(dir);
                return t;
            }
            throw new UserError(dir + ": no tokenizer.json, vocab.json + merges.txt or tokenizer.model (needed to tokenize text; give "
                    + "token ids instead: capture --ids FILE.npy, run --dataset ids:FILE.npy)");
        }
        SpecialTokenRule rule = SpecialTokenRule.of(dir);
        Tokenizer t;
        if (rule.rebuildsTemplate()) {
            // AutoTokenizer's class writes its own template from add_bos_token / add_eos_token, whatever the file's is
            byte[] bytes;
            try {
                bytes = org.emergence.common.SmallFiles.read(f, "tokenizer.json");
            } catch (IOException e) {
                throw new UserError(f + ": cannot read (" + e.getMessage() + ")", e);
            }
            TokenizerJsonCheck.check(bytes, f.toString());
            t = fromStream(new java.io.ByteArrayInputStream(TokenizerFiles.withTemplate(bytes, rule, f.toString())
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)), f.toString());
        } else {
            t = fromFile(f);
        }
        t.rule = rule;
        return t;
    }

    /**
     * True when the files say what the model's own tokenizer adds around a text (a SentencePiece model with
     * no tokenizer class, no add_bos_token and no known model type does not).
     */
    public boolean specialsKnown() {
        return rule == null || rule.known();
    }

    /** The file that decides which special tokens are added (for messages). */
    public String specialsSource() {
        return rule == null ? source : rule.source();
    }

    /** A tokenizer.json file, read once: the bytes checked are the bytes loaded (the file may change meanwhile). */
    public static Tokenizer fromFile(Path file) {
        byte[] bytes;
        try {
            bytes = org.emergence.common.SmallFiles.read(file, "tokenizer.json");
        } catch (IOException e) {
            throw new UserError(file + ": cannot load tokenizer (" + org.emergence.common.JsonFiles.oneLine(String.valueOf(e.getMessage())) + ")", e);
        }
        return fromBytes(bytes, file.toString());
    }

    /** A tokenizer.json read from a stream (e.g. a resource inside a jar). */
    public static Tokenizer fromStream(InputStream in, String name) {
        byte[] bytes;
        try (in) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UserError(name + ": cannot load tokenizer (" + e.getMessage() + ")", e);
        }
        return fromBytes(bytes, name);
    }

    /** The native tokenizer of checked bytes ({@link TokenizerJsonCheck}); {@code name} is the source for messages. */
    private static Tokenizer fromBytes(byte[] bytes, String name) {
        TokenizerJsonCheck.check(bytes, name);
        try {
            return new Tokenizer(HuggingFaceTokenizer.newInstance(new java.io.ByteArrayInputStream(bytes), options()), name);
        } catch (IOException | RuntimeException e) {
            throw new UserError(name + ": cannot load tokenizer (" + org.emergence.common.JsonFiles.oneLine(String.valueOf(e.getMessage())) + ")", e);
        }
    }

    public String source() {
        return source;
    }

    /** Token ids of {@code text}, with or without the tokenizer's special tokens ([CLS]/[SEP], BOS …). */
    public int[] encode(String text, boolean specialTokens) {
        Encoding e = encoding(text, specialTokens);
        long[] ids = e.getIds();
        int n = ids.length;
        if (specialTokens && eosOnce >= 0 && n >= 2 && ids[n - 1] == eosOnce && ids[n - 2] == eosOnce) n--;
        int[] out = new int[n];
        for (int i = 0; i < n; i++) out[i] = id(ids[i]);
        return out;
    }

    /**
     * The native library checks some of a tokenizer.json's consistency only when it first encodes (a
     * WordLevel model whose unk_token is not in its vocabulary loads, then fails on an unknown word):
     * such a failure is the file's fault, reported as one line naming it.
     */
    private Encoding encoding(String text, boolean specialTokens) {
        try {
            return tok.encode(text, specialTokens, false);
        } catch (RuntimeException e) {
            throw new UserError(source + ": tokenizer cannot encode the text (" + e.getMessage() + ")", e);
        }
    }

    /** A token id as an int: the tokenizer file can hold ids past 2^31, which no model has. */
    private int id(long v) {
        if (v < 0 || v > Integer.MAX_VALUE) throw new UserError(source + ": token id " + v + " is beyond 2^31 - 1 (no model has such a vocabulary)");
        return (int) v;
    }

    /** Token ids with each token's character span [start, end) in {@code text} (no special tokens). */
    public record Spanned(int[] ids, int[] starts, int[] ends) {}

    public Spanned encodeWithSpans(String text) {
        Encoding e = encoding(text, false);
        long[] ids = e.getIds();
        ai.djl.huggingface.tokenizers.jni.CharSpan[] spans = e.getCharTokenSpans();
        int[] out = new int[ids.length], st = new int[ids.length], en = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = id(ids[i]);
            if (spans != null && i < spans.length && spans[i] != null) {
                st[i] = spans[i].getStart();
                en[i] = spans[i].getEnd();
            } else {
                st[i] = -1;
                en[i] = -1;
            }
        }
        return new Spanned(out, st, en);
    }

    /** The special tokens the tokenizer puts before and after a text ([CLS] … [SEP], BOS …). */
    public record Specials(int[] prefix, int[] suffix) {
        public int count() {
            return prefix.length + suffix.length;
        }
    }

    /** Finds the special tokens by comparing a probe encoded with and without them. */
    public Specials specials() {
        String probe = "a b";
        int[] plain = encode(probe, false), full = encode(probe, true);
        for (int start = 0; start + plain.length <= full.length; start++) {
            if (java.util.Arrays.equals(full, start, start + plain.length, plain, 0, plain.length)) {
                return new Specials(java.util.Arrays.copyOfRange(full, 0, start),
                        java.util.Arrays.copyOfRange(full, start + plain.length, full.length));
            }
        }
        return new Specials(new int[0], new int[0]);
    }

    /** The token strings of {@code text} (for reports). */
    public String[] tokens(String text, boolean specialTokens) {
        return tok.encode(text, specialTokens, false).getTokens();
    }

    /** True when {@code id} is one of the tokenizer's special tokens (decoding it with special tokens skipped gives nothing). */
    public boolean isSpecial(int id) {
        return tok.decode(new long[] {id}, true).isEmpty() && !tok.decode(new long[] {id}, false).isEmpty();
    }

    public String decode(int[] ids) {
        long[] l = new long[ids.length];
        for (int i = 0; i < ids.length; i++) l[i] = ids[i];
        return tok.decode(l, false);
    }

    @Override
    public void close() {
        tok.close();
    }
}
