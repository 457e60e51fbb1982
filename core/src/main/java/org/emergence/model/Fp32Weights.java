package org.emergence.model;

import java.nio.FloatBuffer;
import java.util.IdentityHashMap;
import java.util.Map;
import org.emergence.model.BoundWeights.BlockP;
import org.emergence.model.BoundWeights.LinearP;
import org.emergence.model.io.StorageType;
import org.emergence.model.io.Weight;
import org.emergence.tensor.Gemm;
import org.emergence.tensor.Kernels;
import org.emergence.tensor.SgemmChoice;

/**
 * fp32 views of a model's matrices for the GEMMs. F32 weights are used in place (memory-mapped);
 * F16/BF16 weights are widened either once for the whole model, when their fp32 size fits the
 * budget, or block by block into one reusable arena just before that block runs — so peak memory is
 * the mapping plus one block of fp32 weights. {@link #linear} and {@link #gemm} apply a bound linear
 * through these views, so every matrix product of the forward pass goes through one place: fp32 on the kernel
 * {@link SgemmChoice} picks for the shape, or bf16 ({@link Bf16Operands}) when the model's {@link Precision} says so.
 */
final class Fp32Weights {
    private final BlockP[] blocks;
    private final boolean widenAll;
    private final Map<Weight, FloatBuffer> widened = new IdentityHashMap<>();
    private FloatBuffer arena;
    private int arenaLayer = -1;
    private final Bf16Operands bf16;

    Fp32Weights(BlockP[] blocks, long widenAllBudget, Precision precision) {
        this.blocks = blocks;
        this.bf16 = precision.bf16() ? new Bf16Operands(precision.onednn(), this::block) : null;
        long widenBytes = 0;
        for (BlockP b : blocks) for (LinearP p : b.linears()) if (p.w().type() != StorageType.F32) widenBytes += p.w().numel() * 4;
        // nothing to widen (all F32) is widening all, whatever the budget
        this.widenAll = widenBytes == 0 || widenBytes <= widenAllBudget;
    }

    /** True when some block weights are widened into the arena anew each time their block runs. */
    boolean perBlock() {
        return !widenAll && !(bf16 != null && bf16.native16());
    }

    /** fp32 view of a block weight (mapped, widened once, or widened into the current block's arena). */
    FloatBuffer block(Weight w) {
        if (w.type() == StorageType.F32) return widened.computeIfAbsent(w, Weight::f32);
        FloatBuffer b = widened.get(w);
        if (b == null) throw new IllegalStateException("weight " + w.name() + " not prepared");
        return b;
    }

    /** fp32 view of a weight outside the blocks (embeddings, head, projections): mapped or widened once, kept. */
    FloatBuffer kept(Weight w) {
        return widened.computeIfAbsent(w, Weight::f32);
    }

    /** Makes every weight of block l available through {@link #block}. */
    void prepare(int l) {
        if (bf16 != null && bf16.native16()) return; // oneDNN reads the bf16 weights themselves
        if (widenAll || arenaLayer == l) {
            if (widenAll) {
                for (LinearP p : blocks[l].linears()) {
                    if (p.w().type() != StorageType.F32) widened.computeIfAbsent(p.w(), Weight::f32);
                }
            }
            return;
        }
        // per-block arena: drop the previous block's views, widen this block's weights into one buffer
        if (arenaLayer >= 0) for (LinearP p : blocks[arenaLayer].linears()) if (p.w().type() != StorageType.F32) widened.remove(p.w());
        long need = 0;
        for (LinearP p : blocks[l].linears()) if (p.w().type() != StorageType.F32) need += p.w().numel();
        if (arena == null || arena.capacity() < need) arena = Gemm.allocate(need);
        int off = 0;
        for (LinearP p : blocks[l].linears()) {
            if (p.w().type() == StorageType.F32) continue;
            int n = (int) p.w().numel();
            p.w().readF32(0, n, arena, off);
            widened.put(p.w(), arena.slice(off, n));
            off += n;
        }
        arenaLayer = l;
    }

    /** y = x·W (+ beta·y) + bias, over m rows. */
    void linear(LinearP p, FloatBuffer x, int m, FloatBuffer y, float beta) {
        gemm(p, x, m, y, 0, p.out(), beta);
        Kernels.addBias(y, 0, m, p.out(), p.out(), 0, p.bias());
    }

    /** y[:, col0:col0+out] = x·W + beta·y (no bias), rows of y with stride ldy. */
    void gemm(LinearP p, FloatBuffer x, int m, FloatBuffer y, int col0, int ldy, float beta) {
        if (bf16 != null) {
            bf16.gemm(p, x, m, y, col0, ldy, beta);
            return;
        }
        FloatBuffer wf = block(p.w());
        // [out, in] is used transposed; [in, out] as is; OpenBLAS or oneDNN by shape (SgemmChoice)
        SgemmChoice.sgemm(!p.inOut(), m, p.out(), p.in(), x, 0, p.in(), wf, 0, p.inOut() ? p.out() : p.in(), beta, y, col0, ldy);
    }
}
