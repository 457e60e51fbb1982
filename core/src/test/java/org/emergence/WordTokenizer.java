package org.emergence;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.emergence.data.IclDataset;

/**
 * Writes a tiny word-level Hugging Face tokenizer.json (lower-cased words and punctuation, ids below
 * 1000) into a model directory, so the golden tiny models (vocab 1000) can be run on the built-in
 * ICL lists and on small texts.
 */
public final class WordTokenizer {
    private WordTokenizer() {}

    public static Path write(Path dir, List<String> extraWords) throws IOException {
        Set<String> words = new LinkedHashSet<>();
        words.add("[UNK]");
        for (String p : new String[] {",", ".", ":", ";", "?", "-", "!"}) words.add(p);
        for (List<String> items : IclDataset.categories().values()) for (String w : items) words.add(w.toLowerCase());
        for (String w : extraWords) words.add(w.toLowerCase());
        ObjectMapper om = new ObjectMapper();
        ObjectNode root = om.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ObjectNode unk = root.putArray("added_tokens").addObject();
        unk.put("id", 0).put("content", "[UNK]").put("single_word", false).put("lstrip", false).put("rstrip", false)
                .put("normalized", false).put("special", true);
        root.putObject("normalizer").put("type", "Lowercase");
        root.putObject("pre_tokenizer").put("type", "BertPreTokenizer");
        root.putNull("post_processor");
        root.putNull("decoder");
        ObjectNode model = root.putObject("model");
        model.put("type", "WordLevel");
        ObjectNode vocab = model.putObject("vocab");
        int id = 0;
        for (String w : words) vocab.put(w, id++);
        if (id > 1000) throw new IllegalStateException("test vocabulary of " + id + " words exceeds 1000");
        model.put("unk_token", "[UNK]");
        Path f = dir.resolve("tokenizer.json");
        Files.writeString(f, om.writeValueAsString(root));
        return f;
    }

    /** A copy of a golden model directory with the word-level tokenizer added. */
    public static Path goldenWithTokenizer(String model, List<String> extraWords) throws IOException {
        Path src = TestFiles.golden(model);
        Path d = TestFiles.tempDir("tok-" + model);
        Files.copy(src.resolve("config.json"), d.resolve("config.json"));
        Files.copy(src.resolve("model.safetensors"), d.resolve("model.safetensors"));
        write(d, extraWords);
        return d;
    }
}
