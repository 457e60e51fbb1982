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

    static List<BuiltinModels.Info> read(ClassLoader cl) {
        List<BuiltinModels.Info> out = new ArrayList<>();
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

    private static BuiltinModels.Info info(String name, JsonNode m, String tokenizer) {
        return new BuiltinModels.Info(name, m.path("description").asText(), BuiltinModels.Format.SAFETENSORS,
                m.path("resource").asText(), tokenizer, null, m.path("layers").asInt(), m.path("hidden").asInt(),
                m.path("heads").asInt(), m.path("intermediate").asInt(), m.path("vocab").asInt(),
                m.path("max_positions").asInt(), m.path("parameters").asLong(), m.path("bytes").asLong(), false);
    }
}
