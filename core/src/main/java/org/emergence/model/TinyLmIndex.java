package org.emergence.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
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

    /** Every model and alias of the index, in its order (none when the resource is absent). */
    static List<Entry> read(ClassLoader cl) {
        List<Entry> out = new ArrayList<>();
        try (InputStream in = cl.getResourceAsStream(RESOURCE)) {
            if (in == null) return out;
            JsonNode root = new ObjectMapper().readTree(in);
            String tokenizer = root.path("tokenizer").asText();
            for (JsonNode m : root.path("models")) {
                out.add(info(m.path("name").asText(), m, tokenizer));
            }
            var aliases = root.path("aliases").fields();
            while (aliases.hasNext()) {
                var a = aliases.next();
                for (JsonNode m : root.path("models")) {
                    if (m.path("name").asText().equals(a.getValue().asText())) out.add(info(a.getKey(), m, tokenizer));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(RESOURCE + " in the jar is unreadable", e);
        }
        return out;
    }

    private static Entry info(String name, JsonNode m, String tokenizer) {
        return new Entry(name, m.path("description").asText(), m.path("resource").asText(), tokenizer, m.path("layers").asInt(),
                m.path("hidden").asInt(), m.path("heads").asInt(), m.path("intermediate").asInt(), m.path("vocab").asInt(),
                m.path("max_positions").asInt(), m.path("parameters").asLong(), m.path("bytes").asLong());
    }
}
