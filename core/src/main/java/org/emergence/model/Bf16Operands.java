package org.emergence.model;

import org.emergence.model.io.StorageType;
import org.emergence.model.io.Weight;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Function;
import org.emergence.model.BoundWeights.LinearP;
import org.emergence.tensor.Bf16;
import org.emergence.tensor.Gemm;
import org.emergence.tensor.SgemmChoice;

/**
 * The linear layers of a bf16 forward pass ({@link Precision}): weights rounded to bf16 once and kept (a BF16
 * checkpoint's tensors are used in place), each product's input rows rounded to bf16 into a reused scratch
 * buffer, the product accumulated in fp32 — on oneDNN where the CPU has bf16 units, otherwise by the fp32 GEMM
 * on the same rounded values (exact products, fp32 sums: the same numbers up to summation order).
 */
final class Bf16Operands {
    private final boolean onednn;
    /** the fp32 view of a block weight (the model's {@code Fp32Weights}), for a BF16 checkpoint's tensors */
    private final Function<Weight, FloatBuffer> fp32;
    private final Map<Weight, ShortBuffer> bits = new IdentityHashMap<>();
    private final Map<Weight, FloatBuffer> rounded = new IdentityHashMap<>();
    private ShortBuffer xBits;
    private FloatBuffer xRounded;

    Bf16Operands(boolean onednn, Function<Weight, FloatBuffer> fp32) {
        this.onednn = onednn;
        this.fp32 = fp32;
    }

    /** True when weights are never widened to fp32 (oneDNN reads bf16 directly). */
    boolean native16() {
        return onednn;
    }

    /** y[:, col0:col0+out] = bf16(x)·bf16(W) + beta·y, beta 0 or 1. */
    void gemm(LinearP p, FloatBuffer x, int m, FloatBuffer y, int col0, int ldy, float beta) {
        int in = p.in(), out = p.out(), ldw = p.inOut() ? out : in;
        if (onednn) {
            ShortBuffer w = bits.computeIfAbsent(p.w(), Weight::bf16);
            if (xBits == null || xBits.capacity() < (long) m * in) xBits = Bf16.allocate((long) m * in);
            Bf16.toBits(x, 0, in, xBits, 0, in, m, in);
            SgemmChoice.bf16(!p.inOut(), m, out, in, xBits, 0, in, w, 0, ldw, beta, y, col0, ldy);
            return;
        }
        FloatBuffer w = p.w().type() == StorageType.BF16 ? fp32.apply(p.w()) : rounded.computeIfAbsent(p.w(), Bf16Operands::roundedCopy);
        if (xRounded == null || xRounded.capacity() < (long) m * in) xRounded = Gemm.allocate((long) m * in);
        Bf16.roundRows(x, 0, in, xRounded, 0, in, m, in);
        SgemmChoice.sgemm(!p.inOut(), m, out, in, xRounded, 0, in, w, 0, ldw, beta, y, col0, ldy);
    }

    private static FloatBuffer roundedCopy(Weight w) {
        FloatBuffer f = Gemm.allocate(w.numel());
        w.readF32(0, w.numel(), f, 0);
        int n = (int) w.numel();
        Bf16.roundRows(f, 0, n, f, 0, n, 1, n);
        return f;
    }
}
