package org.emergence.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.emergence.TestFiles;
import org.emergence.cli.Main;
import org.emergence.common.UserError;
import org.emergence.model.io.OnnxModel;
import org.emergence.model.io.StorageType;
import org.emergence.model.io.Weight;
import org.junit.jupiter.api.Test;

/**
 * Reading BERT-family ONNX files: the configuration derived from the built-in MiniLM graph, and
 * one clear line (exit 2 through the CLI) for every file that cannot be mapped.
 */
class OnnxBertTest {
    @Test
    void miniLmConfigComesFromTheGraph() {
        BuiltinModels.Info info = BuiltinModels.info("minilm");
        Path f = BuiltinModels.onnxFile("minilm");
        Transformer m = OnnxBert.load(f); // no head-count hint: from the attention Reshape constants
        ModelConfig c = m.config();
        assertEquals("bert", c.modelType());
        assertEquals(info.layers(), c.layers());
        assertEquals(info.hidden(), c.hidden());
        assertEquals(info.heads(), c.heads());
        assertEquals(32, c.headDim());
        assertEquals(info.intermediate(), c.intermediate());
        assertEquals(info.vocab(), c.vocab());
        assertEquals(info.maxPositions(), c.maxPositions());
        assertEquals(2, c.typeVocab());
        assertEquals(1e-12f, c.normEps());
        assertEquals(Activation.GELU_ERF, c.activation());
        assertEquals(ModelConfig.Wiring.POST_NORM, c.wiring());
        assertFalse(c.causal());
        assertFalse(m.hasPooler());
        assertFalse(m.hasLogits());
        long params = 0;
        for (String n : m.checkpoint().names()) params += m.checkpoint().get(n).numel();
        assertEquals(info.parameters(), params, "parameter count in BuiltinModels.Info");
        assertEquals(info.fileBytes(), f.toFile().length(), "file size in BuiltinModels.Info");
        // the 36 matrices are MatMul initializers stored [in, out], mapped in place from the file
        Weight q = m.checkpoint().get("encoder.layer.0.attention.self.query.weight");
        assertEquals(f, q.file());
        assertEquals(StorageType.F32, q.type());
        OnnxModel om = OnnxModel.read(f);
        assertEquals(102, om.initializers().size());
        assertEquals(java.util.List.of("input_ids", "attention_mask", "token_type_ids"), om.inputs());
        assertEquals(java.util.List.of("last_hidden_state"), om.outputs());
    }

    @Test
    void extraModelsWhenPresent() {
        for (String name : BuiltinModels.list()) {
            BuiltinModels.Info info = BuiltinModels.info(name);
            Transformer m = BuiltinModels.load(name);
            assertEquals(info.layers(), m.config().layers(), name);
            assertEquals(info.heads(), m.config().heads(), name);
            long params = 0;
            for (String n : m.checkpoint().names()) params += m.checkpoint().get(n).numel();
            assertEquals(info.parameters(), params, name);
        }
    }

    // ------------------------------------------------------------------ bad files

    static Path variant(String name, Consumer<TinyBertOnnx.Options> change) throws IOException {
        TinyBertOnnx.Options o = new TinyBertOnnx.Options();
        change.accept(o);
        return TinyBertOnnx.write(TestFiles.golden("bert"), TestFiles.tempDir("onnx-" + name).resolve(name + ".onnx"), o);
    }

    /** Loading fails with one line containing {@code expected}, through the API and the CLI (exit 2). */
    static void refused(Path f, String expected) throws IOException {
        UserError e = assertThrows(UserError.class, () -> OnnxBert.load(f));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().contains(f.toString()), "names the file: " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        Path ids = TestFiles.golden("bert").resolve("batch_3x8").resolve("input_ids.npy");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"capture", "--model", f.toString(), "--ids", ids.toString(), "--out",
            TestFiles.tempDir("onnx-bad-out").toString()}, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
        String s = err.toString(StandardCharsets.UTF_8).strip();
        assertEquals(2, code, s);
        assertFalse(s.contains("\n"), s);
        assertTrue(s.startsWith("emergence: error: ") && s.contains(expected), s);
    }

    @Test
    void refusesAGraphThatIsNotBert() throws IOException {
        refused(variant("gpt", o -> o.wordEmbeddingName = "transformer.wte.weight"), "not a BERT-family ONNX graph");
    }

    @Test
    void refusesAMissingMatrix() throws IOException {
        refused(variant("missing", o -> o.drop = "encoder.layer.1.attention.self.key.weight"),
                "missing tensor 'encoder.layer.1.attention.self.key.weight'");
    }

    @Test
    void refusesExternalData() throws IOException {
        refused(variant("external", o -> o.externalWordEmbeddings = true), "external data is not supported");
    }

    @Test
    void refusesUnknownHeadCount() throws IOException {
        refused(variant("noheads", o -> o.noHeadShapes = true), "cannot determine the number of attention heads");
    }

    @Test
    void knownHeadCountFillsInWhenTheGraphDoesNotShowIt() throws IOException {
        Path f = variant("noheads-hint", o -> o.noHeadShapes = true);
        Transformer m = OnnxBert.load(f, 4); // what BuiltinModels passes from its table
        assertEquals(4, m.config().heads());
        BertGoldenTest.assertGolden(BertGoldenTest.run(m, BertGoldenTest.batch("batch_3x8"), true), "batch_3x8", "onnx, heads from hint");
        // a hint that contradicts the graph is refused
        Path g = variant("heads-conflict", o -> { });
        UserError e = assertThrows(UserError.class, () -> OnnxBert.load(g, 8));
        assertTrue(e.getMessage().contains("the graph has 4 attention heads, expected 8"), e.getMessage());
    }

    @Test
    void refusesAnotherAttentionScale() throws IOException {
        refused(variant("scale", o -> o.scoreDivisor = 8f), "attention scores are scaled by 1/8.0");
    }

    @Test
    void refusesFilesThatAreNotOnnx() throws IOException {
        Path dir = TestFiles.tempDir("onnx-garbage");
        Path text = Files.writeString(dir.resolve("notes.onnx"), "this is not a protobuf file at all\n");
        refused(text, "not a valid ONNX file");
        Path empty = Files.write(dir.resolve("empty.onnx"), new byte[0]);
        refused(empty, "empty file");
        // a valid protobuf message without a graph
        Path noGraph = Files.write(dir.resolve("nograph.onnx"), new org.emergence.model.io.ProtoWriter().varint(1, 8).toByteArray());
        refused(noGraph, "not an ONNX model (no graph");
        // a real export cut short
        byte[] whole = Files.readAllBytes(TinyBertOnnx.write(TestFiles.golden("bert"), dir.resolve("whole.onnx")));
        Path cut = Files.write(dir.resolve("cut.onnx"), java.util.Arrays.copyOf(whole, whole.length / 2));
        refused(cut, "not a valid ONNX file");
    }

    @Test
    void missingFileIsOneLine() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"capture", "--model", "/nonexistent/model.onnx", "--ids", "x.npy", "--out", "y"},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
        assertEquals(2, code);
        String s = err.toString(StandardCharsets.UTF_8).strip();
        assertTrue(s.contains("not a built-in model (built-in: minilm, tinylm-2l"), s);
        assertTrue(s.contains("bge-small, e5-small with -Pextra-models)") || s.contains("e5-small, tinylm"), s);
    }
}
