package org.emergence.ie;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.emergence.Cli;
import org.emergence.TestFiles;
import org.emergence.WordTokenizer;
import org.emergence.common.Half;
import org.emergence.data.Npy;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** run --acts: activations captured elsewhere give exactly what run computes from the model. */
@Tag("slow")
class ActsTest {
    private static final String[] CELLS = {"macro", "micro", "E"};

    private static Cli run(String... args) {
        List<String> a = new ArrayList<>(List.of("run", "--quiet"));
        a.addAll(List.of(args));
        return Cli.run(a.toArray(new String[0]));
    }

    /** Every cell of macro, micro and E, and IE, bit for bit. */
    static void assertSameNumbers(JsonNode a, JsonNode b, double tol) {
        for (String key : CELLS) {
            assertEquals(a.get(key).size(), b.get(key).size(), key);
            for (int l = 0; l < a.get(key).size(); l++) {
                for (int i = 0; i < a.get(key).get(l).size(); i++) {
                    JsonNode x = a.get(key).get(l).get(i), y = b.get(key).get(l).get(i);
                    assertEquals(x.get("bits").asDouble(), y.get("bits").asDouble(), tol, key + " l" + l + " t" + i);
                    assertEquals(x.get("ci_low").asDouble(), y.get("ci_low").asDouble(), tol + 0.02, key + " interval l" + l + " t" + i);
                }
            }
        }
        assertEquals(a.path("IE").path("bits").asDouble(), b.path("IE").path("bits").asDouble(), tol, "IE");
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt2", "bert"})
    void savedActivationsGiveTheRunsNumbersExactly(String family) throws Exception {
        Path model = WordTokenizer.goldenWithTokenizer(family, List.of());
        Path base = TestFiles.tempDir("acts-" + family);
        Path acts = base.resolve("acts");
        run("--model", model.toString(), "--dataset", "icl:animal:shots=3", "--n", "120", "--save-acts", acts.toString(),
                "--null-twins", "0", "--out", base.resolve("r1").toString()).assertOk();
        assertTrue(Files.isRegularFile(acts.resolve("manifest.json")));
        // activations carry no model: the relative default is refused in one line, raw is what they can give
        run("--acts", acts.toString(), "--out", base.resolve("r0").toString()).assertUserError("--null-twins 0");
        run("--acts", acts.toString(), "--null-twins", "0", "--out", base.resolve("r2").toString()).assertOk();
        JsonNode a = RunTest.summary(base.resolve("r1")), b = RunTest.summary(base.resolve("r2"));
        assertEquals("complete", b.path("status").asText());
        assertEquals(a.path("settings").path("micro_specials"), b.path("settings").path("micro_specials"), "the layout's micro level");
        assertSameNumbers(a, b, 0);
        assertEquals(a.path("model").path("causal"), b.path("model").path("causal"));

        // float16 storage: widened on read, close to the float32 numbers but not the same
        Path half = base.resolve("acts-f16");
        Files.createDirectories(half);
        try (Stream<Path> files = Files.list(acts)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (name.matches("(micro_)?h\\d+\\.npy")) writeHalf(half.resolve(name), f);
                else Files.copy(f, half.resolve(name));
            }
        }
        run("--null-twins", "0", "--acts", half.toString(), "--out", base.resolve("r3").toString()).assertOk();
        JsonNode c = RunTest.summary(base.resolve("r3"));
        assertSameNumbers(a, c, 0.05);
        assertNotEquals(a.path("IE").path("bits").asDouble(), c.path("IE").path("bits").asDouble(), "float16 is not float32");
    }

    private static void writeHalf(Path to, Path from) throws IOException {
        var hd = Npy.header(from);
        float[] v = Npy.readFloats(from, hd);
        StringBuilder shape = new StringBuilder("(");
        for (int i = 0; i < hd.rank(); i++) shape.append(hd.dim(i)).append(hd.rank() == 1 ? ",)" : i + 1 < hd.rank() ? ", " : ")");
        String dict = "{'descr': '<f2', 'fortran_order': False, 'shape': " + shape + ", }";
        int pad = 64 - (10 + dict.length() + 1) % 64;
        String header = dict + " ".repeat(pad % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + 2 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.ISO_8859_1));
        for (float x : v) b.putShort(Half.fromFloat(x));
        Files.write(to, b.array());
    }

    @Test
    void badLayoutsAreOneLineNamingTheFile() throws Exception {
        Path model = WordTokenizer.goldenWithTokenizer("gpt2", List.of());
        Path base = TestFiles.tempDir("acts-bad");
        Path acts = base.resolve("acts");
        run("--model", model.toString(), "--dataset", "icl:color:shots=3", "--n", "40", "--layers", "1", "--save-acts", acts.toString(),
                "--null-twins", "0", "--out", base.resolve("r1").toString()).assertOk();
        run("--acts", acts.toString(), "--model", model.toString(), "--out", base.resolve("x").toString())
                .assertUserError("--model does not apply");
        run("--null-twins", "0", "--acts", acts.toString(), "--layers", "0", "--out", base.resolve("x").toString()).assertUserError("--layers", "block 0");
        Path h2 = acts.resolve("h2.npy");
        byte[] good = Files.readAllBytes(h2);
        Files.write(h2, java.util.Arrays.copyOf(good, good.length - 8));
        run("--null-twins", "0", "--acts", acts.toString(), "--out", base.resolve("x").toString()).assertUserError("h2.npy", "truncated");
        Files.write(h2, good);
        Npy.writeLongs(acts.resolve("micro_items.npy"), new long[] {1, 2}, new long[] {3, 0});
        run("--null-twins", "0", "--acts", acts.toString(), "--out", base.resolve("x").toString()).assertUserError("micro_h1.npy", "expected shape");
        Files.delete(acts.resolve("manifest.json"));
        run("--null-twins", "0", "--acts", acts.toString(), "--out", base.resolve("x").toString()).assertUserError("manifest.json", "missing");
        assertTrue(!Files.exists(base.resolve("x")), "a refused run creates no directory");
    }

    /** tools/acts/capture_hf.py on the Hugging Face reference environment, when it is present (skipped otherwise). */
    @Test
    void theHuggingFaceScriptWritesALayoutThatMatchesTheRun() throws Exception {
        Path hf = Path.of(System.getProperty("emergence.hfRef", System.getenv().getOrDefault("EMERGENCE_HF_REF", "/tmp/hf")));
        Assumptions.assumeTrue(Files.isDirectory(hf.resolve("transformers/src")), "no Hugging Face reference environment at " + hf);
        Path model = WordTokenizer.goldenWithTokenizer("gpt2", List.of());
        Path base = TestFiles.tempDir("acts-hf");
        run("--model", model.toString(), "--dataset", "icl:animal:shots=3", "--n", "120", "--null-twins", "0", "--out",
                base.resolve("r1").toString()).assertOk();
        Path acts = base.resolve("acts");
        Path script = TestFiles.repo("tools", "acts", "capture_hf.py");
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/python3", script.toString(), "--model", model.toString(), "--tokens",
                base.resolve("r1/tokens.npy").toString(), "--out", acts.toString(), "--device", "cpu")
                .redirectErrorStream(true).redirectOutput(base.resolve("py.log").toFile());
        pb.environment().put("PYTHONPATH", hf.resolve("transformers/src") + ":" + hf.resolve("site"));
        pb.environment().put("HF_HUB_OFFLINE", "1");
        pb.environment().put("HOME", base.toString());
        Process p = pb.start();
        assertTrue(p.waitFor(600, TimeUnit.SECONDS), "script finished");
        assertEquals(0, p.exitValue(), Files.readString(base.resolve("py.log")));
        run("--null-twins", "0", "--acts", acts.toString(), "--out", base.resolve("r2").toString()).assertOk();
        // Hugging Face's float32 arithmetic differs from ours by ~1e-6 relative: the MIs agree to well within their intervals
        assertSameNumbers(RunTest.summary(base.resolve("r1")), RunTest.summary(base.resolve("r2")), 0.01);
    }
}
