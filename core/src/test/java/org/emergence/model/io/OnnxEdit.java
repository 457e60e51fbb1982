package org.emergence.model.io;

import org.emergence.common.ProtoReader;

import java.nio.ByteBuffer;
import java.util.List;

/** Test helper: edits ONNX model bytes at the protobuf level. */
public final class OnnxEdit {
    private OnnxEdit() {}

    /**
     * The model with extra graph outputs (float tensors of open shape) appended to its
     * GraphProto, so a runtime returns those intermediate values too. Every other byte is copied
     * unchanged (protobuf allows a message's fields in any order).
     */
    public static byte[] withOutputs(byte[] model, List<String> outputs) {
        ProtoReader r = new ProtoReader(ByteBuffer.wrap(model), 0, model.length);
        ProtoWriter w = new ProtoWriter();
        boolean graph = false;
        while (r.next()) {
            int start = r.fieldStart();
            if (r.field() == 7 && r.wire() == ProtoReader.LEN) {
                int[] span = r.span();
                ProtoWriter g = new ProtoWriter().append(model, span[0], span[1]);
                for (String o : outputs) g.message(12, ProtoWriter.floatValueInfo(o));
                w.message(7, g);
                graph = true;
            } else {
                r.skip();
                w.append(model, start, r.position() - start);
            }
        }
        if (!graph) throw new IllegalArgumentException("no graph in the model");
        return w.toByteArray();
    }
}
