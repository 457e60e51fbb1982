package org.emergence.tokenize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.emergence.common.JsonFiles;

/**
 * What Hugging Face's {@code tokenizer(text)["input_ids"]} puts around a single text for a model folder — the
 * special tokens the model was trained with — decided the way {@code AutoTokenizer} decides it:
 * <ul>
 *   <li>the tokenizer class is {@code tokenizer_config.json}'s {@code tokenizer_class} (a "Fast" suffix ignored),
 *       else the class {@code config.json}'s {@code model_type} maps to;</li>
 *   <li>Llama, CodeLlama, Gemma, Cohere and GPT-NeoX tokenizers rebuild their template from
 *       {@code add_bos_token} / {@code add_eos_token} (class defaults: BOS for Llama, CodeLlama, Gemma and Cohere;
 *       nothing for GPT-NeoX), whatever {@code tokenizer.json}'s post-processor says;</li>
 *   <li>every other class adds what {@code tokenizer.json}'s post-processor adds (BERT: [CLS] … [SEP]; GPT-2:
 *       nothing); a SentencePiece {@code tokenizer.model} adds BOS (Llama) or EOS (T5) unless the config says
 *       otherwise.</li>
 * </ul>
 * A SentencePiece model whose folder names no class, no {@code add_bos_token} and no known model type is
 * {@linkplain #known() unknown}: whether it was trained with BOS cannot be read from the files.
 *
 * @param tokenizerClass the class, without "Fast" (null: none named)
 * @param rebuildsTemplate true when the class writes its own template from add_bos_token / add_eos_token
 * @param addBos         the template adds the BOS token (only meaningful when rebuildsTemplate)
 * @param addEos         the template adds the EOS token (only meaningful when rebuildsTemplate)
 * @param bosToken       the BOS token's text (config, else the class default)
 * @param eosToken       the EOS token's text (config, else the class default)
 * @param known          false when the folder cannot say whether its tokenizer adds BOS
 * @param source         the file that decided, for messages
 */
public record SpecialTokenRule(String tokenizerClass, boolean rebuildsTemplate, boolean addBos, boolean addEos, String bosToken,
                               String eosToken, boolean known, String source) {

    /** Classes that rebuild their template, with their default (add_bos, bos token, eos token). */
    private record ClassDefault(boolean bos, String bosToken, String eosToken) {}

    private static final Map<String, ClassDefault> REBUILDS = Map.of(
            "LlamaTokenizer", new ClassDefault(true, "<s>", "</s>"),
            "CodeLlamaTokenizer", new ClassDefault(true, "<s>", "</s>"),
            "GemmaTokenizer", new ClassDefault(true, "<bos>", "<eos>"),
            "CohereTokenizer", new ClassDefault(true, "<BOS_TOKEN>", "<|END_OF_TURN_TOKEN|>"),
            "GPTNeoXTokenizer", new ClassDefault(false, "<|endoftext|>", "<|endoftext|>"));

    /** model_type → tokenizer class, as transformers' auto mapping has it for the families this tool runs. */
    private static final Map<String, String> BY_MODEL_TYPE = Map.ofEntries(
            Map.entry("llama", "LlamaTokenizer"), Map.entry("mistral", "LlamaTokenizer"), Map.entry("mixtral", "LlamaTokenizer"),
            Map.entry("gemma", "GemmaTokenizer"), Map.entry("gemma2", "GemmaTokenizer"), Map.entry("cohere", "CohereTokenizer"),
            Map.entry("gpt_neox", "GPTNeoXTokenizer"), Map.entry("t5", "T5Tokenizer"), Map.entry("gpt2", "GPT2Tokenizer"),
            Map.entry("bert", "BertTokenizer"), Map.entry("opt", "GPT2Tokenizer"), Map.entry("gpt_neo", "GPT2Tokenizer"),
            Map.entry("gptj", "GPT2Tokenizer"), Map.entry("phi", "CodeGenTokenizer"), Map.entry("falcon", "PreTrainedTokenizer"),
            Map.entry("olmo", "GPTNeoXTokenizer"), Map.entry("openai-gpt", "OpenAIGPTTokenizer"));

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The rule for a model folder (tokenizer_config.json and config.json, when present). */
    public static SpecialTokenRule of(Path dir) {
        Path tc = dir.resolve("tokenizer_config.json"), mc = dir.resolve("config.json");
        JsonNode cfg = Files.isRegularFile(tc) ? JsonFiles.readObject(tc) : JSON.createObjectNode();
        JsonNode model = Files.isRegularFile(mc) ? JsonFiles.readObject(mc) : JSON.createObjectNode();
        String cls = cfg.path("tokenizer_class").asText(null);
        String source = tc.toString();
        if (cls != null && cls.endsWith("Fast")) cls = cls.substring(0, cls.length() - 4);
        if (cls == null || cls.isEmpty()) {
            cls = BY_MODEL_TYPE.get(model.path("model_type").asText("").toLowerCase(Locale.ROOT));
            if (cls != null) source = mc.toString();
        }
        ClassDefault d = cls == null ? null : REBUILDS.get(cls);
        boolean bos = cfg.path("add_bos_token").asBoolean(d != null && d.bos());
        boolean eos = cfg.path("add_eos_token").asBoolean(false);
        String bosTok = tokenText(cfg.get("bos_token"), d == null ? null : d.bosToken());
        String eosTok = tokenText(cfg.get("eos_token"), d == null ? null : d.eosToken());
        boolean sentencePieceOnly = Files.isRegularFile(dir.resolve("tokenizer.model")) && !Files.isRegularFile(dir.resolve("tokenizer.json"));
        boolean known = !sentencePieceOnly || cls != null || cfg.has("add_bos_token");
        if (sentencePieceOnly && !known) source = dir.resolve("tokenizer.model").toString();
        return new SpecialTokenRule(cls, d != null, bos, eos, bosTok, eosTok, known, source);
    }

    private static String tokenText(JsonNode n, String def) {
        if (n == null || n.isNull()) return def;
        if (n.isTextual()) return n.asText();
        return n.path("content").asText(def);
    }
}
