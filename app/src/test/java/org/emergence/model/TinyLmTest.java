package org.emergence.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.emergence.TestFiles;
import org.emergence.cli.Main;
import org.emergence.data.Npy;
import org.emergence.tokenize.Tokenizer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The project-trained causal models (tools/train-tiny-lm): each loads by name, offline; its block
 * inputs and outputs and last-position logits match what Hugging Face computes from the same stored
 * weights; the tokenizer.json gives the training tool's ids; and the held-out next-token accuracy that
 * the tool recomputes equals the recorded figure.
 */
class TinyLmTest {
    static final double ATOL = 2e-4, RTOL = 1e-4;

    static JsonNode index() throws IOException {
        try (InputStream in = TinyLmTest.class.getClassLoader().getResourceAsStream("tinylm/index.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    static JsonNode metrics() throws IOException {
        try (InputStream in = TinyLmTest.class.getClassLoader().getResourceAsStream("tinylm/metrics.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    static Stream<String> names() throws IOException {
        List<String> out = new ArrayList<>();
        for (JsonNode m : index().path("models")) out.add(m.path("name").asText());
        return out.stream();
    }

    @Test
    void theSeriesIsBuiltIn() throws IOException {
        List<String> names = names().toList();
        assertTrue(names.containsAll(List.of("tinylm-2l", "tinylm-4l", "tinylm-6l", "tinylm-6l-step0")), names.toString());
        assertTrue(names.stream().filter(n -> n.startsWith("tinylm-6l-step")).count() >= 4, "training checkpoints");
        for (String n : names) assertTrue(BuiltinModels.isAvailable(n), n);
        assertTrue(BuiltinModels.isAvailable("tinylm"));
        BuiltinModels.Info big = BuiltinModels.info("tinylm");
        assertEquals(BuiltinModels.info("tinylm-6l").resource(), big.resource(), "tinylm is the largest trained model");
        long bytes = 0;
        for (JsonNode m : index().path("models")) bytes += m.path("bytes").asLong();
        assertTrue(bytes <= 60_000_000L, "all tinylm weights together: " + bytes + " bytes");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void matchesHuggingFace(String name) {
        Transformer m = BuiltinModels.load(name);
        assertTrue(m.config().causal() && m.hasLogits());
        Path g = TestFiles.golden("tinylm").resolve(name);
        TokenBatch b = GoldenTest.ids(g);
        int l = m.config().layers(), n = b.rows(), h = m.config().hidden(), v = m.config().vocab();
        float[] in = new float[l * n * h], out = new float[l * n * h];
        m.run(b, CaptureRequest.blocks(null, l), (hook, batch, rows, npos, width) -> {
            Hooks.BlockHook bh = Hooks.parse(hook);
            rows.duplicate().get(0, bh.post() ? out : in, bh.layer() * n * h, n * h);
        });
        for (String f : new String[] {"block_inputs", "block_outputs"}) {
            float[] want = TestFiles.floats(g.resolve(f + ".npy"));
            float[] got = f.equals("block_inputs") ? in : out;
            assertTrue(TestFiles.worstExcess(got, want, ATOL, RTOL) <= 0, name + " " + f + ": max |x-g| = " + TestFiles.maxAbsDiff(got, want));
        }
        float[] last = NextToken.lastLogits(m, b), want = TestFiles.floats(g.resolve("last_logits.npy"));
        assertEquals(b.batch() * v, want.length);
        assertTrue(TestFiles.worstExcess(last, want, ATOL, RTOL) <= 0, name + " logits: max |x-g| = " + TestFiles.maxAbsDiff(last, want));
    }

    @Test
    void tokenizerGivesTheTrainingToolsIds() {
        Path g = TestFiles.golden("tinylm").resolve("tinylm-6l");
        long[] ids = Npy.readLongs(g.resolve("input_ids.npy"), Npy.header(g.resolve("input_ids.npy")));
        int t = ids.length / 2;
        try (Tokenizer tok = BuiltinModels.tokenizer("tinylm")) {
            int[] a = tok.encode("lion, tiger, wolf, bear, fox, horse,", false);
            int[] b = tok.encode("In the beginning God created the heaven and the earth.", false);
            for (int i = 0; i < t; i++) {
                assertEquals(ids[i], a[i], "list token " + i);
                assertEquals(ids[t + i], b[i], "text token " + i);
            }
            // every entity of the category lists is one token, at the start and after a separator
            for (var e : org.emergence.data.IclDataset.categories().entrySet()) {
                for (String x : e.getValue()) {
                    assertEquals(2, tok.encode(x + ",", false).length, x);
                    assertEquals(4, tok.encode("lion, " + x + ",", false).length, x);
                }
            }
            assertEquals(0, tok.specials().count(), "no special tokens are added to text");
        }
    }

    @Tag("slow")
    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void heldOutAccuracyEqualsTheRecordedFigure(String name) throws IOException {
        Path f = TestFiles.golden("tinylm").resolve("heldout.npy");
        long[] shape = TestFiles.shape(f);
        long[] v = Npy.readLongs(f, Npy.header(f));
        int docs = (int) shape[0], block = (int) shape[1];
        int[][] rows = new int[docs][];
        for (int d = 0; d < docs; d++) {
            int len = 0;
            while (len < block && v[d * block + len] >= 0) len++;
            rows[d] = new int[len];
            for (int i = 0; i < len; i++) rows[d][i] = (int) v[d * block + i];
        }
        JsonNode rec = metrics().path("results").path(name).path("text");
        double margin = metrics().path("heldout").path("near_tie_margin").asDouble();
        NextToken.Scores s = NextToken.score(BuiltinModels.load(name), rows, margin, 64);
        assertEquals(rec.path("predictions").asLong(), s.predictions());
        long diff = Math.abs(s.correct() - rec.path("correct").asLong());
        // an argmax may differ only where the top two logits are within float rounding of each other
        assertTrue(diff <= Math.max(rec.path("near_ties").asLong(), s.nearTies()),
                name + ": " + s.correct() + " correct vs recorded " + rec.path("correct").asLong());
        assertEquals(rec.path("perplexity").asDouble(), s.perplexity(), 1e-3 * rec.path("perplexity").asDouble());
    }

    @Test
    void beatsTheBaselines() throws IOException {
        JsonNode r = metrics().path("results");
        for (String name : new String[] {"tinylm-2l", "tinylm-4l", "tinylm-6l"}) {
            JsonNode m = r.path(name);
            assertTrue(m.path("text").path("perplexity").asDouble() < 0.8 * r.path("bigram").path("text").path("perplexity").asDouble(), name);
            assertTrue(m.path("text").path("accuracy").asDouble() > r.path("bigram").path("text").path("accuracy").asDouble(), name);
            assertTrue(m.path("continuation_seen").path("correct").asDouble()
                    > r.path("bigram").path("continuation_seen").path("correct").asDouble() + 0.2, name);
        }
        assertFalse(r.path("tinylm-6l-step0").path("text").path("perplexity").asDouble() < 1000, "step 0 is untrained");
    }

    @Tag("slow")
    @Test
    void runsIeOffline() throws IOException {
        Path out = TestFiles.tempDir("tinylm-run");
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"run", "--model", "tinylm", "--dataset", "icl:animal", "--n", "500", "--quiet",
            "--out", out.resolve("r").toString()}, new PrintStream(o), new PrintStream(e));
        assertEquals(0, code, e.toString(StandardCharsets.UTF_8));
        JsonNode s = new ObjectMapper().readTree(out.resolve("r").resolve("summary.json").toFile());
        assertEquals("complete", s.path("status").asText());
        assertTrue(s.path("model").path("causal").asBoolean());
        assertTrue(Double.isFinite(s.path("IE").path("bits").asDouble()));
        assertArrayEquals(new long[] {500, 16}, TestFiles.shape(out.resolve("r").resolve("tokens.npy")));
    }
}
