package org.emergence.ie;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.TreeSet;
import org.emergence.common.AtomicFiles;
import org.emergence.common.JsonFiles;
import org.emergence.common.UserError;

/**
 * The serializer of {@link ActsManifest}: the one place that knows manifest.json's keys. A manifest may be written by
 * hand or by another tool (a GPU box with PyTorch), so reading checks every key and refuses a bad one in one line.
 */
final class ActsManifestJson {
    static final String FILE = "manifest.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ActsManifestJson() {}

    /** Reads and checks {@code mf}. */
    static ActsManifest read(Path mf) {
        JsonNode j = JsonFiles.readObject(mf);
        if (!ActsManifest.FORMAT.equals(j.path("format").asText())) {
            throw new UserError(mf + ": \"format\" must be \"" + ActsManifest.FORMAT + "\", found " + j.path("format"));
        }
        for (String k : new String[] {"model", "model_type"}) {
            if (!j.path(k).isTextual() || j.path(k).asText().isBlank()) throw new UserError(mf + ": \"" + k + "\" must be a non-empty string");
        }
        if (!j.path("causal").isBoolean()) throw new UserError(mf + ": \"causal\" must be true or false");
        if (!j.path("hidden").canConvertToInt() || j.path("hidden").asInt() < 1) throw new UserError(mf + ": \"hidden\" must be a positive integer");
        String mp = j.path("micro_position").asText("");
        if (!mp.equals("original") && !mp.equals("zero")) throw new UserError(mf + ": \"micro_position\" must be \"original\" or \"zero\"");
        TreeSet<Integer> ls = new TreeSet<>();
        if (!j.path("layers").isArray() || j.path("layers").isEmpty()) throw new UserError(mf + ": \"layers\" must be a non-empty list");
        for (JsonNode x : j.path("layers")) {
            if (!x.canConvertToInt() || x.asInt() < 0) throw new UserError(mf + ": \"layers\" must hold block indices >= 0, found " + x);
            if (!ls.add(x.asInt())) throw new UserError(mf + ": \"layers\" lists " + x + " twice");
        }
        return new ActsManifest(ActsManifest.FORMAT, j.path("model").asText(), j.path("model_type").asText(), j.path("causal").asBoolean(),
                j.path("hidden").asInt(), ls.stream().mapToInt(Integer::intValue).toArray(), mp, j.path("micro_specials").asBoolean(false),
                j.hasNonNull("dataset") ? j.path("dataset").asText() : null, j.path("special_tokens").asBoolean(false),
                j.hasNonNull("source") ? j.path("source").asText() : null);
    }

    static ObjectNode json(ActsManifest m) {
        ObjectNode o = JSON.createObjectNode();
        o.put("format", m.format()).put("model", m.model()).put("model_type", m.modelType()).put("causal", m.causal()).put("hidden", m.hidden());
        var a = o.putArray("layers");
        for (int l : m.layers()) a.add(l);
        o.put("micro_position", m.microPosition()).put("micro_specials", m.microSpecials()).put("dataset", m.dataset())
                .put("special_tokens", m.specialTokens()).put("source", m.source());
        return o;
    }

    /** Writes the manifest into {@code dir}, last: a layout is trusted only once it is complete. */
    static void write(Path dir, ActsManifest m) throws IOException {
        AtomicFiles.writeString(dir.resolve(FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json(m)) + "\n");
    }
}
