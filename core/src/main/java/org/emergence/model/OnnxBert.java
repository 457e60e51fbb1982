package org.emergence.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.emergence.common.UserError;
import org.emergence.model.family.BertFamily;
import org.emergence.model.io.Checkpoint;
import org.emergence.model.io.OnnxModel;
import org.emergence.model.io.OnnxModel.Node;
import org.emergence.model.io.OnnxModel.Tensor;
import org.emergence.model.io.StorageType;
import org.emergence.model.io.Weight;

/**
 * A BERT-family encoder read directly from an ONNX file (as exported by {@code torch.onnx} from
 * Hugging Face BertModel: MiniLM, BGE, E5 …). Only the weights are taken from the file — the
 * forward pass is the shared {@link Transformer} — and they stay memory-mapped where they lie.
 *
 * <p>Naming: in these exports biases, norms and embeddings keep their PyTorch names, while the
 * matrices become anonymous initializers ({@code onnx::MatMul_787}, stored [in, out]). Every
 * initializer is therefore named by the node that consumes it: the MatMul named
 * {@code /encoder/layer.0/attention/self/query/MatMul} gives
 * {@code encoder.layer.0.attention.self.query.weight}. The configuration (layers, hidden, heads,
 * MLP width, vocabulary, positions, token types, LayerNorm ε, activation) is derived from the
 * initializer shapes and from the graph's constants; anything that does not fit BERT is refused
 * with one line naming the file.
 */
public final class OnnxBert {
    private OnnxBert() {}

    private static final Pattern CLEAN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z0-9_]+)+");
    private static final Pattern LAYER = Pattern.compile("encoder\\.layer\\.(\\d+)\\..*");
    private static final Pattern SELF_ATTENTION = Pattern.compile("encoder\\.layer\\.\\d+\\.attention\\.self");

    /** Loads a BERT-family .onnx file, deriving the number of heads from the graph. */
    public static Transformer load(Path file) {
        return load(file, 0);
    }

    /**
     * Loads a BERT-family .onnx file. {@code expectedHeads} > 0 (a known model) is used when the
     * graph does not show the head count, and must agree with it when it does.
     */
    public static Transformer load(Path file, int expectedHeads) {
        OnnxModel m = OnnxModel.read(file);
        Graph g = new Graph(m);
        Map<String, Tensor> byName = new LinkedHashMap<>();
        Set<String> inOut = new HashSet<>();
        for (Tensor t : m.initializers()) {
            if (!isFloatType(t.dataType())) continue; // position ids and other integer tensors
            Named n = name(t, g);
            if (n == null) continue;
            Tensor prev = byName.putIfAbsent(n.name, t);
            if (prev != null && prev != t) {
                throw new UserError(file + ": initializers '" + prev.name() + "' and '" + t.name() + "' both map to '"
                        + n.name + "'");
            }
            if (n.inOut) inOut.add(n.name);
        }
        ObjectNode config = deriveConfig(file, m, g, byName, expectedHeads);
        BertFamily family = new BertFamily(inOut);
        ModelConfig cfg = family.parse(new ConfigReader(config, null));
        Map<String, Weight> weights = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : byName.entrySet()) weights.put(e.getKey(), weight(file, e.getKey(), e.getValue()));
        return Transformer.of(Checkpoint.of(file, config, weights), family, cfg);
    }

    // ------------------------------------------------------------------ graph index

    /** Producers and consumers of every value in the graph. */
    private static final class Graph {
        final OnnxModel m;
        final Map<String, Node> producer = new HashMap<>();
        final Map<String, List<Use>> consumers = new HashMap<>();
        final Map<String, Tensor> inits = new HashMap<>();

        Graph(OnnxModel m) {
            this.m = m;
            for (Node n : m.nodes()) {
                for (String o : n.outputs()) producer.put(o, n);
                for (int i = 0; i < n.inputs().size(); i++) {
                    consumers.computeIfAbsent(n.inputs().get(i), k -> new ArrayList<>()).add(new Use(n, i));
                }
            }
            for (Tensor t : m.initializers()) inits.put(t.name(), t);
        }

        List<Use> uses(String value) {
            return consumers.getOrDefault(value, List.of());
        }

        String producerOp(String value) {
            Node n = producer.get(value);
            return n == null ? "" : n.opType();
        }

        /** Integer values of a constant value (Constant node, initializer, or Concat of those; -1 = not constant). */
        long[] constInts(String value, int depth) {
            Tensor init = inits.get(value);
            if (init != null) return m.longs(init);
            Node n = producer.get(value);
            if (n == null || depth > 4) return null;
            switch (n.opType()) {
                case "Constant" -> {
                    OnnxModel.Attribute a;
                    if ((a = n.attribute("value")) != null && a.t() != null) return m.longs(a.t());
                    if ((a = n.attribute("value_ints")) != null) return a.ints();
                    if ((a = n.attribute("value_int")) != null) return new long[] {a.i()};
                    return null;
                }
                case "Concat" -> {
                    List<Long> out = new ArrayList<>();
                    for (String in : n.inputs()) {
                        long[] v = constInts(in, depth + 1);
                        if (v == null) out.add(-1L); // a runtime dimension (Unsqueeze of a Shape element)
                        else for (long x : v) out.add(x);
                    }
                    long[] r = new long[out.size()];
                    for (int i = 0; i < r.length; i++) r[i] = out.get(i);
                    return r;
                }
                default -> {
                    return null;
                }
            }
        }

        /** The single float value of a constant scalar, or NaN. */
        float constFloat(String value) {
            Tensor init = inits.get(value);
            float[] v = null;
            if (init != null) {
                v = m.floats(init);
            } else {
                Node n = producer.get(value);
                if (n != null && n.opType().equals("Constant")) {
                    OnnxModel.Attribute a;
                    if ((a = n.attribute("value")) != null && a.t() != null) v = m.floats(a.t());
                    else if ((a = n.attribute("value_float")) != null) v = new float[] {a.f()};
                }
            }
            return v != null && v.length == 1 ? v[0] : Float.NaN;
        }
    }

    private record Use(Node node, int index) {}

    private record Named(String name, boolean inOut) {}

    /** "/encoder/layer.0/attention/self/query/MatMul" → "encoder.layer.0.attention.self.query" (no "bert." prefix). */
    static String module(Node n) {
        String s = n.name();
        if (s.startsWith("/")) s = s.substring(1);
        int slash = s.lastIndexOf('/');
        if (slash < 0) return "";
        return stripPrefix(s.substring(0, slash).replace('/', '.'));
    }

    private static String stripPrefix(String name) {
        return name.startsWith("bert.") ? name.substring(5) : name;
    }

    private static boolean isFloatType(int t) {
        return t == OnnxModel.FLOAT || t == OnnxModel.FLOAT16 || t == OnnxModel.BFLOAT16 || t == OnnxModel.DOUBLE;
    }

    /** The Hugging Face name of an initializer and whether it is a matrix stored [in, out]. */
    private static Named name(Tensor t, Graph g) {
        String derived = null;
        boolean inOut = false;
        for (Use u : g.uses(t.name())) {
            Node n = u.node();
            String mod = module(n);
            String suffix = null;
            switch (n.opType()) {
                case "MatMul" -> {
                    if (u.index() == 1) {
                        suffix = "weight";
                        inOut = true;
                    }
                }
                case "Gemm" -> {
                    OnnxModel.Attribute tb = n.attribute("transB");
                    if (u.index() == 1) {
                        suffix = "weight";
                        inOut = tb == null || tb.i() == 0;
                    } else if (u.index() == 2) {
                        suffix = "bias";
                    }
                }
                case "Transpose" -> {
                    // PyTorch [out, in] weight transposed in the graph before a MatMul
                    for (Use v : g.uses(n.outputs().isEmpty() ? "" : n.outputs().get(0))) {
                        if (v.node().opType().equals("MatMul") && v.index() == 1) {
                            mod = module(v.node());
                            suffix = "weight";
                        }
                    }
                }
                case "Gather" -> {
                    if (u.index() == 0) suffix = "weight";
                }
                case "LayerNormalization" -> suffix = u.index() == 1 ? "weight" : u.index() == 2 ? "bias" : null;
                case "Add" -> {
                    String other = n.input(1 - Math.min(u.index(), 1));
                    String op = g.producerOp(other);
                    if (op.equals("MatMul") || op.equals("Gemm")) suffix = "bias";
                    else if (op.equals("Mul") && mod.endsWith("LayerNorm")) suffix = "bias";
                }
                case "Mul" -> {
                    if (mod.endsWith("LayerNorm")) suffix = "weight";
                }
                default -> { }
            }
            if (suffix != null && !mod.isEmpty() && derived == null) derived = mod + "." + suffix;
        }
        if (CLEAN.matcher(t.name()).matches()) return new Named(stripPrefix(t.name()), inOut);
        return derived == null ? null : new Named(derived, inOut);
    }

    // ------------------------------------------------------------------ configuration

    private static ObjectNode deriveConfig(Path file, OnnxModel m, Graph g, Map<String, Tensor> byName, int expectedHeads) {
        Tensor word = byName.get("embeddings.word_embeddings.weight");
        if (word == null || word.dims().length != 2) {
            List<String> some = new ArrayList<>();
            for (Tensor t : m.initializers()) {
                if (some.size() == 4) break;
                some.add(t.name());
            }
            throw new UserError(file + ": not a BERT-family ONNX graph (no initializer for embeddings.word_embeddings.weight; "
                    + m.initializers().size() + " initializers" + (some.isEmpty() ? "" : ", e.g. " + String.join(", ", some)) + ")");
        }
        int vocab = (int) word.dims()[0], hidden = (int) word.dims()[1];
        Tensor pos = byName.get("embeddings.position_embeddings.weight");
        if (pos == null || pos.dims().length != 2) {
            throw new UserError(file + ": not a BERT-family ONNX graph (no absolute position embeddings "
                    + "embeddings.position_embeddings.weight)");
        }
        Tensor types = byName.get("embeddings.token_type_embeddings.weight");
        if (types == null || types.dims().length != 2) {
            throw new UserError(file + ": not a BERT-family ONNX graph (no token type embeddings "
                    + "embeddings.token_type_embeddings.weight)");
        }
        int layers = 0;
        for (String n : byName.keySet()) {
            Matcher mm = LAYER.matcher(n);
            if (mm.matches()) layers = Math.max(layers, Integer.parseInt(mm.group(1)) + 1);
        }
        if (layers == 0) throw new UserError(file + ": not a BERT-family ONNX graph (no encoder.layer.N tensors)");
        Tensor interBias = byName.get("encoder.layer.0.intermediate.dense.bias");
        if (interBias == null || interBias.dims().length != 1) {
            throw new UserError(file + ": missing tensor 'encoder.layer.0.intermediate.dense.bias' (not a BERT-shaped graph)");
        }
        int heads = heads(file, g, layers, hidden, expectedHeads);
        float eps = eps(file, g);
        String act = activation(file, g);

        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("model_type", "bert");
        o.put("source", "onnx");
        o.put("onnx_producer", m.producer());
        o.put("hidden_size", hidden);
        o.put("num_hidden_layers", layers);
        o.put("num_attention_heads", heads);
        o.put("intermediate_size", (int) interBias.dims()[0]);
        o.put("vocab_size", vocab);
        o.put("max_position_embeddings", (int) pos.dims()[0]);
        o.put("type_vocab_size", (int) types.dims()[0]);
        o.put("layer_norm_eps", (double) eps);
        o.put("hidden_act", act);
        o.put("position_embedding_type", "absolute");
        return o;
    }

    /** Heads from the attention's Reshape to [B, T, heads, head_dim], checked against the 1/√d scale. */
    private static int heads(Path file, Graph g, int layers, int hidden, int expected) {
        Set<Integer> found = new TreeSet<>();
        for (Node n : g.m.nodes()) {
            if (!n.opType().equals("Reshape")) continue;
            if (!SELF_ATTENTION.matcher(module(n)).matches()) continue;
            long[] shape = g.constInts(n.input(1), 0);
            if (shape == null || shape.length != 4) continue;
            long h = shape[2], d = shape[3];
            if (h > 0 && d > 0 && h * d == hidden) found.add((int) h);
        }
        if (found.size() > 1) {
            throw new UserError(file + ": attention reshapes disagree on the number of heads " + found);
        }
        int heads;
        if (found.isEmpty()) {
            if (expected <= 0) {
                throw new UserError(file + ": cannot determine the number of attention heads (no Reshape of the "
                        + "attention to a constant [heads, head_dim] in the graph)");
            }
            heads = expected;
        } else {
            heads = found.iterator().next();
            if (expected > 0 && heads != expected) {
                throw new UserError(file + ": the graph has " + heads + " attention heads, expected " + expected);
            }
        }
        if (hidden % heads != 0) throw new UserError(file + ": hidden size " + hidden + " is not divisible by " + heads + " heads");
        // the scores are divided by √head_dim (or multiplied by its inverse); any other constant means a different model
        double root = Math.sqrt(hidden / heads);
        for (Node n : g.m.nodes()) {
            if (!SELF_ATTENTION.matcher(module(n)).matches()) continue;
            if (!n.opType().equals("Div") && !n.opType().equals("Mul")) continue;
            if (!g.producerOp(n.input(0)).equals("MatMul") || n.outputs().isEmpty()) continue;
            boolean toScores = false;
            for (Use u : g.uses(n.outputs().get(0))) {
                String op = u.node().opType();
                if (op.equals("Add") || op.equals("Softmax")) toScores = true;
            }
            float c = g.constFloat(n.input(1));
            if (!toScores || Float.isNaN(c)) continue;
            double scale = n.opType().equals("Div") ? c : 1.0 / c;
            if (Math.abs(scale - root) > 1e-3 * root) {
                throw new UserError(file + ": attention scores are scaled by 1/" + (float) scale + ", not 1/sqrt(head_dim) = 1/"
                        + (float) root + " for " + heads + " heads (unsupported attention variant)");
            }
        }
        return heads;
    }

    /** LayerNorm ε: the constant added to the variance before Sqrt, or LayerNormalization's epsilon. */
    private static float eps(Path file, Graph g) {
        Set<Float> found = new TreeSet<>();
        for (Node n : g.m.nodes()) {
            String mod = module(n);
            if (!mod.endsWith("LayerNorm")) continue;
            if (n.opType().equals("LayerNormalization")) {
                OnnxModel.Attribute a = n.attribute("epsilon");
                found.add(a == null ? 1e-5f : a.f());
            } else if (n.opType().equals("Add") && !n.outputs().isEmpty()) {
                boolean toSqrt = false;
                for (Use u : g.uses(n.outputs().get(0))) if (u.node().opType().equals("Sqrt")) toSqrt = true;
                if (!toSqrt) continue;
                float a = g.constFloat(n.input(0)), b = g.constFloat(n.input(1));
                float c = Float.isNaN(b) ? a : b;
                if (!Float.isNaN(c)) found.add(c);
            }
        }
        if (found.isEmpty()) throw new UserError(file + ": cannot find the LayerNorm epsilon in the graph (not a BERT-shaped export)");
        if (found.size() > 1) throw new UserError(file + ": LayerNorms use different epsilons " + found + " (unsupported)");
        return found.iterator().next();
    }

    /** The MLP activation from the ops of layer 0's intermediate module. */
    private static String activation(Path file, Graph g) {
        Set<String> ops = new TreeSet<>();
        String approx = null;
        for (Node n : g.m.nodes()) {
            if (!module(n).startsWith("encoder.layer.0.intermediate")) continue;
            ops.add(n.opType());
            if (n.opType().equals("Gelu") && n.attribute("approximate") != null) approx = n.attribute("approximate").s();
        }
        if (ops.contains("Erf")) return "gelu";
        if (ops.contains("Gelu")) return "tanh".equals(approx) ? "gelu_new" : "gelu";
        if (ops.contains("Tanh") || ops.contains("FastGelu")) return "gelu_new";
        if (ops.contains("Relu")) return "relu";
        throw new UserError(file + ": cannot identify the MLP activation of encoder layer 0 (ops " + ops + ")");
    }

    // ------------------------------------------------------------------ weights

    private static Weight weight(Path file, String name, Tensor t) {
        if (t.external()) {
            throw new UserError(file + ": tensor '" + t.name() + "' keeps its data in an external file "
                    + "(ONNX external data is not supported; save the model as a single .onnx file)");
        }
        StorageType type = switch (t.dataType()) {
            case OnnxModel.FLOAT -> StorageType.F32;
            case OnnxModel.FLOAT16 -> StorageType.F16;
            case OnnxModel.BFLOAT16 -> StorageType.BF16;
            case OnnxModel.DOUBLE -> StorageType.F64;
            default -> throw new IllegalStateException("not a float tensor " + t);
        };
        boolean mappable = t.dataField() == 9 || (t.dataField() == 4 && t.dataType() == OnnxModel.FLOAT);
        if (!mappable) {
            throw new UserError(file + ": tensor '" + t.name() + "' stores its values "
                    + (t.dataField() < 0 ? "unpacked or not at all" : "in field " + t.dataField())
                    + "; only raw_data or packed float_data can be read");
        }
        long expected = t.numel() * type.size;
        if (t.dataLength() != expected) {
            throw new UserError(file + ": tensor '" + t.name() + "' has " + t.dataLength() + " bytes of data, expected "
                    + expected + " for shape " + java.util.Arrays.toString(t.dims()) + " " + OnnxModel.typeName(t.dataType()));
        }
        return Weight.mapped(name, file, type, t.dims(), t.dataOffset());
    }
}
