package org.emergence.ie;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import org.emergence.common.AtomicFiles;
import org.emergence.common.JsonFiles;

/**
 * The serializer of a run directory's settings.json ({@link RunSettings#toJson}): writes it, reads it back whole (a resumed
 * run compares every setting, {@link RunSettings#firstDifference}) and as {@link Stored}, the settings another run reads.
 */
final class SettingsJson {
    static final String FILE = "settings.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SettingsJson() {}

    /**
     * What another run reads from a finished run's settings ({@code --noise-reference}): whose model and ablation it
     * measured and how it scaled σ.
     *
     * @param noise      σ as a multiple of the scale (null when the file states none)
     * @param noiseScale "layer", "variable" or "absolute" ("" when the file states none)
     */
    record Stored(String model, String ablation, Double noise, String noiseScale) {}

    static void write(Path root, RunSettings s) throws IOException {
        AtomicFiles.writeString(root.resolve(FILE), JSON.writeValueAsString(s.toJson()) + "\n");
    }

    /** The stored settings as a tree, every key kept (one clear line when unreadable). */
    static JsonNode readTree(Path file) {
        return JsonFiles.readObject(file);
    }

    static Stored read(Path file) {
        JsonNode s = readTree(file);
        return new Stored(s.path("model").asText(), s.path("ablation").asText("none"), s.path("noise").isNumber() ? s.path("noise").asDouble() : null,
                s.path("noise_scale").asText());
    }
}
