package org.emergence.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.emergence.Cli;
import org.emergence.TestFiles;
import org.emergence.model.io.StorageType;
import org.emergence.model.io.Weight;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** `emergence init` writes every family in every dtype; what it writes loads back and runs. */
class InitTest {
    @ParameterizedTest(name = "init {0} {1}")
    @CsvSource({"gpt2,f32", "gpt2,bf16", "llama,f16", "llama,bf16", "mistral,f32", "qwen2,bf16", "gemma,f32",
        "gemma2,f16", "gpt_neox,bf16", "gptj,f32", "openai-gpt,f32", "gpt_neo,bf16", "opt,f16", "phi,f32", "phi3,bf16",
        "olmo,f32", "falcon,f16", "mixtral,f32"})
    void initWritesALoadableCheckpoint(String arch, String dtype) throws Exception {
        Path out = TestFiles.tempDir("init-" + arch);
        Cli.run("init", "--arch", arch, "--layers", "2", "--hidden", "64", "--heads", "4", "--kv-heads", "2", "--vocab", "500",
                "--dtype", dtype, "--seed", "3", "--out", out.toString()).assertOk();
        Transformer m = Transformer.load(out);
        assertEquals(arch, m.config().modelType());
        assertEquals(2, m.config().layers());
        StorageType expect = switch (dtype) {
            case "f16" -> StorageType.F16;
            case "bf16" -> StorageType.BF16;
            default -> StorageType.F32;
        };
        for (String n : m.checkpoint().names()) assertEquals(expect, m.checkpoint().get(n).type(), n);
        Map<String, float[]> r = GoldenTest.captureApi(m, TokenBatch.of(2, 5, FamiliesTest.randomIds(10, 500, 1)));
        for (float v : r.get("logits")) assertTrue(Float.isFinite(v));
        // the same seed writes the same weights
        Path again = TestFiles.tempDir("init2-" + arch);
        Cli.run("init", "--arch", arch, "--layers", "2", "--hidden", "64", "--heads", "4", "--kv-heads", "2", "--vocab", "500",
                "--dtype", dtype, "--seed", "3", "--out", again.toString()).assertOk();
        assertTrue(java.util.Arrays.equals(java.nio.file.Files.readAllBytes(out.resolve("model.safetensors")),
                java.nio.file.Files.readAllBytes(again.resolve("model.safetensors"))));
    }

    @ParameterizedTest(name = "half precision conversions {0}")
    @CsvSource({"1.0", "-2.5", "65504", "6.1e-5", "5.96e-8", "0.1", "-0.0", "3.14159"})
    void halfConversionsRoundTrip(float v) {
        // F16 and BF16 round to nearest even and widen exactly
        float h = org.emergence.common.Half.toFloat(org.emergence.common.Half.fromFloat(v) & 0xffff);
        assertEquals(v, h, Math.abs(v) * 1e-3 + 6e-8);
        float b = Float.intBitsToFloat((Weight.toBf16(v) & 0xffff) << 16);
        assertEquals(v, b, Math.abs(v) * 8e-3);
    }
}
