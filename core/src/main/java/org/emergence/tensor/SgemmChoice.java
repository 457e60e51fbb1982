package org.emergence.tensor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.Buffer;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which fp32 GEMM runs each matrix product of the forward pass: OpenBLAS or oneDNN's matmul, per shape.
 *
 * <p>The choice is a table of measurements ({@code sgemm-kernels.tsv} beside this class), one row per CPU kind
 * (vendor/family/model from /proc/cpuinfo) and shape (op(B) transposed or not, k, n, and the row count's power
 * of two), written by {@code emergence bench gemm}: oneDNN is listed only where its median was at least 10%
 * faster, interleaved with OpenBLAS, on that CPU kind. A shape or CPU kind not in the table runs on OpenBLAS.
 * The choice is a fixed function of the CPU kind and the shape, never of a timing taken during a run, so the
 * same command gives the same bytes; a different kernel changes results only by fp32 rounding (a different
 * summation order). {@code EMERGENCE_SGEMM} (or {@code -Demergence.sgemm}) = {@code openblas} or {@code onednn}
 * forces one kernel for every shape; {@code table} (the default) applies the table.
 */
public final class SgemmChoice {
    private SgemmChoice() {}

    /** The two fp32 kernels. */
    public enum Kernel { OPENBLAS, ONEDNN }

    private static volatile String mode = System.getProperty("emergence.sgemm",
            System.getenv("EMERGENCE_SGEMM") == null ? "table" : System.getenv("EMERGENCE_SGEMM")).trim().toLowerCase(Locale.ROOT);
    private static Map<String, Kernel> table;
    private static String cpuKind;
    /** Kernel used per shape in this process (what is recorded). */
    private static final Map<String, Kernel> USED = new ConcurrentHashMap<>();

    /** The shape key of the table: "T k n m2^e" or "N k n m2^e" (e = floor(log2 m)). */
    public static String shape(boolean transB, int m, int n, int k) {
        return (transB ? "T" : "N") + " " + k + " " + n + " m2^" + (31 - Integer.numberOfLeadingZeros(Math.max(1, m)));
    }

    /** This CPU's kind as the table names it, e.g. "AuthenticAMD/25/1" (vendor/family/model), or "unknown". */
    public static synchronized String cpuKind() {
        if (cpuKind == null) cpuKind = readCpuKind(Path.of("/proc/cpuinfo"));
        return cpuKind;
    }

    static String readCpuKind(Path cpuinfo) {
        try {
            String vendor = null, family = null, model = null;
            for (String line : Files.readAllLines(cpuinfo)) {
                int c = line.indexOf(':');
                if (c < 0) continue;
                String k = line.substring(0, c).trim(), v = line.substring(c + 1).trim();
                if (k.equals("vendor_id") && vendor == null) vendor = v;
                if (k.equals("cpu family") && family == null) family = v;
                if (k.equals("model") && model == null) model = v;
            }
            return vendor == null || family == null || model == null ? "unknown" : vendor + "/" + family + "/" + model;
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** The kernel for a product of this shape (forced, from the table, or OpenBLAS). */
    public static Kernel choose(boolean transB, int m, int n, int k) {
        Kernel kernel;
        if (mode.equals("openblas")) kernel = Kernel.OPENBLAS;
        else if (mode.equals("onednn")) kernel = Kernel.ONEDNN;
        else kernel = table().getOrDefault(cpuKind() + " " + shape(transB, m, n, k), Kernel.OPENBLAS);
        if (kernel == Kernel.ONEDNN && !Dnnl.available()) kernel = Kernel.OPENBLAS;
        return kernel;
    }

    /**
     * C[:, col0…] = A·op(B) + beta·C on the kernel chosen for the shape (A not transposed, alpha 1; beta 0 or 1).
     */
    public static void sgemm(boolean transB, int m, int n, int k, FloatBuffer a, int aOff, int lda, FloatBuffer b, int bOff, int ldb,
                             float beta, FloatBuffer c, int cOff, int ldc) {
        if (m == 0 || n == 0) return;
        Kernel kernel = (beta == 0f || beta == 1f) && a.isDirect() && b.isDirect() && c.isDirect()
                ? choose(transB, m, n, k) : Kernel.OPENBLAS;
        USED.putIfAbsent(shape(transB, m, n, k), kernel);
        if (kernel == Kernel.ONEDNN) Dnnl.matmul(transB, m, n, k, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        else Gemm.sgemm(false, transB, m, n, k, 1f, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /** Runs a bf16 product on oneDNN (the caller checked that this CPU has the units); recorded like the fp32 ones. */
    public static void bf16(boolean transB, int m, int n, int k, Buffer a, int aOff, int lda, Buffer b, int bOff, int ldb,
                            float beta, FloatBuffer c, int cOff, int ldc) {
        USED.putIfAbsent("bf16 " + shape(transB, m, n, k), Kernel.ONEDNN);
        Dnnl.matmul(transB, m, n, k, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /** Shape → kernel for every forward product of this process so far, sorted (for capture.json and summaries). */
    public static Map<String, String> used() {
        Map<String, String> m = new TreeMap<>();
        USED.forEach((s, k) -> m.put(s, k == Kernel.ONEDNN ? "onednn" : "openblas"));
        return m;
    }

    /** Sets the rule for this process: "openblas", "onednn" or "table" (for tests and benchmarks; returns the previous). */
    public static String force(String m) {
        String was = mode;
        mode = m.trim().toLowerCase(Locale.ROOT);
        return was;
    }

    /** Forgets the recorded kernels (a new run starts its own record). */
    public static void resetUsed() {
        USED.clear();
    }

    /** One line: how the choice is made here. */
    public static String describe() {
        if (mode.equals("openblas") || mode.equals("onednn")) return "fp32 GEMM forced to " + mode + " (EMERGENCE_SGEMM)";
        long here = table().keySet().stream().filter(s -> s.startsWith(cpuKind() + " ") && table().get(s) == Kernel.ONEDNN).count();
        return "fp32 GEMM per shape from the measured table: " + (here == 0 ? "OpenBLAS for every shape on this CPU kind ("
                + cpuKind() + ")" : "oneDNN for " + here + " measured shape(s) on this CPU kind (" + cpuKind() + "), OpenBLAS otherwise");
    }

    private static synchronized Map<String, Kernel> table() {
        if (table == null) table = readTable(SgemmChoice.class.getResourceAsStream("sgemm-kernels.tsv"));
        return table;
    }

    /** cpu-kind + " " + shape → kernel; columns: cpu, transB (T|N), k, n, m_log2, kernel, then measurements. */
    static Map<String, Kernel> readTable(InputStream in) {
        Map<String, Kernel> t = new ConcurrentHashMap<>();
        if (in == null) return t;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isBlank() || line.startsWith("#")) continue;
                String[] f = line.split("\t");
                if (f.length < 6) throw new IllegalStateException("sgemm-kernels.tsv: malformed row: " + line);
                t.put(f[0] + " " + f[1] + " " + f[2] + " " + f[3] + " m2^" + f[4], Kernel.valueOf(f[5].toUpperCase(Locale.ROOT)));
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return t;
    }
}
