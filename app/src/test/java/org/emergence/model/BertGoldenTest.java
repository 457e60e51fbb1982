package org.emergence.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.emergence.TestFiles;
import org.emergence.cli.Main;
import org.emergence.common.UserError;
import org.emergence.data.Npy;
import org.emergence.model.io.Checkpoint;
import org.emergence.model.io.CheckpointWriter;
import org.emergence.model.io.StorageType;
import org.emergence.model.io.Weight;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * BERT against the golden reference (Hugging Face transformers v4.40.2 BertModel, fp32): block
 * inputs and outputs, last_hidden_state and pooler_output within |x − g| ≤ 2e-4 + 1e-4·|g|, with
 * token_type_ids — from safetensors and from the same weights written as an ONNX export, through
 * the API and the CLI. Also: name prefixes, the padding mask, init, and refused options.
 */
class BertGoldenTest {
    static final double ATOL = 2e-4, RTOL = 1e-4;

    static Path golden() {
        return TestFiles.golden("bert");
    }

    static int[] ints(Path npy) {
        long[] v = Npy.readLongs(npy, Npy.header(npy));
        int[] r = new int[v.length];
        for (int i = 0; i < v.length; i++) r[i] = (int) v[i];
        return r;
    }

    /** The golden batch with its token type ids. */
    static TokenBatch batch(String name) {
        Path d = golden().resolve(name);
        long[] shape = TestFiles.shape(d.resolve("input_ids.npy"));
        return TokenBatch.of((int) shape[0], (int) shape[1], ints(d.resolve("input_ids.npy")))
                .withTokenTypes(ints(d.resolve("token_type_ids.npy")));
    }

    /** Block inputs/outputs [L, B, T, H], last hidden state [B, T, H] and pooler [B, H] through the API. */
    static Map<String, float[]> run(Transformer m, TokenBatch b, boolean pooler) {
        ModelConfig c = m.config();
        int l = c.layers(), n = b.rows(), h = c.hidden();
        float[] in = new float[l * n * h], out = new float[l * n * h], last = new float[n * h], pool = new float[b.batch() * h];
        CaptureRequest req = CaptureRequest.blocks(null, l).and(Hooks.FINAL_NORM);
        if (pooler) req = req.and(Hooks.POOLER);
        m.run(b, req, (hook, batch, rows, npos, width) -> {
            FloatBuffer r = rows.duplicate();
            if (hook.equals(Hooks.FINAL_NORM)) {
                r.get(0, last, 0, n * h);
            } else if (hook.equals(Hooks.POOLER)) {
                r.get(0, pool, 0, batch.batch() * h);
            } else {
                Hooks.BlockHook bh = Hooks.parse(hook);
                r.get(0, bh.post() ? out : in, bh.layer() * n * h, n * h);
            }
        });
        Map<String, float[]> res = new LinkedHashMap<>();
        res.put("block_inputs", in);
        res.put("block_outputs", out);
        res.put("last_hidden_state", last);
        if (pooler) res.put("pooler_output", pool);
        return res;
    }

    static void assertGolden(Map<String, float[]> got, String batch, String what) {
        for (Map.Entry<String, float[]> e : got.entrySet()) {
            float[] g = TestFiles.floats(golden().resolve(batch).resolve(e.getKey() + ".npy"));
            double excess = TestFiles.worstExcess(e.getValue(), g, ATOL, RTOL);
            assertTrue(excess <= 0, what + " " + batch + " " + e.getKey() + ": max |x-g| = "
                    + TestFiles.maxAbsDiff(e.getValue(), g) + " exceeds tolerance by " + excess);
        }
    }

    static int cli(ByteArrayOutputStream err, String... args) {
        return Main.run(args, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
    }

    static String oneLine(ByteArrayOutputStream err) {
        String s = err.toString(StandardCharsets.UTF_8).strip();
        assertFalse(s.contains("\n"), "expected one line, got:\n" + s);
        assertTrue(s.startsWith("emergence: error: "), s);
        return s;
    }

    // ------------------------------------------------------------------ golden

    @ParameterizedTest(name = "safetensors {0} API")
    @ValueSource(strings = {"batch_3x8", "batch_1x16"})
    void safetensorsMatchesGolden(String b) {
        Transformer m = Transformer.load(golden());
        assertEquals("bert", m.config().modelType());
        assertFalse(m.config().causal());
        assertTrue(m.hasPooler());
        assertFalse(m.hasLogits());
        assertGolden(run(m, batch(b), true), b, "safetensors");
    }

    @ParameterizedTest(name = "onnx {0} API")
    @ValueSource(strings = {"batch_3x8", "batch_1x16"})
    void onnxExportMatchesGolden(String b) throws IOException {
        Path f = TinyBertOnnx.write(golden(), TestFiles.tempDir("bert-onnx").resolve("model.onnx"));
        Transformer m = OnnxBert.load(f);
        ModelConfig c = m.config();
        Transformer ref = Transformer.load(golden());
        assertEquals(ref.config(), c, "config derived from the ONNX graph");
        assertTrue(m.hasPooler(), "pooler from the Gemm");
        assertGolden(run(m, batch(b), true), b, "onnx");
    }

    @Test
    void onnxWithBertPrefixMatchesGolden() throws IOException {
        TinyBertOnnx.Options o = new TinyBertOnnx.Options();
        o.bertPrefix = true;
        Path f = TinyBertOnnx.write(golden(), TestFiles.tempDir("bert-onnx-prefix").resolve("model.onnx"), o);
        assertGolden(run(OnnxBert.load(f), batch("batch_3x8"), true), "batch_3x8", "onnx bert.");
    }

    @Test
    void safetensorsWithBertPrefixMatchesGolden() throws IOException {
        // BertForMaskedLM & co. save "bert.embeddings…", "bert.encoder…" and no pooler
        Checkpoint ck = Checkpoint.open(golden());
        Path dir = TestFiles.tempDir("bert-prefixed");
        List<Layout.Tensor> tensors = new ArrayList<>();
        Map<String, CheckpointWriter.Filler> fill = new HashMap<>();
        for (String name : ck.names()) {
            if (name.startsWith("pooler.")) continue;
            Weight w = ck.get(name);
            String n = "bert." + name;
            tensors.add(Layout.Tensor.of(n, Layout.Role.MATRIX, w.shape()));
            fill.put(n, (from, dst, count) -> w.f32().get((int) from, dst, 0, count));
        }
        tensors.add(Layout.Tensor.of("cls.predictions.bias", Layout.Role.BIAS, 1000));
        fill.put("cls.predictions.bias", (from, dst, count) -> java.util.Arrays.fill(dst, 0, count, 0f));
        CheckpointWriter.write(dir.resolve("model.safetensors"), tensors, fill, StorageType.F32, null);
        ObjectNode cfg = (ObjectNode) new ObjectMapper().readTree(golden().resolve("config.json").toFile());
        cfg.putArray("architectures").add("BertForMaskedLM");
        Files.writeString(dir.resolve("config.json"), cfg.toString());
        Transformer m = Transformer.load(dir);
        assertFalse(m.hasPooler());
        UserError e = assertThrows(UserError.class, () -> run(m, batch("batch_3x8"), true));
        assertTrue(e.getMessage().contains("no pooler"), e.getMessage());
        assertGolden(run(m, batch("batch_3x8"), false), "batch_3x8", "bert.-prefixed");
    }

    @ParameterizedTest(name = "CLI {0}")
    @ValueSource(strings = {"batch_3x8", "batch_1x16"})
    void cliMatchesGolden(String b) throws IOException {
        Path onnx = TinyBertOnnx.write(golden(), TestFiles.tempDir("bert-cli-onnx").resolve("model.onnx"));
        for (String model : new String[] {golden().toString(), onnx.toString()}) {
            Path out = TestFiles.tempDir("bert-cli");
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = cli(err, "capture", "--model", model, "--ids", golden().resolve(b).resolve("input_ids.npy").toString(),
                    "--token-type-ids", golden().resolve(b).resolve("token_type_ids.npy").toString(), "--quiet",
                    "--out", out.toString());
            assertEquals(0, code, err.toString());
            for (String name : new String[] {"block_inputs", "block_outputs"}) {
                Path gf = golden().resolve(b).resolve(name + ".npy"), xf = out.resolve(name + ".npy");
                assertArrayEquals(TestFiles.shape(gf), TestFiles.shape(xf), name + " shape");
                float[] g = TestFiles.floats(gf), x = TestFiles.floats(xf);
                double excess = TestFiles.worstExcess(x, g, ATOL, RTOL);
                assertTrue(excess <= 0, model + " " + b + " " + name + " via CLI: max |x-g| = " + TestFiles.maxAbsDiff(x, g));
            }
        }
    }

    @Test
    void tokenTypesMatter() {
        // without the golden token types (all 0) the second half of each sequence differs
        Transformer m = Transformer.load(golden());
        TokenBatch b = batch("batch_3x8");
        float[] with = run(m, b, false).get("block_inputs");
        float[] without = run(m, b.withTokenTypes(null), false).get("block_inputs");
        assertTrue(TestFiles.maxAbsDiff(with, without) > 0.01);
    }

    // ------------------------------------------------------------------ padding mask

    @Test
    void paddedBatchWithMaskMatchesUnpadded() {
        Transformer m = Transformer.load(golden());
        TokenBatch b = batch("batch_3x8");
        int t = b.length(), tp = t + 3, bs = b.batch(), h = m.config().hidden(), l = m.config().layers();
        int[] ids = new int[bs * tp], types = new int[bs * tp], mask = new int[bs * tp];
        for (int s = 0; s < bs; s++) {
            for (int i = 0; i < tp; i++) {
                boolean real = i < t;
                ids[s * tp + i] = real ? b.ids()[s * t + i] : 0;
                types[s * tp + i] = real ? b.tokenTypes()[s * t + i] : 0;
                mask[s * tp + i] = real ? 1 : 0;
            }
        }
        TokenBatch padded = new TokenBatch(bs, tp, ids, null, types, mask);
        float[] ref = run(m, b, false).get("block_outputs");
        float[] got = run(m, padded, false).get("block_outputs");
        double worst = 0;
        for (int layer = 0; layer < l; layer++) {
            for (int s = 0; s < bs; s++) {
                for (int i = 0; i < t; i++) {
                    for (int j = 0; j < h; j++) {
                        float x = got[((layer * bs + s) * tp + i) * h + j], g = ref[((layer * bs + s) * t + i) * h + j];
                        worst = Math.max(worst, Math.abs(x - g));
                    }
                }
            }
        }
        assertTrue(worst < 2e-5, "padding changed real-token outputs by " + worst);
        // and without the mask the padding is visible
        float[] unmasked = run(m, padded.withMask(null), false).get("block_outputs");
        assertTrue(TestFiles.maxAbsDiff(unmasked, got) > 1e-3);
    }

    // ------------------------------------------------------------------ init and refusals

    @Test
    void initWritesALoadableBert() throws IOException {
        Path dir = TestFiles.tempDir("bert-init");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = cli(err, "init", "--arch", "bert", "--layers", "2", "--hidden", "32", "--heads", "4", "--vocab", "100",
                "--seed", "3", "--out", dir.toString());
        assertEquals(0, code, err.toString());
        Transformer m = Transformer.load(dir);
        ModelConfig c = m.config();
        assertEquals("bert", c.modelType());
        assertEquals(2, c.layers());
        assertEquals(32, c.hidden());
        assertEquals(4, c.heads());
        assertEquals(128, c.intermediate());
        assertEquals(512, c.maxPositions());
        assertEquals(2, c.typeVocab());
        assertTrue(m.hasPooler());
        TokenBatch b = TokenBatch.of(new int[][] {{1, 5, 7, 2}, {1, 9, 8, 2}}).withTokenTypes(new int[] {0, 0, 1, 1, 0, 0, 1, 1});
        Map<String, float[]> r = run(m, b, true);
        for (float[] v : r.values()) for (float x : v) assertTrue(Float.isFinite(x));
        // post-LN: every block output row is normalised (unit weights, zero biases at init)
        float[] out = r.get("block_outputs");
        double mean = 0;
        for (int j = 0; j < 32; j++) mean += out[j];
        assertEquals(0, mean / 32, 1e-4);
    }

    static Path goldenWith(String key, Object value) throws IOException {
        Path dir = TestFiles.tempDir("bert-cfg");
        Files.copy(golden().resolve("model.safetensors"), dir.resolve("model.safetensors"));
        ObjectNode cfg = (ObjectNode) new ObjectMapper().readTree(golden().resolve("config.json").toFile());
        if (value instanceof Boolean bv) cfg.put(key, bv);
        else cfg.put(key, value.toString());
        Files.writeString(dir.resolve("config.json"), cfg.toString());
        return dir;
    }

    @Test
    void refusesUnimplementedOptionsByName() throws IOException {
        Object[][] cases = {
            {"position_embedding_type", "relative_key", "position_embedding_type=relative_key"},
            {"is_decoder", true, "is_decoder=true"},
            {"add_cross_attention", true, "add_cross_attention=true"},
            {"hidden_act", "mish", "hidden_act=mish"},
        };
        for (Object[] c : cases) {
            Path dir = goldenWith((String) c[0], c[1]);
            UserError e = assertThrows(UserError.class, () -> Transformer.load(dir));
            assertTrue(e.getMessage().contains((String) c[2]) && e.getMessage().contains("config.json"), e.getMessage());
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = cli(err, "capture", "--model", dir.toString(), "--ids",
                    golden().resolve("batch_3x8").resolve("input_ids.npy").toString(), "--out", TestFiles.tempDir("x").toString());
            assertEquals(2, code);
            assertTrue(oneLine(err).contains((String) c[2]), err.toString());
        }
    }

    @Test
    void refusesLogitsForAnEncoder() throws IOException {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = cli(err, "capture", "--model", golden().toString(), "--ids",
                golden().resolve("batch_3x8").resolve("input_ids.npy").toString(), "--logits", "--out",
                TestFiles.tempDir("bert-logits").toString());
        assertEquals(2, code);
        assertTrue(oneLine(err).contains("no language-model head"), err.toString());
        UserError e = assertThrows(UserError.class, () -> Transformer.load(golden()).run(batch("batch_3x8"),
                CaptureRequest.of(Hooks.LOGITS), (hook, b, rows, p, w) -> { }));
        assertTrue(e.getMessage().contains("logits"));
    }

    @Test
    void refusesBadTokenTypes() throws IOException {
        Path tt = TestFiles.tempDir("bert-tt").resolve("tt.npy");
        int[] v = new int[24];
        v[5] = 2; // type_vocab_size is 2
        Npy.writeInts(tt, new long[] {3, 8}, v);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = cli(err, "capture", "--model", golden().toString(), "--ids",
                golden().resolve("batch_3x8").resolve("input_ids.npy").toString(), "--token-type-ids", tt.toString(), "--out",
                TestFiles.tempDir("bert-tt-out").toString());
        assertEquals(2, code);
        assertTrue(oneLine(err).contains("token type id 2"), err.toString());
        Path wrongShape = tt.resolveSibling("tt2.npy");
        Npy.writeInts(wrongShape, new long[] {3, 7}, new int[21]);
        err.reset();
        code = cli(err, "capture", "--model", golden().toString(), "--ids",
                golden().resolve("batch_3x8").resolve("input_ids.npy").toString(), "--token-type-ids", wrongShape.toString(),
                "--out", TestFiles.tempDir("bert-tt-out").toString());
        assertEquals(2, code);
        assertTrue(oneLine(err).contains("expected [3, 8]"), err.toString());
    }
}
