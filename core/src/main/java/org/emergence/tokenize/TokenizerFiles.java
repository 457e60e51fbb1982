package org.emergence.tokenize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.emergence.common.JsonFiles;
import org.emergence.common.UserError;

/**
 * Tokenizers as model folders ship them when there is no {@code tokenizer.json}, turned into the
 * equivalent {@code tokenizer.json} for the Rust tokenizers library (DJL):
 * <ul>
 *   <li>GPT-2 byte-level BPE: {@code vocab.json} + {@code merges.txt};</li>
 *   <li>SentencePiece {@code tokenizer.model}, BPE (Llama, OpenLLaMA) or unigram (T5), with byte fallback,
 *       its precompiled normaliser, the dummy prefix and its whitespace rules;</li>
 * </ul>
 * honouring {@code tokenizer_config.json} (add_bos_token, add_eos_token, the special tokens, legacy).
 * The target is the Hugging Face slow tokenizer's encoding (GPT2Tokenizer, LlamaTokenizer, T5Tokenizer),
 * checked by TokenizerFilesTest on a multilingual test set.
 */
public final class TokenizerFiles {
    private TokenizerFiles() {}

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String SPACE = "\u2581";

    /**
     * A converted tokenizer: the tokenizer.json text, and the end-of-sequence id that T5's tokenizer adds only when the
     * text does not already end with it (-1: none).
     */
    public record Converted(String json, int eosOnce) {}

    /** A tokenizer.json for the folder, from whichever files it has; null when it has none of them. */
    public static Converted convertFiles(Path dir) {
        String j = convert(dir);
        if (j == null) return null;
        int eos = -1;
        JsonNode cfg = Files.isRegularFile(dir.resolve("tokenizer_config.json")) ? JsonFiles.readObject(dir.resolve("tokenizer_config.json"))
                : JSON.createObjectNode();
        if (cfg.path("tokenizer_class").asText("").startsWith("T5") && Files.isRegularFile(dir.resolve("tokenizer.model"))) {
            SentencePieceModel sp = SentencePieceModel.read(dir.resolve("tokenizer.model"));
            String e = tokenText(cfg.get("eos_token"));
            for (int i = 0; i < sp.pieces().size(); i++) if (sp.pieces().get(i).piece().equals(e == null ? "</s>" : e)) eos = i;
        }
        return new Converted(j, eos);
    }

    /** A tokenizer.json for the folder, from whichever files it has; null when it has none of them. */
    public static String convert(Path dir) {
        JsonNode cfg = Files.isRegularFile(dir.resolve("tokenizer_config.json")) ? JsonFiles.readObject(dir.resolve("tokenizer_config.json"))
                : JSON.createObjectNode();
        if (Files.isRegularFile(dir.resolve("vocab.json")) && Files.isRegularFile(dir.resolve("merges.txt"))) {
            return gpt2(dir.resolve("vocab.json"), dir.resolve("merges.txt"), cfg).toString();
        }
        if (Files.isRegularFile(dir.resolve("tokenizer.model"))) {
            return sentencePiece(SentencePieceModel.read(dir.resolve("tokenizer.model")), cfg, dir.resolve("tokenizer.model")).toString();
        }
        return null;
    }

    // ------------------------------------------------------------------ GPT-2 byte-level BPE

    static ObjectNode gpt2(Path vocabFile, Path mergesFile, JsonNode cfg) {
        JsonNode vocab = JsonFiles.readObject(vocabFile);
        ArrayNode merges = JSON.createArrayNode();
        List<String> lines;
        try {
            lines = Files.readAllLines(mergesFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw JsonFiles.textReadError(mergesFile, e);
        }
        int no = 0;
        for (String l : lines) {
            no++;
            if (l.startsWith("#version") || l.isBlank()) continue;
            String[] ab = l.split(" ");
            if (ab.length != 2) throw new UserError(mergesFile + ": line " + no + " is not a merge 'a b'");
            if (!vocab.has(ab[0]) || !vocab.has(ab[1]) || !vocab.has(ab[0] + ab[1])) {
                throw new UserError(mergesFile + ": line " + no + " merges '" + ab[0] + "' and '" + ab[1] + "', which are not both in "
                        + vocabFile.getFileName() + " with their merge");
            }
            merges.add(l);
        }
        ObjectNode t = base();
        boolean prefix = cfg.path("add_prefix_space").asBoolean(false);
        ObjectNode bl = JSON.createObjectNode().put("type", "ByteLevel").put("add_prefix_space", prefix).put("trim_offsets", true)
                .put("use_regex", true);
        t.set("pre_tokenizer", bl);
        t.set("decoder", bl.deepCopy());
        ObjectNode m = t.putObject("model");
        m.put("type", "BPE");
        m.putNull("dropout");
        m.putNull("unk_token");
        m.put("continuing_subword_prefix", "");
        m.put("end_of_word_suffix", "");
        m.put("fuse_unk", false);
        m.put("byte_fallback", false);
        m.set("vocab", vocab);
        m.set("merges", merges);
        Map<String, Integer> ids = new HashMap<>();
        vocab.fields().forEachRemaining(e -> ids.put(e.getKey(), e.getValue().asInt()));
        addSpecials(t, cfg, ids, List.of());
        post(t, cfg, ids, false, false);
        return t;
    }

    // ------------------------------------------------------------------ SentencePiece

    static ObjectNode sentencePiece(SentencePieceModel sp, JsonNode cfg, Path file) {
        ObjectNode t = base();
        Map<String, Integer> ids = new LinkedHashMap<>();
        for (int i = 0; i < sp.pieces().size(); i++) ids.putIfAbsent(sp.pieces().get(i).piece(), i);
        boolean legacy = cfg.path("legacy").asBoolean(true);
        // the normaliser: SentencePiece's own rules in its order — character map, whitespace, dummy prefix, escaping
        ArrayNode norms = JSON.createArrayNode();
        if (sp.precompiledCharsmap().length > 0) {
            norms.addObject().put("type", "Precompiled").put("precompiled_charsmap", Base64.getEncoder().encodeToString(sp.precompiledCharsmap()));
        }
        if (sp.removeExtraWhitespaces()) {
            norms.addObject().put("type", "Strip").put("strip_left", true).put("strip_right", true);
            norms.addObject().put("type", "Replace").set("pattern", JSON.createObjectNode().put("Regex", " {2,}"));
            ((ObjectNode) norms.get(norms.size() - 1)).put("content", " ");
        }
        if (sp.addDummyPrefix() && legacy) norms.addObject().put("type", "Prepend").put("prepend", SPACE);
        if (sp.escapeWhitespaces()) {
            ObjectNode r = norms.addObject().put("type", "Replace");
            r.set("pattern", JSON.createObjectNode().put("String", " "));
            r.put("content", SPACE);
        }
        t.set("normalizer", JSON.createObjectNode().put("type", "Sequence").set("normalizers", norms));
        if (sp.modelType() == SentencePieceModel.UNIGRAM || (sp.addDummyPrefix() && !legacy)) {
            // words are segmented separately: split before every ▁ (the prefix was added by the normaliser)
            ObjectNode mt = JSON.createObjectNode().put("type", "Metaspace").put("replacement", SPACE)
                    .put("prepend_scheme", sp.addDummyPrefix() && !legacy ? "first" : "never").put("split", true);
            t.set("pre_tokenizer", mt);
        }
        ArrayNode decs = JSON.createArrayNode();
        ObjectNode rep = decs.addObject().put("type", "Replace");
        rep.set("pattern", JSON.createObjectNode().put("String", SPACE));
        rep.put("content", " ");
        if (sp.byteFallback()) decs.addObject().put("type", "ByteFallback");
        decs.addObject().put("type", "Fuse");
        if (sp.addDummyPrefix()) decs.addObject().put("type", "Strip").put("content", " ").put("start", 1).put("stop", 0);
        t.set("decoder", JSON.createObjectNode().put("type", "Sequence").set("decoders", decs));
        List<String> control = new ArrayList<>(), user = new ArrayList<>();
        for (SentencePieceModel.Piece p : sp.pieces()) {
            if (p.type() == SentencePieceModel.CONTROL || p.type() == SentencePieceModel.UNKNOWN) control.add(p.piece());
            else if (p.type() == SentencePieceModel.USER_DEFINED) user.add(p.piece());
        }
        // special: what the tokenizer class treats as special (its defaults and the config's tokens); a control piece
        // it does not name (T5's "<s>") is ordinary text to the slow tokenizer. Without a class: every control piece
        String cls = cfg.path("tokenizer_class").asText("");
        List<String> defaults = cls.startsWith("Llama") || cls.startsWith("CodeLlama") ? List.of("<s>", "</s>", "<unk>")
                : cls.startsWith("T5") ? List.of("</s>", "<unk>", "<pad>") : control;
        List<String> special = new ArrayList<>();
        for (String c : defaults) if (ids.containsKey(c)) special.add(c);
        ObjectNode m = t.putObject("model");
        if (sp.modelType() == SentencePieceModel.UNIGRAM) {
            m.put("type", "Unigram");
            m.put("unk_id", sp.unkId());
            ArrayNode v = m.putArray("vocab");
            // SentencePiece never emits a control piece for text ("<s>" in text is "<", "s", ">"): the model's entry gets
            // a string no text normalises to (special control tokens are still matched, as added tokens with their text)
            for (SentencePieceModel.Piece p : sp.pieces()) {
                boolean hidden = p.type() == SentencePieceModel.CONTROL && !special.contains(p.piece());
                v.addArray().add(hidden ? "\u0000" + p.piece() : p.piece()).add(p.score());
            }
            m.put("byte_fallback", sp.byteFallback());
        } else {
            m.put("type", "BPE");
            m.putNull("dropout");
            m.put("unk_token", sp.pieces().get(sp.unkId()).piece());
            m.putNull("continuing_subword_prefix");
            m.putNull("end_of_word_suffix");
            m.put("fuse_unk", true);
            m.put("byte_fallback", sp.byteFallback());
            ObjectNode v = m.putObject("vocab");
            ids.forEach(v::put);
            ArrayNode merges = m.putArray("merges");
            for (String mg : merges(sp, ids)) merges.add(mg);
        }
        addSpecials(t, cfg, ids, special);
        ArrayNode added = (ArrayNode) t.get("added_tokens");
        for (String u : user) added.addObject().put("id", ids.get(u)).put("content", u).put("single_word", false).put("lstrip", false)
                .put("rstrip", false).put("normalized", false).put("special", false);
        boolean t5 = sp.modelType() == SentencePieceModel.UNIGRAM;
        post(t, cfg, ids, cfg.path("add_bos_token").asBoolean(!t5), cfg.path("add_eos_token").asBoolean(t5));
        return t;
    }

    /**
     * BPE merges implied by a SentencePiece vocabulary: every split of a piece into two pieces, ordered by
     * the merged piece's score (highest first), then by the left and right pieces' ids.
     */
    static List<String> merges(SentencePieceModel sp, Map<String, Integer> ids) {
        record M(String l, String r, float score, int li, int ri, int order) {}
        List<M> all = new ArrayList<>();
        int order = 0;
        for (SentencePieceModel.Piece p : sp.pieces()) {
            String s = p.piece();
            if (s.codePointCount(0, s.length()) < 2) continue; // an empty or one-character piece has no split (fuzzing found the empty one)
            List<M> local = new ArrayList<>();
            for (int i = s.offsetByCodePoints(0, 1); i < s.length(); i = s.offsetByCodePoints(i, 1)) {
                String l = s.substring(0, i), r = s.substring(i);
                if (ids.containsKey(l) && ids.containsKey(r)) local.add(new M(l, r, p.score(), ids.get(l), ids.get(r), 0));
            }
            local.sort((a, b) -> a.li() != b.li() ? Integer.compare(a.li(), b.li()) : Integer.compare(a.ri(), b.ri()));
            for (M x : local) all.add(new M(x.l(), x.r(), x.score(), x.li(), x.ri(), order++));
        }
        all.sort((a, b) -> a.score() != b.score() ? Float.compare(b.score(), a.score()) : Integer.compare(a.order(), b.order()));
        List<String> out = new ArrayList<>(all.size());
        for (M x : all) out.add(x.l() + " " + x.r());
        return out;
    }

    // ------------------------------------------------------------------ tokenizer.json templates

    /**
     * A tokenizer.json with its post-processor replaced by the template a class that rebuilds its own writes
     * ({@link SpecialTokenRule#rebuildsTemplate()}: Llama, Gemma, … add BOS from add_bos_token whatever the file says).
     */
    public static String withTemplate(byte[] tokenizerJson, SpecialTokenRule rule, String name) {
        ObjectNode t;
        try {
            t = (ObjectNode) JSON.readTree(tokenizerJson);
        } catch (IOException | ClassCastException e) {
            throw new UserError(name + ": not a tokenizer.json object");
        }
        Map<String, Integer> ids = new HashMap<>();
        JsonNode vocab = t.path("model").path("vocab");
        if (vocab.isObject()) vocab.fields().forEachRemaining(e -> ids.put(e.getKey(), e.getValue().asInt()));
        else if (vocab.isArray()) for (int i = 0; i < vocab.size(); i++) ids.put(vocab.get(i).path(0).asText(), i);
        for (JsonNode a : t.path("added_tokens")) ids.put(a.path("content").asText(), a.path("id").asInt());
        ObjectNode cfg = JSON.createObjectNode();
        if (rule.bosToken() != null) cfg.put("bos_token", rule.bosToken());
        if (rule.eosToken() != null) cfg.put("eos_token", rule.eosToken());
        t.putNull("post_processor");
        post(t, cfg, ids, rule.addBos(), rule.addEos());
        return t.toString();
    }

    // ------------------------------------------------------------------ shared

    private static ObjectNode base() {
        ObjectNode t = JSON.createObjectNode();
        t.put("version", "1.0");
        t.putNull("truncation");
        t.putNull("padding");
        t.putArray("added_tokens");
        t.putNull("normalizer");
        t.putNull("pre_tokenizer");
        t.putNull("post_processor");
        t.putNull("decoder");
        return t;
    }

    /** Special tokens: the model's control pieces and those tokenizer_config.json names (bos, eos, unk, pad, added_tokens_decoder). */
    private static void addSpecials(ObjectNode t, JsonNode cfg, Map<String, Integer> ids, List<String> control) {
        ArrayNode added = (ArrayNode) t.get("added_tokens");
        java.util.Set<String> seen = new java.util.LinkedHashSet<>(control);
        for (String k : new String[] {"bos_token", "eos_token", "unk_token", "pad_token"}) {
            String v = tokenText(cfg.get(k));
            if (v != null && ids.containsKey(v)) seen.add(v);
        }
        JsonNode dec = cfg.path("added_tokens_decoder");
        dec.fields().forEachRemaining(e -> {
            String v = e.getValue().path("content").asText(null);
            if (v != null && ids.containsKey(v) && e.getValue().path("special").asBoolean(true)) seen.add(v);
        });
        for (String s : seen) {
            added.addObject().put("id", ids.get(s)).put("content", s).put("single_word", false).put("lstrip", false).put("rstrip", false)
                    .put("normalized", false).put("special", true);
        }
    }

    private static String tokenText(JsonNode n) {
        if (n == null || n.isNull()) return null;
        if (n.isTextual()) return n.asText();
        return n.path("content").asText(null);
    }

    /** TemplateProcessing that adds bos and/or eos around a sequence when asked (what encode(text, true) adds). */
    private static void post(ObjectNode t, JsonNode cfg, Map<String, Integer> ids, boolean bos, boolean eos) {
        String b = tokenText(cfg.get("bos_token")), e = tokenText(cfg.get("eos_token"));
        if (b == null && ids.containsKey("<s>")) b = "<s>";
        if (e == null && ids.containsKey("</s>")) e = "</s>";
        boolean addB = bos && b != null && ids.containsKey(b), addE = eos && e != null && ids.containsKey(e);
        if (!addB && !addE) return;
        ObjectNode p = t.putObject("post_processor");
        p.put("type", "TemplateProcessing");
        ArrayNode single = p.putArray("single"), pair = p.putArray("pair");
        if (addB) {
            single.addObject().putObject("SpecialToken").put("id", b).put("type_id", 0);
            pair.addObject().putObject("SpecialToken").put("id", b).put("type_id", 0);
        }
        single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        if (addE) {
            single.addObject().putObject("SpecialToken").put("id", e).put("type_id", 0);
            pair.addObject().putObject("SpecialToken").put("id", e).put("type_id", 0);
        }
        pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
        ObjectNode st = p.putObject("special_tokens");
        for (String s : new String[] {addB ? b : null, addE ? e : null}) {
            if (s == null) continue;
            ObjectNode x = st.putObject(s);
            x.put("id", s);
            x.putArray("ids").add(ids.get(s));
            x.putArray("tokens").add(s);
        }
    }
}
