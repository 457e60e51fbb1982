package org.emergence.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.emergence.TestFiles;
import org.emergence.common.UserError;
import org.emergence.model.io.StorageType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Evidence for every decoder family, including those without a golden file: the core must agree
 * with {@link ReferenceForward} (an independent float64 transcription of the reference equations,
 * itself checked against the goldens) on random checkpoints whose every parameter is random, with
 * non-default options switched on; causal prefixes must not depend on later tokens; unsupported
 * options are refused by name.
 */
class FamiliesTest {
    static final double ATOL = 2e-4, RTOL = 1e-4;

    /** Family configurations exercising the options each family must honour. */
    static final Map<String, String> CONFIGS = Map.of(
            "llama-gqa-bias-llama3", """
                {"model_type":"llama","hidden_size":64,"num_hidden_layers":3,"num_attention_heads":4,"num_key_value_heads":2,
                 "intermediate_size":96,"vocab_size":300,"max_position_embeddings":64,"rms_norm_eps":1e-6,"rope_theta":500000.0,
                 "rope_scaling":{"rope_type":"llama3","factor":8.0,"low_freq_factor":1.0,"high_freq_factor":4.0,
                 "original_max_position_embeddings":16},"attention_bias":true,"mlp_bias":true,"tie_word_embeddings":false,"hidden_act":"silu"}""",
            "llama-linear-tied", """
                {"model_type":"llama","hidden_size":64,"num_hidden_layers":2,"num_attention_heads":4,"intermediate_size":80,
                 "vocab_size":300,"max_position_embeddings":64,"rms_norm_eps":1e-5,"rope_scaling":{"type":"linear","factor":2.0},
                 "tie_word_embeddings":true}""",
            "mistral-window", """
                {"model_type":"mistral","hidden_size":64,"num_hidden_layers":3,"num_attention_heads":4,"num_key_value_heads":2,
                 "intermediate_size":96,"vocab_size":300,"max_position_embeddings":64,"rms_norm_eps":1e-5,"rope_theta":10000.0,
                 "sliding_window":3,"tie_word_embeddings":false,"hidden_act":"silu"}""",
            "qwen2-window", """
                {"model_type":"qwen2","hidden_size":64,"num_hidden_layers":3,"num_attention_heads":4,"num_key_value_heads":2,
                 "intermediate_size":96,"vocab_size":300,"max_position_embeddings":64,"rms_norm_eps":1e-6,"rope_theta":1000000.0,
                 "use_sliding_window":true,"sliding_window":3,"max_window_layers":1,"tie_word_embeddings":true,"hidden_act":"silu"}""",
            "gemma-mqa", """
                {"model_type":"gemma","hidden_size":64,"num_hidden_layers":2,"num_attention_heads":4,"num_key_value_heads":1,
                 "head_dim":32,"intermediate_size":128,"vocab_size":300,"max_position_embeddings":64,"rms_norm_eps":1e-6,
                 "rope_theta":10000.0,"hidden_activation":"gelu_pytorch_tanh"}""",
            "gemma2", """
                {"model_type":"gemma2","hidden_size":64,"num_hidden_layers":3,"num_attention_heads":4,"num_key_value_heads":2,
                 "head_dim":16,"intermediate_size":128,"vocab_size":300,"max_position_embeddings":64,"rms_norm_eps":1e-6,
                 "rope_theta":10000.0,"hidden_activation":"gelu_pytorch_tanh","query_pre_attn_scalar":24,
                 "attn_logit_softcapping":5.0,"final_logit_softcapping":3.0,"sliding_window":4}""",
            "neox-sequential", """
                {"model_type":"gpt_neox","hidden_size":64,"num_hidden_layers":2,"num_attention_heads":4,"intermediate_size":128,
                 "vocab_size":300,"max_position_embeddings":64,"rotary_pct":0.25,"rotary_emb_base":10000,"layer_norm_eps":1e-5,
                 "use_parallel_residual":false,"hidden_act":"gelu","tie_word_embeddings":false}""",
            "gptj", """
                {"model_type":"gptj","n_embd":64,"n_layer":3,"n_head":4,"n_inner":null,"rotary_dim":8,"n_positions":64,
                 "vocab_size":300,"layer_norm_epsilon":1e-5,"activation_function":"gelu_new","tie_word_embeddings":false}""");

    @AfterEach
    void restoreBudget() {
        Transformer.widenAllBudget = 1L << 30;
    }

    static Stream<Arguments> configs() {
        return CONFIGS.keySet().stream().sorted().map(Arguments::of);
    }

    static int[] randomIds(int n, int vocab, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) ids[i] = r.nextInt(vocab);
        return ids;
    }

    /** Asserts the core's block inputs/outputs and logits for one sequence equal the reference's. */
    static void assertMatchesReference(String label, Transformer m, int[] ids) {
        ReferenceForward ref = ReferenceForward.run(m.checkpoint(), ids);
        Map<String, float[]> got = GoldenTest.captureApi(m, TokenBatch.of(1, ids.length, ids));
        ModelConfig c = m.config();
        int t = ids.length, h = c.hidden();
        float[] in = new float[c.layers() * t * h], out = new float[in.length], lg = new float[t * c.vocab()];
        for (int l = 0; l < c.layers(); l++) {
            for (int i = 0; i < t; i++) {
                for (int j = 0; j < h; j++) {
                    in[(l * t + i) * h + j] = (float) ref.blockIn[l][i][j];
                    out[(l * t + i) * h + j] = (float) ref.blockOut[l][i][j];
                }
            }
        }
        for (int i = 0; i < t; i++) for (int v = 0; v < c.vocab(); v++) lg[i * c.vocab() + v] = (float) ref.logits[i][v];
        check(label + " block_inputs", got.get("block_inputs"), in);
        check(label + " block_outputs", got.get("block_outputs"), out);
        check(label + " logits", got.get("logits"), lg);
    }

    static void check(String what, float[] x, float[] g) {
        double excess = TestFiles.worstExcess(x, g, ATOL, RTOL);
        assertTrue(excess <= 0, what + ": max |x-ref| = " + TestFiles.maxAbsDiff(x, g) + " exceeds tolerance by " + excess);
    }

    @ParameterizedTest(name = "reference reproduces golden {0}")
    @ValueSource(strings = {"gpt2", "llama", "gemma", "gpt_neox"})
    void referenceMatchesGolden(String model) {
        // the independent reference must itself agree with Hugging Face before it can vouch for other families
        Path dir = TestFiles.golden(model);
        Transformer m = Transformer.load(dir);
        TokenBatch b = GoldenTest.ids(dir.resolve("batch_1x16"));
        ReferenceForward ref = ReferenceForward.run(m.checkpoint(), b.ids());
        float[] g = TestFiles.floats(dir.resolve("batch_1x16/block_outputs.npy"));
        int t = b.length(), h = m.config().hidden();
        float[] r = new float[g.length];
        for (int l = 0; l < m.config().layers(); l++) {
            for (int i = 0; i < t; i++) for (int j = 0; j < h; j++) r[(l * t + i) * h + j] = (float) ref.blockOut[l][i][j];
        }
        check(model + " reference vs golden block_outputs", r, g);
    }

    @ParameterizedTest(name = "{0} matches the reference")
    @MethodSource("configs")
    void familyMatchesReference(String name) throws Exception {
        Path dir = RandomCheckpoints.write(TestFiles.tempDir("fam-" + name), CONFIGS.get(name), name.hashCode(), StorageType.F32);
        Transformer m = Transformer.load(dir);
        assertMatchesReference(name + " T=8", m, randomIds(8, m.config().vocab(), 1));
        assertMatchesReference(name + " T=16", m, randomIds(16, m.config().vocab(), 2));
    }

    @ParameterizedTest(name = "{0} in bf16 with per-block widening matches the reference")
    @MethodSource("configs")
    void bf16PerBlockWidening(String name) throws Exception {
        // weights stay bf16 on disk and are widened one block at a time into a reused arena
        Path dir = RandomCheckpoints.write(TestFiles.tempDir("bf16-" + name), CONFIGS.get(name), 7, StorageType.BF16);
        Transformer.widenAllBudget = 0;
        Transformer m = Transformer.load(dir);
        assertMatchesReference(name + " bf16", m, randomIds(12, m.config().vocab(), 3));
    }

    @ParameterizedTest(name = "{0}: a causal prefix does not see later tokens")
    @MethodSource("configs")
    void causalPrefixInvariance(String name) throws Exception {
        Path dir = RandomCheckpoints.write(TestFiles.tempDir("prefix-" + name), CONFIGS.get(name), 11, StorageType.F32);
        Transformer m = Transformer.load(dir);
        int[] full = randomIds(14, m.config().vocab(), 5);
        int[] prefix = java.util.Arrays.copyOf(full, 9);
        Map<String, float[]> a = GoldenTest.captureApi(m, TokenBatch.of(1, full.length, full));
        Map<String, float[]> b = GoldenTest.captureApi(m, TokenBatch.of(1, prefix.length, prefix));
        int h = m.config().hidden();
        for (int l = 0; l < m.config().layers(); l++) {
            for (int i = 0; i < prefix.length; i++) {
                for (int j = 0; j < h; j++) {
                    float x = a.get("block_outputs")[(l * full.length + i) * h + j];
                    float y = b.get("block_outputs")[(l * prefix.length + i) * h + j];
                    // equal up to float rounding (GEMM kernels may block a different row count differently)
                    assertEquals(y, x, 1e-4 + 1e-4 * Math.abs(y), name + " layer " + l + " position " + i);
                }
            }
        }
    }

    @Test
    void batchedEqualsOneByOne() throws Exception {
        // one GEMM over all B·T rows must equal running each sequence alone
        Path dir = RandomCheckpoints.write(TestFiles.tempDir("batch"), CONFIGS.get("gemma2"), 3, StorageType.F32);
        Transformer m = Transformer.load(dir);
        int b = 5, t = 7;
        int[] ids = randomIds(b * t, m.config().vocab(), 9);
        float[] all = GoldenTest.captureApi(m, TokenBatch.of(b, t, ids)).get("block_outputs");
        int h = m.config().hidden(), layers = m.config().layers();
        for (int s = 0; s < b; s++) {
            float[] one = GoldenTest.captureApi(m, TokenBatch.of(1, t, java.util.Arrays.copyOfRange(ids, s * t, s * t + t)))
                    .get("block_outputs");
            for (int l = 0; l < layers; l++) {
                for (int i = 0; i < t * h; i++) {
                    float x = all[((l * b + s) * t) * h + i], y = one[l * t * h + i];
                    assertEquals(y, x, 1e-4 + 1e-4 * Math.abs(y), "sequence " + s + " layer " + l);
                }
            }
        }
    }

    @Test
    void layerMajorBatchesEqualBatchMajor() throws Exception {
        // per-block widening of a bf16 checkpoint takes the layer-major path; results must not change
        Path dir = RandomCheckpoints.write(TestFiles.tempDir("lm"), CONFIGS.get("llama-gqa-bias-llama3"), 5, StorageType.BF16);
        Transformer.widenAllBudget = 0;
        Transformer m = Transformer.load(dir);
        int b = 3, t = 6;
        java.util.List<TokenBatch> batches = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) batches.add(TokenBatch.of(b, t, randomIds(b * t, m.config().vocab(), 20 + i)));
        CaptureRequest req = CaptureRequest.blocks(null, m.config().layers()).and(Hooks.LOGITS);
        java.util.Map<String, float[]> layerMajor = new java.util.HashMap<>(), batchMajor = new java.util.HashMap<>();
        m.runBatches(batches, req, (hook, batch, rows, npos, width) -> {
            float[] v = new float[batch.batch() * npos * width];
            rows.get(0, v);
            layerMajor.put(hook + "@" + batches.indexOf(batch), v);
        });
        for (int i = 0; i < batches.size(); i++) {
            final int bi = i;
            m.run(batches.get(i), req, (hook, batch, rows, npos, width) -> {
                float[] v = new float[batch.batch() * npos * width];
                rows.get(0, v);
                batchMajor.put(hook + "@" + bi, v);
            });
        }
        assertEquals(batchMajor.keySet(), layerMajor.keySet());
        for (String k : batchMajor.keySet()) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(batchMajor.get(k), layerMajor.get(k), 1e-5f, k);
        }
    }

    @Test
    void unsupportedOptionsAreRefusedByName() throws Exception {
        String base = CONFIGS.get("llama-linear-tied");
        assertRefused(base.replace("\"type\":\"linear\"", "\"type\":\"yarn\""), "rope_scaling type 'yarn'");
        assertRefused(base.replace("\"model_type\":\"llama\"", "\"model_type\":\"mamba\""), "unsupported model_type 'mamba'");
        assertRefused(base.replace("\"tie_word_embeddings\":true", "\"tie_word_embeddings\":true,\"hidden_act\":\"gelu_10\""),
                "hidden_act=gelu_10");
        assertRefused(CONFIGS.get("gemma2").replace("\"sliding_window\":4",
                "\"sliding_window\":4,\"layer_types\":[\"chunked_attention\",\"full_attention\",\"full_attention\"]"),
                "layer_types entry 'chunked_attention'");
        assertRefused(base.replace("\"tie_word_embeddings\":true", "\"tie_word_embeddings\":true,\"quantization_config\":{}"),
                "quantization_config");
    }

    private static void assertRefused(String config, String mustMention) throws Exception {
        Path dir = TestFiles.tempDir("refuse");
        Files.writeString(dir.resolve("config.json"), config);
        UserError e = assertThrows(UserError.class, () -> Transformer.load(dir));
        assertTrue(e.getMessage().contains(mustMention), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }
}
