package org.emergence.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import org.emergence.common.AtomicFiles;
import org.emergence.model.io.CheckpointWriter;

/**
 * A fresh random checkpoint of a family in the Hugging Face layout (config.json + model.safetensors), for
 * {@code emergence init}; the tensors are written by {@link CheckpointWriter}, deterministic for a seed.
 */
public final class RandomCheckpoint {
    private RandomCheckpoint() {}

    /**
     * A random checkpoint of family {@code f}: matrices and embeddings ~ N(0, std²), norm weights 1
     * (0 for (1 + w) norms), biases 0 — the Hugging Face initialisation.
     */
    public static Path write(Family f, InitSpec spec, double std, Path out, LongConsumer progress) throws IOException {
        ObjectNode cfg = f.initConfig(spec);
        cfg.put("torch_dtype", switch (spec.dtype()) {
            case F16 -> "float16";
            case BF16 -> "bfloat16";
            default -> "float32";
        });
        cfg.put("transformers_version", "4.40.2");
        ModelConfig c = f.parse(new ConfigReader(cfg, out));
        Layout layout = f.layout(c);
        Map<String, Layout.Tensor> tensors = new LinkedHashMap<>();
        for (Layout.Tensor t : layout.all()) tensors.putIfAbsent(t.name(), t);
        Map<String, CheckpointWriter.Filler> fillers = new LinkedHashMap<>();
        int index = 0;
        for (Layout.Tensor t : tensors.values()) {
            long tensorSeed = CheckpointWriter.mix(spec.seed(), index++);
            fillers.put(t.name(), switch (t.role()) {
                case MATRIX, EMBEDDING -> CheckpointWriter.gaussian(tensorSeed, std);
                case NORM_ONE -> (from, dst, n) -> java.util.Arrays.fill(dst, 0, n, 1f);
                case NORM_ZERO, BIAS -> (from, dst, n) -> java.util.Arrays.fill(dst, 0, n, 0f);
            });
        }
        Files.createDirectories(out);
        ObjectMapper om = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        // weights first, config last: a directory with a config.json is a whole model; a failure (a full disk)
        // removes what was written, so nothing half-made is left to be loaded later
        try {
            CheckpointWriter.write(out.resolve("model.safetensors"), List.copyOf(tensors.values()), fillers, spec.dtype(), progress);
            AtomicFiles.writeString(out.resolve("config.json"), om.writeValueAsString(cfg) + "\n");
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(out.resolve("config.json"));
            Files.deleteIfExists(out.resolve("model.safetensors"));
            throw e;
        }
        return out;
    }
}
