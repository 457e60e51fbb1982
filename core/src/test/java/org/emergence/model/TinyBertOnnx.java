package org.emergence.model;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.emergence.model.family.Families;
import org.emergence.model.io.Checkpoint;
import org.emergence.model.io.OnnxModel;
import org.emergence.model.io.ProtoWriter;
import org.emergence.model.io.Weight;

/**
 * Test helper: writes a BERT checkpoint (the golden tiny BertModel) as an ONNX file shaped like a
 * {@code torch.onnx} export of BertModel — PyTorch names on embeddings, biases and norms,
 * anonymous {@code onnx::MatMul_N} matrices stored [in, out] and named only by their MatMul
 * node, attention Reshapes to a constant [heads, head_dim], the 1/√d Div, decomposed LayerNorms
 * with their ε constant, and the erf gelu. Options produce the malformed variants the error
 * tests need. The graph is not meant to be executed, only read.
 */
final class TinyBertOnnx {
    /** Variations; the defaults write a faithful export. */
    static final class Options {
        /** Prefix node names with /bert and parameter names with bert. (a BertFor* export). */
        boolean bertPrefix;
        /** Leave out the initializer of this Hugging Face name (the node still refers to it). */
        String drop;
        /** Write the word embeddings as external data. */
        boolean externalWordEmbeddings;
        /** Leave out the constant [heads], [head_dim] entries of the attention reshapes. */
        boolean noHeadShapes;
        /** Constant dividing the attention scores (NaN = √head_dim). */
        float scoreDivisor = Float.NaN;
        /** Add the pooler as a Gemm with transB=1 on pooler.dense.weight [out, in]. */
        boolean pooler = true;
        /** Use this name instead of embeddings.word_embeddings.weight (a graph that is not BERT). */
        String wordEmbeddingName;
    }

    private final Checkpoint ck;
    private final ModelConfig c;
    private final Options o;
    private final String np, pp; // node path prefix, parameter prefix
    private final ProtoWriter graph = new ProtoWriter();
    private final List<ProtoWriter> nodes = new ArrayList<>();
    private final List<ProtoWriter> inits = new ArrayList<>();
    private int anon = 700;

    private TinyBertOnnx(Path goldenDir, Options o) {
        this.ck = Checkpoint.open(goldenDir);
        this.c = Families.forConfig(ck.config(), goldenDir).parse(new ConfigReader(ck.config(), goldenDir));
        this.o = o;
        this.np = o.bertPrefix ? "/bert" : "";
        this.pp = o.bertPrefix ? "bert." : "";
    }

    static Path write(Path goldenDir, Path out, Options o) throws IOException {
        return new TinyBertOnnx(goldenDir, o).write(out);
    }

    static Path write(Path goldenDir, Path out) throws IOException {
        return write(goldenDir, out, new Options());
    }

    private Path write(Path out) throws IOException {
        int h = c.hidden(), nH = c.heads(), d = c.headDim();
        // attention mask → additive bias (as the export does at the top level)
        node("/Cast", "Cast", new String[] {"attention_mask"}, new String[] {"/Cast_output_0"});
        node("/Mul", "Mul", new String[] {"/Cast_output_0", constF("/Constant_1", -3.4028235e38f)}, new String[] {"/Mul_output_0"});
        String word = gather("/embeddings/word_embeddings", o.wordEmbeddingName != null ? o.wordEmbeddingName
                : "embeddings.word_embeddings.weight", "input_ids");
        String type = gather("/embeddings/token_type_embeddings", "embeddings.token_type_embeddings.weight", "token_type_ids");
        String sum = add(np + "/embeddings/Add", word, type);
        long[] posIds = new long[c.maxPositions()];
        for (int i = 0; i < posIds.length; i++) posIds[i] = i;
        inits.add(ProtoWriter.tensor(pp + "embeddings.position_ids", OnnxModel.INT64, new long[] {1, posIds.length},
                ProtoWriter.longsLE(posIds)));
        String pos = gather("/embeddings/position_embeddings", "embeddings.position_embeddings.weight", pp + "embeddings.position_ids");
        String x = layerNorm("/embeddings/LayerNorm", "embeddings.LayerNorm", add(np + "/embeddings/Add_1", sum, pos));
        for (int l = 0; l < c.layers(); l++) {
            String p = "/encoder/layer." + l;
            String hp = "encoder.layer." + l + ".";
            String q = linear(p + "/attention/self/query", hp + "attention.self.query", x);
            String k = linear(p + "/attention/self/key", hp + "attention.self.key", x);
            String v = linear(p + "/attention/self/value", hp + "attention.self.value", x);
            String qr = headsReshape(p + "/attention/self", 0, q, nH, d);
            String kr = headsReshape(p + "/attention/self", 1, k, nH, d);
            String vr = headsReshape(p + "/attention/self", 2, v, nH, d);
            String sp = np + p + "/attention/self";
            node(sp + "/MatMul", "MatMul", new String[] {qr, kr}, new String[] {sp + "/MatMul_output_0"});
            float div = Float.isNaN(o.scoreDivisor) ? (float) Math.sqrt(d) : o.scoreDivisor;
            node(sp + "/Div", "Div", new String[] {sp + "/MatMul_output_0", constF(sp + "/Constant_12", div)},
                    new String[] {sp + "/Div_output_0"});
            String masked = add(sp + "/Add", sp + "/Div_output_0", "/Mul_output_0");
            node(sp + "/Softmax", "Softmax", new String[] {masked}, new String[] {sp + "/Softmax_output_0"});
            node(sp + "/MatMul_1", "MatMul", new String[] {sp + "/Softmax_output_0", vr}, new String[] {sp + "/MatMul_1_output_0"});
            node(sp + "/Reshape_3", "Reshape", new String[] {sp + "/MatMul_1_output_0", constI(sp + "/Constant_15", 0, 0, h)},
                    new String[] {sp + "/Reshape_3_output_0"});
            String ao = linear(p + "/attention/output/dense", hp + "attention.output.dense", sp + "/Reshape_3_output_0");
            String a = layerNorm(p + "/attention/output/LayerNorm", hp + "attention.output.LayerNorm",
                    add(np + p + "/attention/output/Add", ao, x));
            String i = linear(p + "/intermediate/dense", hp + "intermediate.dense", a);
            String ap = np + p + "/intermediate/intermediate_act_fn";
            node(ap + "/Div", "Div", new String[] {i, constF(ap + "/Constant", (float) Math.sqrt(2))}, new String[] {ap + "/Div_output_0"});
            node(ap + "/Erf", "Erf", new String[] {ap + "/Div_output_0"}, new String[] {ap + "/Erf_output_0"});
            String e1 = add(ap + "/Add", ap + "/Erf_output_0", constF(ap + "/Constant_1", 1f));
            node(ap + "/Mul", "Mul", new String[] {i, e1}, new String[] {ap + "/Mul_output_0"});
            node(ap + "/Mul_1", "Mul", new String[] {ap + "/Mul_output_0", constF(ap + "/Constant_2", 0.5f)},
                    new String[] {ap + "/Mul_1_output_0"});
            String od = linear(p + "/output/dense", hp + "output.dense", ap + "/Mul_1_output_0");
            x = layerNorm(p + "/output/LayerNorm", hp + "output.LayerNorm", add(np + p + "/output/Add", od, a));
        }
        List<String> outputs = new ArrayList<>(List.of(x));
        if (o.pooler) {
            node(np + "/pooler/Gather", "Gather", new String[] {x, constI(np + "/pooler/Constant", 0)},
                    new String[] {np + "/pooler/Gather_output_0"});
            initF(pp + "pooler.dense.weight", ck.get("pooler.dense.weight"), false, false);
            initF(pp + "pooler.dense.bias", ck.get("pooler.dense.bias"), false, false);
            node(np + "/pooler/dense/Gemm", "Gemm", new String[] {np + "/pooler/Gather_output_0", pp + "pooler.dense.weight",
                pp + "pooler.dense.bias"}, new String[] {np + "/pooler/dense/Gemm_output_0"},
                    ProtoWriter.intAttribute("transB", 1));
            node(np + "/pooler/activation/Tanh", "Tanh", new String[] {np + "/pooler/dense/Gemm_output_0"}, new String[] {"pooler_output"});
            outputs.add("pooler_output");
        }
        for (ProtoWriter n : nodes) graph.message(1, n);
        graph.string(2, "torch_jit");
        for (ProtoWriter t : inits) graph.message(5, t);
        for (String in : new String[] {"input_ids", "attention_mask", "token_type_ids"}) {
            graph.message(11, new ProtoWriter().string(1, in));
        }
        for (String out0 : outputs) graph.message(12, ProtoWriter.floatValueInfo(out0));
        ProtoWriter model = new ProtoWriter().varint(1, 8).string(2, "pytorch").string(3, "2.0.1").message(7, graph)
                .message(8, new ProtoWriter().varint(2, 14));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.write(out, model.toByteArray());
        return out;
    }

    // ------------------------------------------------------------------ pieces

    private void node(String name, String op, String[] in, String[] out, ProtoWriter... attrs) {
        nodes.add(ProtoWriter.node(name, op, in, out, attrs));
    }

    private String add(String name, String a, String b) {
        node(name, "Add", new String[] {a, b}, new String[] {name + "_output_0"});
        return name + "_output_0";
    }

    private String constF(String name, float v) {
        node(name, "Constant", new String[0], new String[] {name + "_output_0"},
                ProtoWriter.tensorAttribute("value", ProtoWriter.tensor(null, OnnxModel.FLOAT, new long[0],
                        ProtoWriter.floatsLE(new float[] {v}))));
        return name + "_output_0";
    }

    private String constI(String name, long... v) {
        node(name, "Constant", new String[0], new String[] {name + "_output_0"},
                ProtoWriter.tensorAttribute("value", ProtoWriter.tensor(null, OnnxModel.INT64,
                        v.length == 1 ? new long[] {1} : new long[] {v.length}, ProtoWriter.longsLE(v))));
        return name + "_output_0";
    }

    private String gather(String path, String param, String indices) {
        String name = np + path + "/Gather";
        String p = pp + param;
        Weight w = ck.get(o.wordEmbeddingName != null && param.equals(o.wordEmbeddingName) ? "embeddings.word_embeddings.weight" : param);
        boolean external = o.externalWordEmbeddings && param.equals("embeddings.word_embeddings.weight");
        initF(p, w, false, external);
        node(name, "Gather", new String[] {p, indices}, new String[] {name + "_output_0"});
        return name + "_output_0";
    }

    /** x·W + b with W as an anonymous [in, out] initializer, as the export writes Linear on 3-D input. */
    private String linear(String path, String param, String x) {
        String w = "onnx::MatMul_" + (anon++);
        Weight weight = ck.get(param + ".weight");
        if (!(param + ".weight").equals(o.drop)) initF(w, weight, true, false);
        initF(pp + param + ".bias", ck.get(param + ".bias"), false, false);
        String p = np + path;
        node(p + "/MatMul", "MatMul", new String[] {x, w}, new String[] {p + "/MatMul_output_0"});
        return add(p + "/Add", pp + param + ".bias", p + "/MatMul_output_0");
    }

    private String headsReshape(String path, int which, String x, int nH, int d) {
        String p = np + path;
        String[] in;
        if (o.noHeadShapes) {
            in = new String[] {p + "/Unsqueeze_" + (2 * which) + "_output_0", p + "/Unsqueeze_" + (2 * which + 1) + "_output_0",
                p + "/Unsqueeze_x" + which + "_output_0", p + "/Unsqueeze_y" + which + "_output_0"};
        } else {
            in = new String[] {p + "/Unsqueeze_" + (2 * which) + "_output_0", p + "/Unsqueeze_" + (2 * which + 1) + "_output_0",
                constI(p + "/Constant_" + (4 * which + 2), nH), constI(p + "/Constant_" + (4 * which + 3), d)};
        }
        String concat = p + "/Concat" + (which == 0 ? "" : "_" + which);
        node(concat, "Concat", in, new String[] {concat + "_output_0"}, ProtoWriter.intAttribute("axis", 0));
        String r = p + "/Reshape" + (which == 0 ? "" : "_" + which);
        node(r, "Reshape", new String[] {x, concat + "_output_0"}, new String[] {r + "_output_0"});
        return r + "_output_0";
    }

    private String layerNorm(String path, String param, String x) {
        String p = np + path;
        node(p + "/ReduceMean", "ReduceMean", new String[] {x}, new String[] {p + "/ReduceMean_output_0"});
        node(p + "/Sub", "Sub", new String[] {x, p + "/ReduceMean_output_0"}, new String[] {p + "/Sub_output_0"});
        node(p + "/Pow", "Pow", new String[] {p + "/Sub_output_0", constF(p + "/Constant", 2f)}, new String[] {p + "/Pow_output_0"});
        node(p + "/ReduceMean_1", "ReduceMean", new String[] {p + "/Pow_output_0"}, new String[] {p + "/ReduceMean_1_output_0"});
        String v = add(p + "/Add", p + "/ReduceMean_1_output_0", constF(p + "/Constant_1", c.normEps()));
        node(p + "/Sqrt", "Sqrt", new String[] {v}, new String[] {p + "/Sqrt_output_0"});
        node(p + "/Div", "Div", new String[] {p + "/Sub_output_0", p + "/Sqrt_output_0"}, new String[] {p + "/Div_output_0"});
        // norm weights as packed float_data (the other way ONNX stores floats), the rest as raw_data
        initF(pp + param + ".weight", ck.get(param + ".weight"), false, false, true);
        initF(pp + param + ".bias", ck.get(param + ".bias"), false, false);
        node(p + "/Mul", "Mul", new String[] {p + "/Div_output_0", pp + param + ".weight"}, new String[] {p + "/Mul_output_0"});
        boolean last = path.equals("/encoder/layer." + (c.layers() - 1) + "/output/LayerNorm");
        String out = last ? "last_hidden_state" : p + "/Add_1_output_0";
        node(p + "/Add_1", "Add", new String[] {p + "/Mul_output_0", pp + param + ".bias"}, new String[] {out});
        return out;
    }

    private void initF(String name, Weight w, boolean transpose, boolean external) {
        initF(name, w, transpose, external, false);
    }

    private void initF(String name, Weight w, boolean transpose, boolean external, boolean floatData) {
        FloatBuffer fb = w.f32();
        float[] v = new float[(int) w.numel()];
        fb.get(0, v);
        long[] dims = w.shape();
        if (transpose) {
            int r = (int) dims[0], cols = (int) dims[1];
            float[] t = new float[v.length];
            for (int i = 0; i < r; i++) for (int j = 0; j < cols; j++) t[j * r + i] = v[i * cols + j];
            v = t;
            dims = new long[] {cols, r};
        }
        if (external) {
            ProtoWriter t = new ProtoWriter().packed(1, dims).varint(2, OnnxModel.FLOAT).string(8, name)
                    .message(13, new ProtoWriter().string(1, "location").string(2, "weights.bin"))
                    .varint(14, 1);
            inits.add(t);
        } else if (floatData) {
            inits.add(new ProtoWriter().packed(1, dims).varint(2, OnnxModel.FLOAT).bytes(4, ProtoWriter.floatsLE(v)).string(8, name));
        } else {
            inits.add(ProtoWriter.tensor(name, OnnxModel.FLOAT, dims, ProtoWriter.floatsLE(v)));
        }
    }
}
