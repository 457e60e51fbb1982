package org.emergence.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.emergence.Cli;
import org.emergence.TestFiles;
import org.emergence.model.io.Checkpoint;
import org.emergence.model.io.CheckpointWriter;
import org.emergence.model.io.StorageType;
import org.emergence.model.io.Weight;
import org.junit.jupiter.api.Test;

/** A checkpoint split into shards with model.safetensors.index.json loads and computes the same. */
class ShardedCheckpointTest {
    @Test
    void shardedEqualsSingleFile() throws Exception {
        Path src = TestFiles.golden("llama");
        Checkpoint ck = Checkpoint.open(src);
        Path dir = TestFiles.tempDir("sharded");
        Files.copy(src.resolve("config.json"), dir.resolve("config.json"));
        List<String> names = new ArrayList<>(ck.names());
        Map<String, String> index = new LinkedHashMap<>();
        for (int shard = 0; shard < 2; shard++) {
            List<Layout.Tensor> part = new ArrayList<>();
            Map<String, CheckpointWriter.Filler> fill = new LinkedHashMap<>();
            String file = String.format("model-%05d-of-00002.safetensors", shard + 1);
            for (int i = shard; i < names.size(); i += 2) {
                Weight w = ck.get(names.get(i));
                part.add(new Layout.Tensor(w.name(), w.shape(), Layout.Role.MATRIX));
                java.nio.FloatBuffer v = w.f32();
                fill.put(w.name(), (from, dst, n) -> v.get((int) from, dst, 0, n));
                index.put(w.name(), file);
            }
            CheckpointWriter.write(dir.resolve(file), part, fill, StorageType.F32, null);
        }
        StringBuilder json = new StringBuilder("{\"metadata\": {}, \"weight_map\": {");
        int k = 0;
        for (Map.Entry<String, String> e : index.entrySet()) {
            json.append(k++ == 0 ? "" : ",").append('"').append(e.getKey()).append("\":\"").append(e.getValue()).append('"');
        }
        Files.writeString(dir.resolve("model.safetensors.index.json"), json.append("}}").toString());
        Transformer a = Transformer.load(src), b = Transformer.load(dir);
        assertEquals(names.size(), b.checkpoint().names().size());
        TokenBatch batch = GoldenTest.ids(src.resolve("batch_3x8"));
        assertArrayEquals(GoldenTest.captureApi(a, batch).get("logits"), GoldenTest.captureApi(b, batch).get("logits"));
        // a shard listed in the index but absent is named
        Files.delete(dir.resolve("model-00002-of-00002.safetensors"));
        Cli.run("capture", "--model", dir.toString(), "--ids", src.resolve("batch_3x8/input_ids.npy").toString(), "--quiet",
                "--out", dir.resolve("o").toString()).assertUserError("model-00002-of-00002.safetensors", "does not exist");
    }
}
