package org.emergence.model.io;

import org.emergence.common.ProtoReader;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.emergence.common.UserError;
import org.emergence.common.ProtoReader.FloatList;
import org.emergence.common.ProtoReader.LongList;

/**
 * The parts of an ONNX file ({@code ModelProto}, protobuf wire format) needed to take a model's
 * weights and read its structure: the graph's initializers (with the byte offset of their raw
 * data inside the file, so they can be memory-mapped in place), its nodes with their attributes,
 * and the names of its inputs and outputs. Everything else is skipped.
 *
 * <p>Field numbers (onnx.proto): ModelProto ir_version 1, producer_name 2, producer_version 3,
 * graph 7, opset_import 8; GraphProto node 1, name 2, initializer 5, input 11, output 12;
 * NodeProto input 1, output 2, name 3, op_type 4, attribute 5, domain 7; AttributeProto name 1,
 * f 2, i 3, s 4, t 5, floats 7, ints 8; TensorProto dims 1, data_type 2, float_data 4,
 * int32_data 5, int64_data 7, name 8, raw_data 9, double_data 10, external_data 13,
 * data_location 14; ValueInfoProto name 1; OperatorSetIdProto domain 1, version 2.
 */
public final class OnnxModel {
    /** TensorProto.DataType values used here. */
    public static final int FLOAT = 1, INT32 = 6, INT64 = 7, FLOAT16 = 10, DOUBLE = 11, BFLOAT16 = 16;

    /**
     * One TensorProto. {@code dataOffset}/{@code dataLength}: where its values are stored in the
     * file — raw_data, or a packed float_data / int64_data / int32_data / double_data run
     * ({@code dataField} says which) — or -1 when it has none. {@code external}: data lives in
     * another file (external_data / data_location EXTERNAL).
     */
    public record Tensor(String name, long[] dims, int dataType, int dataField, long dataOffset, long dataLength,
                         boolean external) {
        public long numel() {
            long n = 1;
            for (long d : dims) n *= d;
            return n;
        }

        @Override
        public String toString() {
            return name + Arrays.toString(dims) + " " + typeName(dataType);
        }
    }

    /** One AttributeProto (only the kinds a graph like BERT's uses). */
    public record Attribute(String name, float f, long i, String s, Tensor t, long[] ints, float[] floats) {}

    /** One NodeProto. */
    public record Node(String name, String opType, String domain, List<String> inputs, List<String> outputs,
                       Map<String, Attribute> attributes) {
        public String input(int k) {
            return k < inputs.size() ? inputs.get(k) : "";
        }

        public Attribute attribute(String n) {
            return attributes.get(n);
        }
    }

    private final Path file;
    private final ByteBuffer bytes;
    private final long irVersion;
    private final String producer;
    private final Map<String, Long> opsets;
    private final List<Tensor> initializers;
    private final List<Node> nodes;
    private final List<String> inputs;
    private final List<String> outputs;

    private OnnxModel(Path file, ByteBuffer bytes, long irVersion, String producer, Map<String, Long> opsets,
                      List<Tensor> initializers, List<Node> nodes, List<String> inputs, List<String> outputs) {
        this.file = file;
        this.bytes = bytes;
        this.irVersion = irVersion;
        this.producer = producer;
        this.opsets = opsets;
        this.initializers = initializers;
        this.nodes = nodes;
        this.inputs = inputs;
        this.outputs = outputs;
    }

    public Path file() {
        return file;
    }

    public long irVersion() {
        return irVersion;
    }

    /** producer_name and producer_version, e.g. "pytorch 2.0.1". */
    public String producer() {
        return producer;
    }

    /** Operator set versions by domain ("" = the default ONNX domain). */
    public Map<String, Long> opsets() {
        return Collections.unmodifiableMap(opsets);
    }

    public List<Tensor> initializers() {
        return Collections.unmodifiableList(initializers);
    }

    public List<Node> nodes() {
        return Collections.unmodifiableList(nodes);
    }

    public List<String> inputs() {
        return Collections.unmodifiableList(inputs);
    }

    public List<String> outputs() {
        return Collections.unmodifiableList(outputs);
    }

    /** Reads and checks the structure of an .onnx file; weights stay in the file. */
    public static OnnxModel read(Path file) {
        long size;
        MappedByteBuffer map;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            size = ch.size();
            if (size == 0) throw new UserError(file + ": empty file (not an ONNX model)");
            if (size > Integer.MAX_VALUE) {
                throw new UserError(file + ": ONNX file of " + size + " bytes is larger than protobuf's 2 GB limit");
            }
            map = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
        } catch (NoSuchFileException e) {
            throw new UserError(file + ": no such file");
        } catch (IOException e) {
            throw new UserError(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        ByteBuffer b = map.order(ByteOrder.LITTLE_ENDIAN);
        try {
            return parse(file, b, (int) size);
        } catch (ProtoReader.Malformed e) {
            throw new UserError(file + ": not a valid ONNX file (malformed protobuf: " + e.getMessage() + ")", e);
        }
    }

    private static OnnxModel parse(Path file, ByteBuffer b, int size) {
        ProtoReader m = new ProtoReader(b, 0, size);
        long ir = -1;
        String prodName = "", prodVersion = "";
        Map<String, Long> opsets = new LinkedHashMap<>();
        ProtoReader graph = null;
        while (m.next()) {
            switch (m.field()) {
                case 1 -> {
                    if (m.wire() != ProtoReader.VARINT) throw new ProtoReader.Malformed("ir_version is not a varint", m.fieldStart());
                    ir = m.varint();
                }
                case 2 -> prodName = str(m);
                case 3 -> prodVersion = str(m);
                case 7 -> {
                    if (m.wire() != ProtoReader.LEN) throw new ProtoReader.Malformed("graph is not a message", m.fieldStart());
                    graph = m.message();
                }
                case 8 -> {
                    if (m.wire() != ProtoReader.LEN) throw new ProtoReader.Malformed("opset_import is not a message", m.fieldStart());
                    ProtoReader o = m.message();
                    String domain = "";
                    long version = 0;
                    while (o.next()) {
                        if (o.field() == 1 && o.wire() == ProtoReader.LEN) domain = o.string();
                        else if (o.field() == 2 && o.wire() == ProtoReader.VARINT) version = o.varint();
                        else o.skip();
                    }
                    opsets.put(domain, version);
                }
                default -> m.skip();
            }
        }
        if (graph == null || ir < 0) {
            throw new UserError(file + ": not an ONNX model (no " + (graph == null ? "graph" : "ir_version") + " in the file)");
        }
        List<Tensor> inits = new ArrayList<>();
        List<Node> nodes = new ArrayList<>();
        List<String> ins = new ArrayList<>(), outs = new ArrayList<>();
        while (graph.next()) {
            switch (graph.field()) {
                case 1 -> nodes.add(node(graph.message()));
                case 5 -> inits.add(tensor(graph.message()));
                case 11 -> ins.add(valueInfoName(graph.message()));
                case 12 -> outs.add(valueInfoName(graph.message()));
                default -> graph.skip();
            }
        }
        String producer = (prodName + " " + prodVersion).trim();
        return new OnnxModel(file, b, ir, producer, opsets, inits, nodes, ins, outs);
    }

    private static String str(ProtoReader r) {
        if (r.wire() != ProtoReader.LEN) throw new ProtoReader.Malformed("field " + r.field() + " is not a string", r.fieldStart());
        return r.string();
    }

    private static String valueInfoName(ProtoReader r) {
        String name = "";
        while (r.next()) {
            if (r.field() == 1 && r.wire() == ProtoReader.LEN) name = r.string();
            else r.skip();
        }
        return name;
    }

    private static Node node(ProtoReader r) {
        String name = "", op = "", domain = "";
        List<String> in = new ArrayList<>(), out = new ArrayList<>();
        Map<String, Attribute> attrs = new LinkedHashMap<>();
        while (r.next()) {
            switch (r.field()) {
                case 1 -> in.add(str(r));
                case 2 -> out.add(str(r));
                case 3 -> name = str(r);
                case 4 -> op = str(r);
                case 7 -> domain = str(r);
                case 5 -> {
                    if (r.wire() != ProtoReader.LEN) throw new ProtoReader.Malformed("attribute is not a message", r.fieldStart());
                    Attribute a = attribute(r.message());
                    attrs.put(a.name(), a);
                }
                default -> r.skip();
            }
        }
        return new Node(name, op, domain, in, out, attrs);
    }

    private static Attribute attribute(ProtoReader r) {
        String name = "", s = null;
        float f = 0;
        long i = 0;
        Tensor t = null;
        LongList ints = new LongList();
        FloatList floats = new FloatList();
        while (r.next()) {
            switch (r.field()) {
                case 1 -> name = str(r);
                case 2 -> {
                    if (r.wire() != ProtoReader.FIXED32) throw new ProtoReader.Malformed("attribute f is not a float", r.fieldStart());
                    f = Float.intBitsToFloat(r.fixed32());
                }
                case 3 -> {
                    if (r.wire() != ProtoReader.VARINT) throw new ProtoReader.Malformed("attribute i is not a varint", r.fieldStart());
                    i = r.varint();
                }
                case 4 -> s = str(r);
                case 5 -> {
                    if (r.wire() != ProtoReader.LEN) throw new ProtoReader.Malformed("attribute t is not a message", r.fieldStart());
                    t = tensor(r.message());
                }
                case 7 -> r.floats(floats);
                case 8 -> r.int64s(ints);
                default -> r.skip();
            }
        }
        return new Attribute(name, f, i, s, t, ints.toArray(), floats.toArray());
    }

    private static Tensor tensor(ProtoReader r) {
        LongList dims = new LongList();
        int type = 0, dataField = -1;
        long off = -1, len = -1;
        String name = "";
        boolean external = false;
        while (r.next()) {
            switch (r.field()) {
                case 1 -> r.int64s(dims);
                case 2 -> {
                    if (r.wire() != ProtoReader.VARINT) throw new ProtoReader.Malformed("data_type is not a varint", r.fieldStart());
                    type = (int) r.varint();
                }
                case 8 -> name = str(r);
                case 4, 5, 7, 9, 10 -> {
                    if (r.wire() == ProtoReader.LEN) {
                        int[] span = r.span();
                        if (span[1] > 0 || dataField < 0) {
                            dataField = r.field();
                            off = span[0];
                            len = span[1];
                        }
                    } else {
                        // unpacked repeated values: legal protobuf, but not mappable in place
                        dataField = -r.field();
                        r.skip();
                    }
                }
                case 13 -> {
                    external = true;
                    r.skip();
                }
                case 14 -> {
                    if (r.wire() != ProtoReader.VARINT) throw new ProtoReader.Malformed("data_location is not a varint", r.fieldStart());
                    if (r.varint() == 1) external = true;
                }
                default -> r.skip();
            }
        }
        long[] d = dims.toArray();
        for (long x : d) if (x < 0) throw new ProtoReader.Malformed("tensor '" + name + "' has a negative dimension", r.position());
        return new Tensor(name, d, type, dataField, off, len, external);
    }

    // ------------------------------------------------------------------ small constant values

    /** Integer values of a small tensor (int64 / int32, raw or typed data); null if it has none. */
    public long[] longs(Tensor t) {
        if (t.external() || t.dataOffset() < 0) return null;
        int off = (int) t.dataOffset(), len = (int) t.dataLength();
        if (t.dataField() == 9) {
            if (t.dataType() == INT64 && len % 8 == 0) {
                long[] v = new long[len / 8];
                for (int i = 0; i < v.length; i++) v[i] = bytes.getLong(off + 8 * i);
                return v;
            }
            if (t.dataType() == INT32 && len % 4 == 0) {
                long[] v = new long[len / 4];
                for (int i = 0; i < v.length; i++) v[i] = bytes.getInt(off + 4 * i);
                return v;
            }
            return null;
        }
        if (t.dataField() == 7 || t.dataField() == 5) {
            ProtoReader r = new ProtoReader(bytes, off, off + len);
            LongList out = new LongList();
            while (r.position() < off + len) out.add(r.varint());
            return out.toArray();
        }
        return null;
    }

    /** Float values of a small tensor (float32 / float64, raw or typed data); null if it has none. */
    public float[] floats(Tensor t) {
        if (t.external() || t.dataOffset() < 0) return null;
        int off = (int) t.dataOffset(), len = (int) t.dataLength();
        boolean f32 = (t.dataField() == 9 && t.dataType() == FLOAT) || t.dataField() == 4;
        boolean f64 = (t.dataField() == 9 && t.dataType() == DOUBLE) || t.dataField() == 10;
        if (f32 && len % 4 == 0) {
            float[] v = new float[len / 4];
            for (int i = 0; i < v.length; i++) v[i] = bytes.getFloat(off + 4 * i);
            return v;
        }
        if (f64 && len % 8 == 0) {
            float[] v = new float[len / 8];
            for (int i = 0; i < v.length; i++) v[i] = (float) bytes.getDouble(off + 8 * i);
            return v;
        }
        return null;
    }

    public static String typeName(int dataType) {
        return switch (dataType) {
            case 1 -> "FLOAT";
            case 2 -> "UINT8";
            case 3 -> "INT8";
            case 4 -> "UINT16";
            case 5 -> "INT16";
            case 6 -> "INT32";
            case 7 -> "INT64";
            case 8 -> "STRING";
            case 9 -> "BOOL";
            case 10 -> "FLOAT16";
            case 11 -> "DOUBLE";
            case 12 -> "UINT32";
            case 13 -> "UINT64";
            case 16 -> "BFLOAT16";
            default -> "type " + dataType;
        };
    }
}
