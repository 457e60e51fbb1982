package org.emergence.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.emergence.model.family.Families;
import org.emergence.model.io.Checkpoint;
import org.emergence.model.io.CheckpointWriter;
import org.emergence.model.io.StorageType;

/**
 * Test checkpoints with every parameter random — unlike {@code emergence init}, norms and biases
 * too — so that no parameter can be silently ignored: matrices ~ N(0, 0.2²) like the goldens,
 * norm weights 1 + N(0, 0.1²) (N(0, 0.1²) for (1 + w) norms), biases ~ N(0, 0.1²).
 */
final class RandomCheckpoints {
    private RandomCheckpoints() {}

    static Path write(Path dir, String configJson, long seed, StorageType type) throws IOException {
        ObjectNode cfg = (ObjectNode) new ObjectMapper().readTree(configJson);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), cfg.toPrettyString());
        Family f = Families.forConfig(cfg, dir);
        ModelConfig c = f.parse(new ConfigReader(cfg, dir));
        Layout layout = f.layout(c);
        Map<String, Layout.Tensor> unique = new LinkedHashMap<>();
        for (Layout.Tensor t : layout.all()) unique.putIfAbsent(t.name(), t);
        Map<String, CheckpointWriter.Filler> fillers = new LinkedHashMap<>();
        int i = 0;
        for (Layout.Tensor t : unique.values()) {
            long s = CheckpointWriter.mix(seed, i++);
            CheckpointWriter.Filler g01 = CheckpointWriter.gaussian(s, 0.1);
            fillers.put(t.name(), switch (t.role()) {
                case MATRIX, EMBEDDING -> CheckpointWriter.gaussian(s, 0.2);
                case NORM_ONE -> (from, dst, n) -> {
                    g01.fill(from, dst, n);
                    for (int j = 0; j < n; j++) dst[j] += 1f;
                };
                case NORM_ZERO, BIAS -> g01;
            });
        }
        CheckpointWriter.write(dir.resolve("model.safetensors"), new ArrayList<>(unique.values()), fillers, type, null);
        return dir;
    }

    static List<Layout.Tensor> tensors(Path dir) {
        Checkpoint ck = Checkpoint.open(dir);
        List<Layout.Tensor> out = new ArrayList<>();
        for (String n : ck.names()) out.add(new Layout.Tensor(n, ck.get(n).shape(), Layout.Role.MATRIX));
        return out;
    }
}
