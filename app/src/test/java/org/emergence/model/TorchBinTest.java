package org.emergence.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.emergence.TestFiles;
import org.emergence.common.UserError;
import org.emergence.model.io.StorageType;
import org.emergence.model.io.TorchBin;
import org.emergence.model.io.Weight;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** pytorch_model.bin written by PyTorch (tools/golden/make_torch_bin.py), read by the restricted reader. */
class TorchBinTest {
    static Path bin(String name) {
        return TestFiles.resource("torchbin/" + name);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gpt2-zip", "gpt2-legacy", "gpt2-sharded"})
    void theGoldenGpt2FromABinMatchesHuggingFace(String layout) {
        Transformer m = Transformer.load(bin(layout));
        Path golden = TestFiles.golden("gpt2");
        Map<String, float[]> got = GoldenTest.captureApi(m, GoldenTest.ids(golden.resolve("batch_3x8")));
        for (String name : new String[] {"block_inputs", "block_outputs", "logits"}) {
            float[] g = TestFiles.floats(golden.resolve("batch_3x8").resolve(name + ".npy"));
            assertTrue(TestFiles.worstExcess(got.get(name), g, GoldenTest.ATOL, GoldenTest.RTOL) <= 0, layout + " " + name);
        }
        for (String t : m.checkpoint().names()) assertTrue(m.checkpoint().get(t).file().toString().endsWith(".bin"), t);
    }

    @Test
    void dtypesAndSharedStorageViewsAreMappedInPlace() throws Exception {
        Map<String, Weight> w = TorchBin.open(bin("dtypes.bin"));
        JsonNode want = new ObjectMapper().readTree(bin("dtypes.json").toFile());
        assertEquals(StorageType.F32, w.get("f32").type());
        assertEquals(StorageType.F16, w.get("f16").type());
        assertEquals(StorageType.BF16, w.get("bf16").type());
        for (String k : new String[] {"f32", "f16", "bf16", "view_a", "view_b"}) {
            Weight x = w.get(k);
            int n = (int) x.numel();
            FloatBuffer b = FloatBuffer.allocate(n);
            x.readF32(0, n, b, 0);
            for (int i = 0; i < n; i++) assertEquals(want.get(k).get(i).asDouble(), b.get(i), 1e-6, k + "[" + i + "]");
        }
        assertEquals(w.get("view_a").file(), w.get("view_b").file(), "one storage, two views");
    }

    @Test
    void aPickleThatWouldRunCodeIsRefusedByName() throws Exception {
        Path marker = Path.of("/tmp/emergence-pwned");
        Files.deleteIfExists(marker);
        UserError e = assertThrows(UserError.class, () -> TorchBin.open(bin("evil.bin")));
        assertTrue(e.getMessage().contains("pickle global posix.system is refused") || e.getMessage().contains("os.system is refused"),
                e.getMessage());
        assertFalse(Files.exists(marker), "nothing was executed");
    }

    @Test
    void damagedCheckpointsAreOneLine() throws Exception {
        UserError nc = assertThrows(UserError.class, () -> TorchBin.open(bin("noncontig.bin")));
        assertTrue(nc.getMessage().contains("'transposed' is not contiguous"), nc.getMessage());
        Path d = TestFiles.tempDir("bin-damage");
        byte[] zip = Files.readAllBytes(bin("gpt2-zip/pytorch_model.bin"));
        Files.write(d.resolve("cut.bin"), java.util.Arrays.copyOf(zip, zip.length / 2));
        UserError cut = assertThrows(UserError.class, () -> TorchBin.open(d.resolve("cut.bin")));
        assertTrue(cut.getMessage().contains("cut.bin"), cut.getMessage());
        byte[] legacy = Files.readAllBytes(bin("gpt2-legacy/pytorch_model.bin"));
        Files.write(d.resolve("cut-legacy.bin"), java.util.Arrays.copyOf(legacy, legacy.length - 1000));
        UserError cl = assertThrows(UserError.class, () -> TorchBin.open(d.resolve("cut-legacy.bin")));
        assertTrue(cl.getMessage().contains("cut-legacy.bin") && (cl.getMessage().contains("shorter") || cl.getMessage().contains("truncated")),
                cl.getMessage());
        Files.write(d.resolve("text.bin"), "hello world, not a checkpoint".getBytes());
        assertThrows(UserError.class, () -> TorchBin.open(d.resolve("text.bin")));
        // a sharded index naming a missing shard
        Path sh = Files.createDirectories(d.resolve("sharded"));
        for (Path p : (Iterable<Path>) Files.list(bin("gpt2-sharded"))::iterator) Files.copy(p, sh.resolve(p.getFileName()));
        Files.delete(sh.resolve("pytorch_model-00003-of-00010.bin"));
        UserError ms = assertThrows(UserError.class, () -> Transformer.load(sh));
        assertTrue(ms.getMessage().contains("shard pytorch_model-00003-of-00010.bin does not exist"), ms.getMessage());
    }

    @Test
    void safetensorsWinsWhenBothExist() throws Exception {
        Path d = TestFiles.tempDir("both");
        for (String f : new String[] {"config.json", "model.safetensors"}) Files.copy(TestFiles.golden("gpt2").resolve(f), d.resolve(f));
        Files.copy(bin("evil.bin"), d.resolve("pytorch_model.bin"));
        Transformer m = Transformer.load(d);
        for (String t : m.checkpoint().names()) assertTrue(m.checkpoint().get(t).file().toString().endsWith(".safetensors"));
    }
}
