package org.emergence.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The project's trained decoders ({@code tinylm}, {@code tinylm-*}), listed by the resource
 * {@code tinylm/index.json} that {@code tools/train-tiny-lm/build.sh} writes next to the models:
 * one entry per model (name, resource folder, shape, parameters, bytes, what it is) and aliases
 * ({@code tinylm} → the largest trained model). A build without the resource simply has no tinylm
 * models.
 */
final class TinyLmIndex {
    private TinyLmIndex() {}

    static final String RESOURCE = "tinylm/index.json";

    /**
     * One model of the index under one name (its own or an alias).
     *
     * @param resource   the resource folder of its safetensors files
     * @param tokenizer  the tokenizer resource every tinylm model shares
     * @param parameters weights in the file, without the tied head
     * @param bytes      size of its model.safetensors
     */
    record Entry(String name, String description, String resource, String tokenizer, int layers, int hidden, int heads,
                 int intermediate, int vocab, int maxPositions, long parameters, long bytes) {}

    /**
     * index.json as the training tools write it: the shared tokenizer, the models, and aliases (alias → model name, in
     * file order). Keys the tool does not use (the corpus, training steps) are ignored.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record IndexFile(String tokenizer, List<Model> models, LinkedHashMap<String, String> aliases) {
        IndexFile {
            models = models == null ? List.of() : List.copyOf(models);
            aliases = aliases == null ? new LinkedHashMap<>() : aliases;
        }
    }

    /** One model of index.json. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Model(String name, String description, String resource, int layers, int hidden, int heads, int intermediate, int vocab,
                 @JsonProperty("max_positions") int maxPositions, long parameters, long bytes) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    static IndexFile parse(InputStream in) throws IOException {
        return JSON.readValue(in, IndexFile.class);
    }

    static String write(IndexFile index) throws IOException {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(index) + "\n";
    }

    /** Every model and alias of the index, in its order (none when the resource is absent). */
    static List<Entry> read(ClassLoader cl) {
        List<Entry> out = new ArrayList<>();
        try (InputStream in = cl.getResourceAsStream(RESOURCE)) {
            if (in == null) return out;
            IndexFile index = parse(in);
            for (Model m : index.models()) out.add(entry(m.name(), m, index.tokenizer()));
            for (var a : index.aliases().entrySet()) {
                for (Model m : index.models()) if (m.name().equals(a.getValue())) out.add(entry(a.getKey(), m, index.tokenizer()));
            }
        } catch (IOException e) {
            throw new IllegalStateException(RESOURCE + " in the jar is unreadable", e);
        }
        return out;
    }

    private static Entry entry(String name, Model m, String tokenizer) {
        return new Entry(name, m.description(), m.resource(), tokenizer, m.layers(), m.hidden(), m.heads(), m.intermediate(), m.vocab(),
                m.maxPositions(), m.parameters(), m.bytes());
    }
}
