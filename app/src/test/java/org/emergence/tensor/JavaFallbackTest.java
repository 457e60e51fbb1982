package org.emergence.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.emergence.TestFiles;
import org.junit.jupiter.api.Test;

/**
 * The whole capture on the pure-Java GEMM (what runs when OpenBLAS cannot load) still matches the
 * golden GPT-2 activations. A separate JVM, because the choice is made once per process.
 */
class JavaFallbackTest {
    @Test
    void goldenGpt2OnTheJavaKernel() throws Exception {
        Path dir = TestFiles.golden("gpt2");
        Path out = TestFiles.tempDir("javagemm");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Demergence.blas=java", "-cp", System.getProperty("java.class.path"), "org.emergence.cli.Main",
                "capture", "--model", dir.toString(), "--ids", dir.resolve("batch_3x8/input_ids.npy").toString(),
                "--logits", "--quiet", "--out", out.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), log);
        assertTrue(java.nio.file.Files.readString(out.resolve("capture.json")).contains("pure-Java kernel"));
        for (String name : new String[] {"block_inputs", "block_outputs", "logits"}) {
            float[] g = TestFiles.floats(dir.resolve("batch_3x8").resolve(name + ".npy"));
            float[] x = TestFiles.floats(out.resolve(name + ".npy"));
            double excess = TestFiles.worstExcess(x, g, 2e-4, 1e-4);
            assertTrue(excess <= 0, name + " on the Java kernel: max |x-g| " + TestFiles.maxAbsDiff(x, g));
        }
    }
}
