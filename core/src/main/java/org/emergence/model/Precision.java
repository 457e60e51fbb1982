package org.emergence.model;

import java.util.Locale;
import org.emergence.common.UserError;
import org.emergence.tensor.Bf16;
import org.emergence.tensor.Dnnl;
import org.emergence.tensor.Gemm;

/**
 * The forward pass's arithmetic: {@code fp32} (the default), or {@code bf16} — every linear layer's weights
 * and input rows rounded to bfloat16 (nearest even), products accumulated in fp32, output fp32 (norms,
 * attention, activations and the residual stream stay fp32, as does the language-model head). On a CPU with
 * bf16 matrix units (AMX or AVX512-BF16, as oneDNN's own ISA query reports them) bf16 runs on oneDNN's bf16
 * matmul; elsewhere it is emulated — the same rounded operands multiplied by the fp32 GEMM, so the same numbers
 * up to the order of the fp32 additions, without the speed.
 *
 * @param requested what was asked: fp32, bf16 or auto (bf16 where the units exist, else fp32)
 * @param bf16      whether the linear layers run in bf16
 * @param onednn    bf16 on oneDNN's kernels (false: emulated, or fp32)
 * @param note      the one line that says what runs and why (null for plain fp32)
 */
public record Precision(String requested, boolean bf16, boolean onednn, String note) {

    public static final Precision FP32 = new Precision("fp32", false, false, null);

    private static volatile Precision current = FP32;

    /** "fp32" or "bf16": what a run records and a resume checks. */
    public String name() {
        return bf16 ? "bf16" : "fp32";
    }

    /** How the linear layers are computed, for capture.json and summaries. */
    public String kernel() {
        if (!bf16) return "fp32";
        return onednn ? "bf16 on oneDNN (" + Dnnl.isaName() + ")" : "bf16 emulated (operands rounded to bf16, fp32 GEMM)";
    }

    /** The precision new models take (set by --precision; fp32 until then). */
    public static Precision current() {
        return current;
    }

    public static void setCurrent(Precision p) {
        current = p;
    }

    /** Resolves --precision fp32|bf16|auto on this CPU; one-line error for anything else. */
    public static Precision resolve(String requested) {
        String r = requested == null ? "fp32" : requested.trim().toLowerCase(Locale.ROOT);
        if (r.equals("fp32")) return FP32;
        if (!r.equals("bf16") && !r.equals("auto")) throw new UserError("--precision must be fp32, bf16 or auto, got '" + requested + "'");
        String units = Dnnl.bf16Units();
        String why = null;
        if (units != null) {
            String impl = Dnnl.implementation(true, true, 64, 96, 128);
            if (impl == null) why = "oneDNN reports " + units + " but has no bf16 matmul for it";
            else if (!selfCheck()) why = "oneDNN's bf16 matmul (" + impl + ") failed its check against the emulated product";
            else return new Precision(r, true, true, "precision " + r + ": bf16 on " + units + " (oneDNN " + impl + "), fp32 accumulation");
        } else {
            why = "this CPU has no bf16 matrix units (oneDNN: " + Dnnl.describe() + "; AMX or AVX512-BF16 needed)";
        }
        if (r.equals("auto")) return new Precision(r, false, false, "precision auto: " + why + "; running fp32");
        return new Precision(r, true, false, "precision bf16: " + why + "; bf16 is emulated (operands rounded to bf16, "
                + "products summed in fp32 by the fp32 GEMM): bf16's numbers, not its speed");
    }

    /** oneDNN's bf16 product of a small random problem against the emulated one (same rounded operands). */
    static boolean selfCheck() {
        int m = 37, n = 53, k = 96;
        java.util.Random rnd = new java.util.Random(1);
        var a = Gemm.allocate((long) m * k);
        var b = Gemm.allocate((long) n * k);
        for (int i = 0; i < m * k; i++) a.put(i, Bf16.round((float) rnd.nextGaussian()));
        for (int i = 0; i < n * k; i++) b.put(i, Bf16.round((float) rnd.nextGaussian()));
        var ab = Bf16.allocate((long) m * k);
        var bb = Bf16.allocate((long) n * k);
        Bf16.toBits(a, 0, k, ab, 0, k, m, k);
        Bf16.toBits(b, 0, k, bb, 0, k, n, k);
        var c1 = Gemm.allocate((long) m * n);
        var c2 = Gemm.allocate((long) m * n);
        try {
            Dnnl.matmul(true, m, n, k, ab, 0, k, bb, 0, k, 0f, c1, 0, n);
        } catch (RuntimeException e) {
            return false;
        }
        Gemm.sgemm(false, true, m, n, k, 1f, a, 0, k, b, 0, k, 0f, c2, 0, n);
        for (int i = 0; i < m * n; i++) {
            if (!(Math.abs(c1.get(i) - c2.get(i)) <= 1e-4f * (1 + Math.abs(c2.get(i))))) return false;
        }
        return true;
    }
}
