package org.emergence.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.emergence.TestFiles;
import org.emergence.data.Npy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code --precision bf16} against Hugging Face run in bf16 ({@code torch_dtype=torch.bfloat16}; goldens from
 * tools/golden/make_bf16.py), every block's output, per family. Hugging Face rounds every activation and the
 * residual stream to bf16, {@code --precision bf16} only the linear layers' operands, so the stated tolerances are
 * relative to HF's own bf16 error e_HF = max|HF bf16 − HF fp32| / rms (rms of the fp32 block outputs):
 * <ul>
 *   <li>ours is no further from fp32 than HF's bf16 is: max|ours bf16 − HF fp32| / rms ≤ e_HF;</li>
 *   <li>ours agrees with HF bf16 within that same error: max|ours bf16 − HF bf16| / rms ≤ 1.5 · e_HF;</li>
 *   <li>the rounding is really applied (the test can fail): max|ours bf16 − HF fp32| / rms ≥ 1e-4.</li>
 * </ul>
 */
class Bf16GoldenTest {
    static final Path ROOT = Path.of("src/test/resources/golden-bf16");

    @AfterEach
    void fp32Again() {
        Precision.setCurrent(Precision.FP32);
    }

    static Stream<String> cases() throws java.io.IOException {
        try (Stream<Path> s = Files.list(ROOT)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList().stream();
        }
    }

    /** The model directory of a case: a golden, the built-in tinylm-6l, or stories260K from ../shared. */
    static Path model(String name) {
        if (name.equals("tinylm-6l")) return BuiltinModels.modelDir("tinylm-6l");
        if (name.equals("stories260K")) {
            for (Path p : new Path[] {Path.of("../shared/real-models/stories260K"), Path.of("/work/shared/real-models/stories260K")}) {
                if (Files.isDirectory(p)) return p;
            }
            return null;
        }
        return TestFiles.golden(name);
    }

    static float[] blockOutputs(Transformer m, TokenBatch b) {
        int l = m.config().layers(), n = b.rows(), h = m.config().hidden();
        float[] out = new float[l * n * h];
        m.run(b, CaptureRequest.blocks(null, l), (hook, batch, rows, npos, width) -> {
            Hooks.BlockHook bh = Hooks.parse(hook);
            if (bh.post()) rows.duplicate().get(0, out, bh.layer() * n * h, n * h);
        });
        return out;
    }

    static int[] ints(Path f) {
        long[] v = Npy.readLongs(f, Npy.header(f));
        int[] r = new int[v.length];
        for (int i = 0; i < v.length; i++) r[i] = (int) v[i];
        return r;
    }

    /** {e_ours_vs_fp32, e_ours_vs_hf_bf16, e_hf} relative to the rms of HF's fp32 block outputs. */
    static double[] errors(String name) {
        Path dir = ROOT.resolve(name), modelDir = model(name);
        Assumptions.assumeTrue(modelDir != null, "stories260K is not beside the project (../shared/real-models)");
        long[] shape = TestFiles.shape(dir.resolve("input_ids.npy"));
        TokenBatch b = TokenBatch.of((int) shape[0], (int) shape[1], ints(dir.resolve("input_ids.npy")));
        if (Files.exists(dir.resolve("token_type_ids.npy"))) b = b.withTokenTypes(ints(dir.resolve("token_type_ids.npy")));
        Precision.setCurrent(Precision.resolve("bf16"));
        float[] ours = blockOutputs(Transformer.load(modelDir), b);
        float[] hfBf = TestFiles.floats(dir.resolve("block_outputs_bf16.npy")), hfFp = TestFiles.floats(dir.resolve("block_outputs_fp32.npy"));
        double ss = 0;
        for (float v : hfFp) ss += (double) v * v;
        double rms = Math.sqrt(ss / hfFp.length);
        return new double[] {TestFiles.maxAbsDiff(ours, hfFp) / rms, TestFiles.maxAbsDiff(ours, hfBf) / rms, TestFiles.maxAbsDiff(hfBf, hfFp) / rms};
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void bf16WithinHuggingFaceBf16Error(String name) {
        double[] e = errors(name);
        System.out.printf("bf16 %-12s max|ours-HF fp32|/rms %.4f  max|ours-HF bf16|/rms %.4f  max|HF bf16-HF fp32|/rms %.4f%n",
                name, e[0], e[1], e[2]);
        assertTrue(e[0] >= 1e-4, name + ": bf16 output equals fp32 (" + e[0] + "): the rounding is not applied");
        assertTrue(e[0] <= e[2], name + ": ours is further from fp32 (" + e[0] + ") than Hugging Face's bf16 (" + e[2] + ")");
        assertTrue(e[1] <= 1.5 * e[2], name + ": ours differs from Hugging Face bf16 by " + e[1] + " > 1.5 x " + e[2]);
    }
}
