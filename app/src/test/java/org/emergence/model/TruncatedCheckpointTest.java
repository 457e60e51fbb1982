package org.emergence.model;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.emergence.TestFiles;
import org.emergence.common.UserError;
import org.junit.jupiter.api.Test;

/**
 * Finding 8 (second part) of issue 27: a checkpoint truncated while a run used it (a new file copied
 * over the old one) crashed the JVM with SIGBUS, leaving hs_err_pid*.log. F32 weights reached OpenBLAS
 * as views of the mapping; they are now copied out by Java when first used, where a vanished page is
 * an InternalError that the CLI reports as one line saying the run is resumable.
 */
class TruncatedCheckpointTest {
    @Test
    void aCheckpointTruncatedDuringUseIsAnErrorNotACrash() throws Exception {
        Path dir = TestFiles.tempDir("truncated-in-use");
        for (String f : new String[] {"config.json", "model.safetensors"}) Files.copy(TestFiles.golden("gpt2").resolve(f), dir.resolve(f));
        Transformer m = Transformer.load(dir);
        // every tensor mapped (as a run has them once it started), then the file shrinks under the mappings
        java.nio.FloatBuffer one = java.nio.FloatBuffer.allocate(1);
        for (String t : m.checkpoint().names()) m.checkpoint().get(t).readF32(0, 1, one, 0);
        Path w = dir.resolve("model.safetensors");
        try (FileChannel ch = FileChannel.open(w, StandardOpenOption.WRITE)) {
            ch.truncate(4096); // what `cp new.safetensors model.safetensors` does first
        }
        Throwable t = assertThrows(Throwable.class, () -> GoldenTest.captureApi(m, GoldenTest.ids(TestFiles.golden("gpt2").resolve("batch_3x8"))));
        UserError e = UserError.fromEnvironment(t);
        assertNotNull(e, "not recognised: " + t);
        assertTrue(e.getMessage().contains("truncated or replaced while this run was reading it") && e.getMessage().contains("resumable"),
                e.getMessage());
    }
}
