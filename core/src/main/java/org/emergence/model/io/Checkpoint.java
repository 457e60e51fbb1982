package org.emergence.model.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.emergence.common.UserError;

/**
 * A Hugging Face model directory: {@code config.json} plus weights in {@code model.safetensors} or
 * shards listed by {@code model.safetensors.index.json}. Every tensor stays memory-mapped.
 */
public final class Checkpoint {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final JsonNode config;
    private final Map<String, Weight> tensors;

    private Checkpoint(Path dir, JsonNode config, Map<String, Weight> tensors) {
        this.dir = dir;
        this.config = config;
        this.tensors = tensors;
    }

    /**
     * A checkpoint over tensors from another source (e.g. an ONNX file whose initializers were
     * mapped to Hugging Face names); {@code dir} names the source in error messages.
     */
    public static Checkpoint of(Path dir, JsonNode config, Map<String, Weight> tensors) {
        return new Checkpoint(dir, config, new LinkedHashMap<>(tensors));
    }

    public Path dir() {
        return dir;
    }

    public JsonNode config() {
        return config;
    }

    public Set<String> names() {
        return Collections.unmodifiableSet(tensors.keySet());
    }

    public boolean has(String name) {
        return tensors.containsKey(name);
    }

    /** Total bytes of all tensors as stored. */
    public long storedBytes() {
        long n = 0;
        for (Weight w : tensors.values()) n += w.byteSize();
        return n;
    }

    /** The named tensor, or a one-line error naming it and the directory. */
    public Weight get(String name) {
        Weight w = tensors.get(name);
        if (w == null) throw new UserError(dir + ": missing tensor '" + name + "'");
        return w;
    }

    /** The named tensor if present, else null. */
    public Weight find(String name) {
        return tensors.get(name);
    }

    public static JsonNode readConfig(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new UserError(dir + ": not a directory (expected a Hugging Face model directory)");
        }
        Path cfg = dir.resolve("config.json");
        if (!Files.isRegularFile(cfg)) {
            throw new UserError(dir + ": no config.json (not a Hugging Face model directory)");
        }
        return org.emergence.common.JsonFiles.readObject(cfg);
    }

    public static Checkpoint open(Path dir) {
        JsonNode config = readConfig(dir);
        Map<String, Weight> tensors = new LinkedHashMap<>();
        Path index = dir.resolve("model.safetensors.index.json");
        Path single = dir.resolve("model.safetensors");
        if (Files.isRegularFile(index)) {
            JsonNode idx;
            try {
                idx = JSON.readTree(index.toFile());
            } catch (IOException e) {
                throw new UserError(index + ": invalid JSON (" + firstLine(e.getMessage()) + ")");
            }
            JsonNode map = idx == null ? null : idx.get("weight_map");
            if (map == null || !map.isObject()) throw new UserError(index + ": no weight_map object");
            Map<String, Safetensors> shards = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = map.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                String shardName = e.getValue().asText();
                if (shardName.contains("/") || shardName.contains("\\")) {
                    throw new UserError(index + ": shard name '" + shardName + "' must be a file in the directory");
                }
                Safetensors st = shards.computeIfAbsent(shardName, s -> {
                    Path p = dir.resolve(s);
                    if (!Files.isRegularFile(p)) throw new UserError(index + ": shard " + s + " does not exist");
                    return Safetensors.open(p);
                });
                Weight w = st.tensors().get(e.getKey());
                if (w == null) throw new UserError(st.file() + ": missing tensor '" + e.getKey() + "' (listed in " + index.getFileName() + ")");
                tensors.put(e.getKey(), w);
            }
            // tensors present in a shard but not in the index are still usable
            for (Safetensors st : shards.values()) st.tensors().forEach(tensors::putIfAbsent);
        } else if (Files.isRegularFile(single)) {
            tensors.putAll(Safetensors.open(single).tensors());
        } else if (Files.isRegularFile(dir.resolve("pytorch_model.bin.index.json"))) {
            Path binIndex = dir.resolve("pytorch_model.bin.index.json");
            JsonNode map = org.emergence.common.JsonFiles.readObject(binIndex).get("weight_map");
            if (map == null || !map.isObject()) throw new UserError(binIndex + ": no weight_map object");
            Map<String, Map<String, Weight>> shards = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = map.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                String shardName = e.getValue().asText();
                if (shardName.contains("/") || shardName.contains("\\")) {
                    throw new UserError(binIndex + ": shard name '" + shardName + "' must be a file in the directory");
                }
                Map<String, Weight> shard = shards.computeIfAbsent(shardName, s2 -> {
                    Path p2 = dir.resolve(s2);
                    if (!Files.isRegularFile(p2)) throw new UserError(binIndex + ": shard " + s2 + " does not exist");
                    return org.emergence.model.io.TorchBin.open(p2);
                });
                Weight w = shard.get(e.getKey());
                if (w == null) throw new UserError(dir.resolve(shardName) + ": missing tensor '" + e.getKey() + "' (listed in " + binIndex.getFileName() + ")");
                tensors.put(e.getKey(), w);
            }
            for (Map<String, Weight> sh : shards.values()) sh.forEach(tensors::putIfAbsent);
        } else if (Files.isRegularFile(dir.resolve("pytorch_model.bin"))) {
            tensors.putAll(org.emergence.model.io.TorchBin.open(dir.resolve("pytorch_model.bin")));
        } else {
            throw new UserError(dir + ": no model.safetensors, model.safetensors.index.json, pytorch_model.bin or "
                    + "pytorch_model.bin.index.json");
        }
        return new Checkpoint(dir, config, tensors);
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }
}
