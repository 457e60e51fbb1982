package org.emergence.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.emergence.TestFiles;
import org.emergence.cli.Main;
import org.emergence.data.Npy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every architecture with a golden reference (Hugging Face transformers v4.40.2, fp32) must match
 * it within |x − g| ≤ 2e-4 + 1e-4·|g| for block inputs, block outputs and logits — through the
 * Java API and through the CLI.
 */
class GoldenTest {
    static final double ATOL = 2e-4, RTOL = 1e-4;

    static Stream<Arguments> cases() {
        return Stream.of("gpt2", "llama", "gemma", "gpt_neox").flatMap(m -> Stream.of(
                Arguments.of(m, "batch_3x8"), Arguments.of(m, "batch_1x16")));
    }

    static TokenBatch ids(Path batchDir) {
        Path f = batchDir.resolve("input_ids.npy");
        long[] shape = TestFiles.shape(f);
        long[] v = Npy.readLongs(f, Npy.header(f));
        int[] ids = new int[v.length];
        for (int i = 0; i < v.length; i++) ids[i] = (int) v[i];
        return TokenBatch.of((int) shape[0], (int) shape[1], ids);
    }

    /** Captures all block inputs/outputs and logits through the API, laid out like the golden files. */
    static Map<String, float[]> captureApi(Transformer m, TokenBatch b) {
        ModelConfig c = m.config();
        int l = c.layers(), n = b.rows(), h = c.hidden();
        float[] in = new float[l * n * h], out = new float[l * n * h], logits = new float[n * c.vocab()];
        m.run(b, CaptureRequest.blocks(null, l).and(Hooks.LOGITS), (hook, batch, rows, npos, width) -> {
            FloatBuffer r = rows.duplicate();
            if (hook.equals(Hooks.LOGITS)) {
                r.get(0, logits, 0, n * width);
                return;
            }
            Hooks.BlockHook bh = Hooks.parse(hook);
            r.get(0, bh.post() ? out : in, bh.layer() * n * h, n * h);
        });
        Map<String, float[]> res = new HashMap<>();
        res.put("block_inputs", in);
        res.put("block_outputs", out);
        res.put("logits", logits);
        return res;
    }

    @ParameterizedTest(name = "{0} {1} API")
    @MethodSource("cases")
    void apiMatchesGolden(String model, String batch) {
        Path dir = TestFiles.golden(model);
        Transformer m = Transformer.load(dir);
        Map<String, float[]> got = captureApi(m, ids(dir.resolve(batch)));
        for (String name : new String[] {"block_inputs", "block_outputs", "logits"}) {
            float[] g = TestFiles.floats(dir.resolve(batch).resolve(name + ".npy"));
            double excess = TestFiles.worstExcess(got.get(name), g, ATOL, RTOL);
            assertTrue(excess <= 0, model + " " + batch + " " + name + ": max |x-g| = "
                    + TestFiles.maxAbsDiff(got.get(name), g) + " exceeds tolerance by " + excess);
        }
    }

    @ParameterizedTest(name = "{0} {1} CLI")
    @MethodSource("cases")
    void cliMatchesGolden(String model, String batch) throws Exception {
        Path dir = TestFiles.golden(model);
        Path out = TestFiles.tempDir("golden-cli-" + model);
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"capture", "--model", dir.toString(), "--ids",
            dir.resolve(batch).resolve("input_ids.npy").toString(), "--logits", "--quiet", "--out", out.toString()},
                new PrintStream(o), new PrintStream(e));
        assertEquals(0, code, e.toString());
        for (String name : new String[] {"block_inputs", "block_outputs", "logits"}) {
            Path gf = dir.resolve(batch).resolve(name + ".npy");
            Path xf = out.resolve(name + ".npy");
            assertArrayEquals(TestFiles.shape(gf), TestFiles.shape(xf), name + " shape");
            float[] g = TestFiles.floats(gf), x = TestFiles.floats(xf);
            double excess = TestFiles.worstExcess(x, g, ATOL, RTOL);
            assertTrue(excess <= 0, model + " " + batch + " " + name + " via CLI: max |x-g| = "
                    + TestFiles.maxAbsDiff(x, g) + " exceeds tolerance by " + excess);
        }
        assertTrue(Files.isRegularFile(out.resolve("capture.json")));
    }
}
