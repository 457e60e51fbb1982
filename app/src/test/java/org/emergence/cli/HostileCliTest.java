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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Issue 27's findings on the command line: each test failed before its fix. */
@Tag("slow")
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

    /** Findings 11 and 13: internal errors (exit 1) and misleading lines for impossible or degenerate arguments. */
    @Test
    void impossibleArgumentsAreOneLineNamingTheirOption() throws Exception {
        Path base = TestFiles.tempDir("hostile-args");
        Cli.run("bench", "capture", "--model", "tinylm-2l", "--n", "2000000000", "--t", "8").assertUserError("--n 2000000000", "2^31");
        Cli.run("validate", "--model", "tinylm-2l", "--sigma-factors", "", "--out", base.resolve("v").toString())
                .assertUserError("--sigma-factors", "at least one factor");
        Cli.run("run", "--model", "tinylm-2l", "--dataset", "random:var=Infinity", "--n", "40", "--layers", "0", "--out",
                base.resolve("r1").toString()).assertUserError("var must be a finite number");
        Cli.run("run", "--model", "tinylm-2l", "--n", "1", "--layers", "0", "--out", base.resolve("r2").toString())
                .assertUserError("--n must be >= 2");
        Cli.run("run", "--model", "tinylm-2l", "--n", "100", "--groups", "1000000", "--layers", "0", "--out", base.resolve("r3").toString())
                .assertUserError("--groups 1000000", "fewer --groups");
        Cli.run("run", "--model", "tinylm-2l", "--dataset", "text:" + base, "--n", "40", "--t", "4", "--layers", "0", "--out",
                base.resolve("r4").toString()).assertUserError("is a directory, not a text file");
        // NaN in the activations of run --acts: named as such, not as "every state is the same"
        assertTrue(Main.outOfMemory(new OutOfMemoryError("Requested array size exceeds VM limit")).contains("2^31"));
        assertTrue(Main.outOfMemory(new OutOfMemoryError("Cannot reserve 1048576 bytes of direct buffer memory")).contains("MaxDirectMemorySize"));
        assertTrue(Main.outOfMemory(new OutOfMemoryError("Java heap space")).contains("-Xmx"));
        String m = org.emergence.common.UserError.fromEnvironment(new java.nio.file.InvalidPathException("r\u00e9sultats", "Malformed input"))
                .getMessage();
        assertTrue(m.contains("r\u00e9sultats") && m.contains("not a path this system can use"), m);
    }

    /** Finding 9: text:FIFO blocked for ever; a text file too large for the heap was read whole. */
    @Test
    void textInputsAreCheckedBeforeReading() throws Exception {
        Path base = TestFiles.tempDir("hostile-text");
        Path fifo = base.resolve("fifo");
        org.junit.jupiter.api.Assumptions.assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "mkfifo");
        Cli.run("run", "--model", "tinylm-2l", "--dataset", "text:" + fifo, "--n", "40", "--t", "4", "--layers", "0", "--out",
                base.resolve("r1").toString()).assertUserError("not a regular file");
        Path big = base.resolve("big.txt");
        try (var raf = new java.io.RandomAccessFile(big.toFile(), "rw")) {
            raf.setLength(org.emergence.data.Datasets.maxTextBytes() + 1);
        }
        Cli.run("run", "--model", "tinylm-2l", "--dataset", "text:" + big, "--n", "40", "--t", "4", "--layers", "0", "--out",
                base.resolve("r2").toString()).assertUserError("text datasets read at most");
    }

    /** Finding 11: a tokenizer id past 2^31 was an ArithmeticException (exit 1). */
    @Test
    void aTokenizerIdPast2To31IsOneLine() throws Exception {
        Path dir = TestFiles.tempDir("tok-id");
        Files.writeString(dir.resolve("tokenizer.json"), "{\"version\": \"1.0\", \"added_tokens\": [], \"normalizer\": null, "
                + "\"pre_tokenizer\": {\"type\": \"WhitespaceSplit\"}, \"post_processor\": null, \"decoder\": null, \"model\": "
                + "{\"type\": \"WordLevel\", \"vocab\": {\"[UNK]\": 0, \"the\": 2147483648}, \"unk_token\": \"[UNK]\"}}");
        try (var t = org.emergence.tokenize.Tokenizer.fromFile(dir.resolve("tokenizer.json"))) {
            var e = org.junit.jupiter.api.Assertions.assertThrows(org.emergence.common.UserError.class, () -> t.encode("the", false));
            assertTrue(e.getMessage().contains("token id 2147483648"), e.getMessage());
        }
    }

    /** Finding 13: SIGTERM during a run exited 143 without a word; it now says the directory is resumable. */
    @Test
    void sigtermSaysTheRunIsResumable() throws Exception {
        Path out = TestFiles.tempDir("sigterm").resolve("run");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
                "org.emergence.cli.Main", "run", "--model", "tinylm-2l", "--n", "4000", "--out", out.toString()).start();
        var err = new java.io.BufferedReader(new java.io.InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line; (line = err.readLine()) != null; ) {
            seen.append(line).append('\n');
            if (line.startsWith("N = ")) break;
        }
        // SIGTERM as `kill` sends it (Process.destroy would also close the streams this test still reads)
        assertEquals(0, new ProcessBuilder("kill", "-TERM", String.valueOf(p.pid())).start().waitFor());
        for (String line; (line = err.readLine()) != null; ) seen.append(line).append('\n');
        assertEquals(143, p.waitFor(), seen.toString());
        assertTrue(seen.toString().contains("run the same command again to resume"), seen.toString());
    }
}
