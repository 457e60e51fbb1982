package org.emergence.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.emergence.Cli;
import org.emergence.TestFiles;
import org.emergence.data.Npy;
import org.junit.jupiter.api.Test;

/** Issue 27's findings on the command line: each test failed before its fix. */
class HostileCliTest {

    /** Finding 2: init on a directory holding a model overwrote it (or, beside a sharded one, was shadowed by its index). */
    @Test
    void initNeverOverwritesOrShadowsAModel() throws Exception {
        Path dir = TestFiles.tempDir("init-over");
        Cli.run("init", "--arch", "gpt2", "--layers", "1", "--hidden", "16", "--heads", "2", "--vocab", "50", "--out", dir.toString())
                .assertOk();
        byte[] config = Files.readAllBytes(dir.resolve("config.json")), weights = Files.readAllBytes(dir.resolve("model.safetensors"));
        Cli.run("init", "--arch", "llama", "--layers", "2", "--hidden", "32", "--heads", "2", "--vocab", "60", "--out", dir.toString())
                .assertUserError(dir.toString(), "already holds a model", "config.json", "model.safetensors");
        assertTrue(java.util.Arrays.equals(config, Files.readAllBytes(dir.resolve("config.json"))));
        assertTrue(java.util.Arrays.equals(weights, Files.readAllBytes(dir.resolve("model.safetensors"))));

        Path sharded = TestFiles.tempDir("init-sharded");
        Files.writeString(sharded.resolve("model.safetensors.index.json"), "{\"weight_map\": {}}");
        Cli.run("init", "--arch", "gpt2", "--layers", "1", "--hidden", "16", "--heads", "2", "--vocab", "50", "--out", sharded.toString())
                .assertUserError("model.safetensors.index.json");
        assertFalse(Files.exists(sharded.resolve("model.safetensors")));
    }

    /** Finding 3: `mi … --json > /dev/full` and `run … > /dev/full` exited 0 with the output lost. */
    @Test
    void aFailedWriteToStandardOutputIsAnError() throws Exception {
        Path dir = TestFiles.tempDir("stdout-full");
        Random r = new Random(3);
        float[] xs = new float[400], ys = new float[400];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = (float) r.nextGaussian();
            ys[i] = xs[i] + (float) r.nextGaussian();
        }
        Npy.writeFloats(dir.resolve("x.npy"), new long[] {400, 1}, xs);
        Npy.writeFloats(dir.resolve("y.npy"), new long[] {400, 1}, ys);
        OutputStream full = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("No space left on device");
            }
        };
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"mi", "--x", dir.resolve("x.npy").toString(), "--y", dir.resolve("y.npy").toString(), "--json"},
                new PrintStream(full), new PrintStream(err, true, StandardCharsets.UTF_8));
        String e = err.toString(StandardCharsets.UTF_8).strip();
        assertEquals(2, code, e);
        assertTrue(e.startsWith("emergence: error: cannot write to standard output") && e.lines().count() == 1, e);
    }

    /** The same through a real /dev/full, in a fresh JVM (System.out, as the launcher runs it). */
    @Test
    void devFullExitsNonZero() throws Exception {
        Path full = Path.of("/dev/full");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(full), "no /dev/full");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "org.emergence.cli.Main", "--version");
        pb.redirectOutput(full.toFile());
        Process p = pb.start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, p.waitFor(), err);
        assertTrue(err.contains("cannot write to standard output"), err);
    }

    /** Finding 7: a plan's "out", "n" and "kmax" overrode --out, --n and --kmax typed on the command line. */
    @Test
    void theCommandLineWinsOverAStudyPlan() throws Exception {
        Path base = TestFiles.tempDir("plan-vs-cli");
        Path model = org.emergence.WordTokenizer.goldenWithTokenizer("gpt2", java.util.List.of());
        Path planOut = base.resolve("plan-out"), cliOut = base.resolve("cli-out");
        Path plan = Files.writeString(base.resolve("plan.json"), "{\"kind\": \"shots\", \"out\": \"" + planOut.toAbsolutePath()
                + "\", \"n\": 5000, \"kmax\": 8, \"estimator\": \"gaussian\"}");
        Cli.run("study", "--plan", plan.toString(), "--model", model.toString(), "--categories", "animal", "--kmin", "1", "--kmax", "2",
                "--n", "40", "--quiet", "--out", cliOut.toString()).assertOk();
        assertFalse(Files.exists(planOut), "nothing written where the plan said");
        com.fasterxml.jackson.databind.JsonNode s = new com.fasterxml.jackson.databind.ObjectMapper().readTree(cliOut.resolve("study.json").toFile());
        assertEquals(2, s.path("conditions").size(), "K = 1, 2 (--kmax 2, not the plan's 8): " + s.path("conditions"));
        assertTrue(s.toString().contains("\"n\":40"), "N from --n");
        assertTrue(s.toString().contains("gaussian"), "the plan's estimator still applies");
    }
}
