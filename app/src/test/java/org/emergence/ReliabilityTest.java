package org.emergence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.emergence.common.AtomicFiles;
import org.emergence.common.UserError;
import org.emergence.model.Layout;
import org.emergence.model.Transformer;
import org.emergence.model.io.CheckpointWriter;
import org.emergence.model.io.StorageType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The failures a real user hits (issue "nothing lost, nothing fake, no internal errors"): each is one
 * clear line with exit 2 naming the file, or is recovered by recomputation; never an internal error.
 */
@Tag("slow")
class ReliabilityTest {
    static Path model() throws IOException {
        return WordTokenizer.goldenWithTokenizer("gpt2", List.of("the", "cat", "sat", "on", "mat", "a", "dog"));
    }

    static String[] run(Path model, Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("run", "--model", model.toString(), "--dataset", "icl:animal:shots=3", "--n", "64",
                "--quiet", "--out", out.toString()));
        a.addAll(List.of(extra));
        return a.toArray(new String[0]);
    }

    static JsonNode summary(Path run) throws IOException {
        return new ObjectMapper().readTree(run.resolve("summary.json").toFile());
    }

    // 1. pre-flight
    @Test
    void aRunThatCannotFitOnTheDiskIsRefusedBeforeWriting() throws IOException {
        Path out = TestFiles.tempDir("preflight").resolve("r");
        // 2 · N · T · H · 4 bytes = 2 · 30M · 64 · 64 · 4 ≈ 983 GB of spilled activations
        Cli.run("run", "--model", TestFiles.golden("gpt2").toString(), "--dataset", "random", "--n", "30000000", "--t", "64",
                "--quiet", "--out", out.toString()).assertUserError("of disk", "free", "--force");
        assertFalse(Files.exists(out), "nothing written");
    }

    // 2. the environment: --out under a file or /proc, a full disk, init leaving half a model
    @Test
    void unwritableOutputsAreOneLineNamingThePath() throws IOException {
        Path m = model();
        Path base = TestFiles.tempDir("unwritable");
        Path file = Files.writeString(base.resolve("plain-file"), "x");
        Cli.run(run(m, file.resolve("run"))).assertUserError(file.toString());
        Cli.run(run(m, Path.of("/proc/emergence-run"))).assertUserError("/proc");
        // a full disk during a write: the I/O error names the file and becomes a user error
        IOException full = new IOException("No space left on device");
        FileSystemException named = AtomicFiles.named(base.resolve("acts/h001.npy"), full);
        UserError u = UserError.fromEnvironment(new java.io.UncheckedIOException(named));
        assertNotNull(u);
        assertTrue(u.getMessage().contains("h001.npy") && u.getMessage().contains("no space left"), u.getMessage());
        assertNotNull(UserError.fromEnvironment(new FileSystemException("/ro/x", null, "Read-only file system")));
        assertEquals(null, UserError.fromEnvironment(new IllegalStateException("a bug")));
    }

    @Test
    void aFailedInitLeavesNoHalfModel() throws IOException {
        Path out = TestFiles.tempDir("init-fail").resolve("m");
        Files.createDirectories(out);
        List<Layout.Tensor> ts = List.of(Layout.Tensor.of("w", Layout.Role.MATRIX, 4, 4));
        CheckpointWriter.Filler bad = (from, dst, n) -> {
            throw new java.io.UncheckedIOException(new IOException("No space left on device"));
        };
        try {
            CheckpointWriter.write(out.resolve("model.safetensors"), ts, Map.of("w", bad), StorageType.F32, null);
        } catch (RuntimeException expected) {
            // the disk "filled up"
        }
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(0, s.count(), "no temp file or partial weights left behind");
        }
    }

    // 3. damaged files a run produced are recomputed
    @Test
    void truncatedTokensActivationsAndForeignEstimatesAreRecomputed() throws Exception {
        Path m = model();
        Path out = TestFiles.tempDir("damage").resolve("r");
        Cli.run(run(m, out, "--keep-activations")).assertOk();
        JsonNode whole = summary(out);
        // truncate tokens.npy and an activation file, put another cell's content in an est file, delete a later one
        Path tokens = out.resolve("tokens.npy");
        Files.write(tokens, java.util.Arrays.copyOf(Files.readAllBytes(tokens), 100));
        Path h1 = out.resolve("acts/h001.npy");
        Files.write(h1, java.util.Arrays.copyOf(Files.readAllBytes(h1), 1000));
        Path e5 = out.resolve("est/macro_l001_t0005.json"), e3 = out.resolve("est/macro_l001_t0003.json");
        Files.copy(e3, e5, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.delete(out.resolve("est/micro_l002_t0001.json"));
        for (int l = 1; l <= 3; l++) Files.deleteIfExists(out.resolve(String.format("acts/h%03d.npy", l + 1)));
        Cli r = Cli.run(run(m, out, "--keep-activations")).assertOk();
        JsonNode again = summary(out);
        assertEquals("complete", again.path("status").asText());
        assertEquals(whole.path("IE").path("bits").asDouble(), again.path("IE").path("bits").asDouble(), 1e-12,
                "the recomputed cells equal the original ones");
        String w = again.path("warnings").toString();
        assertTrue(w.contains("tokens.npy is damaged"), w);
        assertTrue(w.contains("h001.npy is unreadable") && w.contains("recomputed"), w);
        assertTrue(w.contains("macro_l001_t0005.json: holds the estimate of macro layer 1 position 3"), w);
        assertTrue(r.err().isEmpty() || !r.err().contains("internal error"), r.err());
    }

    // 4. a tokenizer that cannot tell the entities apart
    @Test
    void entitiesMappedToUnknownAreRefused() throws IOException {
        Path d = TestFiles.tempDir("unk");
        Files.copy(TestFiles.golden("gpt2").resolve("config.json"), d.resolve("config.json"));
        Files.copy(TestFiles.golden("gpt2").resolve("model.safetensors"), d.resolve("model.safetensors"));
        // a tokenizer that knows only punctuation: every animal is [UNK]
        Files.writeString(d.resolve("tokenizer.json"), "{\"version\":\"1.0\",\"truncation\":null,\"padding\":null,"
                + "\"added_tokens\":[],\"normalizer\":{\"type\":\"Lowercase\"},\"pre_tokenizer\":{\"type\":\"BertPreTokenizer\"},"
                + "\"post_processor\":null,\"decoder\":null,\"model\":{\"type\":\"WordLevel\",\"vocab\":{\"[UNK]\":0,\",\":1,"
                + "\".\":2},\"unk_token\":\"[UNK]\"}}");
        Cli.run(run(d, d.resolve("r"))).assertUserError("same tokens", "entities");
    }

    // 5. NaN weights
    @Test
    void nonFiniteWeightsAreNamed() throws IOException {
        Path d = TestFiles.tempDir("nan");
        Path src = model();
        Files.copy(src.resolve("config.json"), d.resolve("config.json"));
        Files.copy(src.resolve("tokenizer.json"), d.resolve("tokenizer.json"));
        Transformer g = Transformer.load(src);
        Layout layout = g.family().layout(g.config());
        List<Layout.Tensor> ts = new ArrayList<>();
        Map<String, CheckpointWriter.Filler> fill = new java.util.LinkedHashMap<>();
        for (Layout.Tensor t : layout.all()) {
            if (!g.checkpoint().has(t.name()) || fill.containsKey(t.name())) continue;
            ts.add(t);
            var w = g.checkpoint().get(t.name());
            boolean poison = t.name().equals("transformer.h.1.mlp.c_fc.weight");
            fill.put(t.name(), (from, dst, n) -> {
                java.nio.FloatBuffer b = java.nio.FloatBuffer.allocate(n);
                w.readF32(from, n, b, 0);
                b.get(0, dst, 0, n);
                if (poison && from == 0) dst[7] = Float.NaN;
            });
        }
        CheckpointWriter.write(d.resolve("model.safetensors"), ts, fill, StorageType.F32, null);
        Cli.run(run(d, d.resolve("r"))).assertUserError("block 1 produced NaN", "transformer.h.1.mlp.c_fc.weight");
        Cli.run("capture", "--model", d.toString(), "--ids", TestFiles.golden("gpt2").resolve("batch_3x8/input_ids.npy").toString(),
                "--quiet", "--out", d.resolve("c").toString()).assertUserError("transformer.h.1.mlp.c_fc.weight");
    }

    // 6. arguments
    @Test
    void impossibleArgumentsAreOneLine() throws IOException {
        Path m = model();
        Path out = TestFiles.tempDir("args").resolve("r");
        Cli.run(run(m, out, "--t", "0")).assertUserError("--t must be >= 1");
        Cli.run(run(m, out, "--layers", "1,1")).assertUserError("layer 1 is listed twice");
        Cli.run("run", "--model", m.toString(), "--dataset", "icl:animal", "--n", "1000000000", "--quiet", "--out", out.toString())
                .assertUserError("--n");
        // a batch larger than the dataset is clamped, not allocated
        Cli.run(run(m, out, "--n", "20", "--batch", "1000000000")).assertOk();
    }

    // 7. nothing in ~: the JDK's font cache goes to the tool's cache directory
    @Test
    void chartsWriteNothingInTheHomeDirectory() throws Exception {
        Path m = model();
        Path base = TestFiles.tempDir("home");
        Path home = Files.createDirectories(base.resolve("home"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Duser.home=" + home.toAbsolutePath(), "-Djava.io.tmpdir=" + Files.createDirectories(base.resolve("tmp")).toAbsolutePath(),
                "-cp", System.getProperty("java.class.path"), "org.emergence.cli.Main"));
        cmd.addAll(List.of(run(m, base.resolve("r").toAbsolutePath())));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(base.resolve("log").toFile()).start();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "run finished");
        assertEquals(0, p.exitValue(), Files.readString(base.resolve("log")));
        assertTrue(Files.isRegularFile(base.resolve("r/report.html")));
        try (Stream<Path> s = Files.walk(home)) {
            assertEquals(List.of(home), s.toList(), "nothing written under user.home");
        }
    }

    // 9. raw library messages
    @Test
    void libraryMessagesAreTranslated() throws IOException {
        Path m = model();
        Path base = TestFiles.tempDir("messages");
        Path latin = base.resolve("latin1.txt");
        Files.write(latin, "Caf\u00e9 au lait. The cat sat on the mat. A dog sat.\n".getBytes(StandardCharsets.ISO_8859_1));
        Cli.run(run(m, base.resolve("r1"), "--dataset", "text:" + latin, "--t", "3")).assertUserError(latin.toString(), "not UTF-8");
        Path broken = Files.createDirectories(base.resolve("broken"));
        Files.writeString(broken.resolve("config.json"), "{\"model_type\": \"gpt2\",, }");
        Cli r = Cli.run(run(broken, base.resolve("r2"))).assertUserError("config.json: not valid JSON", "line 1");
        assertFalse(r.err().contains("Source") || r.err().contains("REDACTED"), r.err());
        Cli.run(run(TestFiles.golden("gpt2"), base.resolve("r3"))).assertUserError("no tokenizer.json", "--dataset ids:");
    }

    // 10. --version everywhere, did you mean
    @Test
    void versionsAndSuggestions() {
        for (String c : new String[] {"run", "mi", "validate", "capture", "report"}) {
            Cli r = Cli.run(c, "--version");
            assertEquals(0, r.code(), c);
            assertTrue(r.out().startsWith("emergence "), c + ": " + r.out());
        }
        assertTrue(Cli.run("runn").err().contains("did you mean run"), Cli.run("runn").err());
        assertTrue(Cli.run("run", "--nosie", "1").err().contains("--noise"), Cli.run("run", "--nosie", "1").err());
        Cli.run("run", "--model", "minlm", "--n", "10").assertUserError("did you mean minilm?");
    }
}
