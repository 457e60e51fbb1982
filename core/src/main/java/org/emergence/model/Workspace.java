package org.emergence.model;

import java.nio.FloatBuffer;
import org.emergence.tensor.Gemm;

/** A forward pass's activation buffers for m rows, reused across blocks and batches ({@link Transformer}, {@link FeedForward}). */
final class Workspace {
    final int rows;
    final FloatBuffer x, qkv, att, tmp, mlp, gate;

    Workspace(ModelConfig c, int rows) {
        this.rows = rows;
        x = Gemm.allocate((long) rows * c.hidden());
        qkv = Gemm.allocate((long) rows * c.qkvWidth());
        att = Gemm.allocate((long) rows * c.attnWidth());
        tmp = Gemm.allocate((long) rows * c.hidden());
        mlp = Gemm.allocate((long) rows * c.intermediate());
        gate = c.gatedMlp() ? Gemm.allocate((long) rows * c.intermediate()) : null;
    }
}
