package org.emergence.tensor;

import static org.bytedeco.dnnl.global.dnnl.*;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.lang.ref.Reference;
import java.nio.Buffer;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc;
import org.bytedeco.dnnl.dnnl_post_ops;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_attr;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.dnnl.dnnl_version_t;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.ShortPointer;
import org.emergence.common.LocalDirs;

/**
 * oneDNN (bytedeco's {@code dnnl} preset), loaded on first use: its CPU ISA query and its matmul primitive,
 * row-major C = A·op(B) (+ C), with A and B either fp32 or bf16 and C always fp32 (bf16 products are
 * accumulated in fp32). The same primitive code serves the fp32 kernel choice ({@link SgemmChoice}) and the
 * bf16 forward pass, so the part that this machine can run tests the part it cannot.
 *
 * <p>Threads: oneDNN runs on its bundled OpenMP runtime; each call sets the calling thread's OpenMP thread
 * count to {@link Blas#threads()}, and OMP_WAIT_POLICY defaults to passive (set before the library loads),
 * so OpenMP workers do not spin on the cores OpenBLAS and the Java kernels then use.
 */
public final class Dnnl {
    private Dnnl() {}

    private static boolean tried, loaded;
    private static String description = "not loaded";
    private static int isa;
    private static dnnl_engine engine;
    private static dnnl_stream stream;
    private static Gomp gomp;
    private static final ThreadLocal<Integer> OMP_THREADS = new ThreadLocal<>();
    /** Primitives by problem, least recently used dropped past 256. */
    private static final Map<Key, dnnl_primitive> PRIMITIVES = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, dnnl_primitive> e) {
            if (size() <= 256) return false;
            dnnl_primitive_destroy(e.getValue());
            return true;
        }
    };

    /** OpenMP's thread count, called in the bundled runtime (JNA, by the path JavaCPP loaded it from). */
    private interface Gomp extends Library {
        void omp_set_num_threads(int n);
    }

    /** True when oneDNN loaded and a CPU engine exists. */
    public static synchronized boolean available() {
        if (!tried) load();
        return loaded;
    }

    /** e.g. "oneDNN 3.11.0 (CPU ISA: AVX2, OpenMP)", or why it is not available. */
    public static synchronized String describe() {
        available();
        return description;
    }

    /** oneDNN's effective CPU ISA name (its own dispatcher's view), e.g. "AVX2", "AVX-512 + AMX". */
    public static synchronized String isaName() {
        return available() ? isaName(isa) : "unknown (oneDNN not loaded)";
    }

    /** The bf16 matrix units oneDNN dispatches to here: "AMX", "AVX512-BF16", or null for none. */
    public static synchronized String bf16Units() {
        if (!available()) return null;
        if ((isa & dnnl_cpu_isa_avx512_core_amx) == dnnl_cpu_isa_avx512_core_amx) return "AMX";
        if ((isa & dnnl_cpu_isa_avx512_core_bf16) == dnnl_cpu_isa_avx512_core_bf16) return "AVX512-BF16";
        return null;
    }

    private static void load() {
        tried = true;
        if ("off".equalsIgnoreCase(System.getProperty("emergence.onednn"))) {
            description = "oneDNN off (emergence.onednn=off)";
            return;
        }
        try {
            LocalDirs.defaultProperty("org.bytedeco.javacpp.cachedir", null, "javacpp");
            LocalDirs.defaultProperty("jna.tmpdir", null, "jna");
            NativeEnv.set("OMP_WAIT_POLICY", "PASSIVE", false); // a user's own setting wins
            NativeEnv.set("OMP_NUM_THREADS", Integer.toString(Blas.threads()), false);
            Loader.load(org.bytedeco.dnnl.global.dnnl.class);
            engine = new dnnl_engine();
            check(dnnl_engine_create(engine, dnnl_cpu, 0), "engine");
            stream = new dnnl_stream();
            check(dnnl_stream_create(stream, engine, dnnl_stream_default_flags), "stream");
            isa = dnnl_get_effective_cpu_isa();
            dnnl_version_t v = dnnl_version();
            for (Map.Entry<String, String> e : Loader.getLoadedLibraries().entrySet()) {
                if (e.getValue() != null && e.getValue().contains("libgomp")) {
                    try {
                        gomp = Native.load(e.getValue(), Gomp.class);
                    } catch (Throwable t) {
                        gomp = null; // then OMP_NUM_THREADS (set above) holds
                    }
                }
            }
            description = "oneDNN " + v.major() + "." + v.minor() + "." + v.patch() + " (CPU ISA: " + isaName(isa) + ")";
            loaded = true;
        } catch (Throwable t) {
            description = "oneDNN not available (" + t.getClass().getSimpleName() + ": " + t.getMessage() + ")";
        }
    }

    private static String isaName(int v) {
        if (v == 0) return "none";
        String[] names = {"SSE4.1", "AVX", "AVX2", "AVX2-VNNI", "AVX2-VNNI-2", "AVX-512", "AVX-512 VNNI", "AVX-512 BF16",
            "AVX-512 FP16", "AVX10.1", "AVX-512 + AMX (bf16, int8)", "AVX-512 + AMX (fp16)", "AVX10.2"};
        int[] values = {dnnl_cpu_isa_sse41, dnnl_cpu_isa_avx, dnnl_cpu_isa_avx2, dnnl_cpu_isa_avx2_vnni, dnnl_cpu_isa_avx2_vnni_2,
            dnnl_cpu_isa_avx512_core, dnnl_cpu_isa_avx512_core_vnni, dnnl_cpu_isa_avx512_core_bf16, dnnl_cpu_isa_avx512_core_fp16,
            dnnl_cpu_isa_avx10_1_512, dnnl_cpu_isa_avx512_core_amx, dnnl_cpu_isa_avx512_core_amx_fp16, dnnl_cpu_isa_avx10_2_512};
        String best = null;
        int bestBits = -1;
        for (int i = 0; i < values.length; i++) {
            if ((v & values[i]) == values[i] && Integer.bitCount(values[i]) > bestBits) {
                best = names[i];
                bestBits = Integer.bitCount(values[i]);
            }
        }
        return best == null ? "0x" + Integer.toHexString(v) : best;
    }

    /** One matmul problem: operand type, shapes, leading dimensions, and whether C is accumulated into. */
    private record Key(boolean bf16, boolean transB, int m, int n, int k, int lda, int ldb, int ldc, boolean accumulate) {}

    /**
     * The implementation oneDNN picks for a problem (e.g. "brg_matmul:avx512_core_amx"), or null when it has
     * none for these types on this CPU (bf16 on a CPU without bf16 units: oneDNN refuses, no slow fallback).
     */
    public static synchronized String implementation(boolean bf16, boolean transB, int m, int n, int k) {
        if (!available()) return null;
        Key key = new Key(bf16, transB, m, n, k, k, transB ? k : n, n, false);
        dnnl_primitive_desc pd = describeProblem(key);
        if (pd == null) return null;
        PointerPointer<BytePointer> impl = new PointerPointer<>(1);
        String name = dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, impl) == dnnl_success
                ? new BytePointer(impl.get(0)).getString() : "?";
        dnnl_primitive_desc_destroy(pd);
        return name;
    }

    /**
     * C[m, n] (row stride ldc) = A[m, k]·op(B) + beta·C with beta 0 or 1; op(B) = Bᵀ when transB (B stored
     * [n, k], a PyTorch Linear), else B stored [k, n]. A and B are both FloatBuffers (fp32) or both ShortBuffers
     * of bf16 bits; buffers must be direct. Throws IllegalStateException when oneDNN has no kernel for it.
     */
    public static void matmul(boolean transB, int m, int n, int k, Buffer a, int aOff, int lda, Buffer b, int bOff, int ldb,
                              float beta, FloatBuffer c, int cOff, int ldc) {
        if (m == 0 || n == 0) return;
        if (beta != 0f && beta != 1f) throw new IllegalArgumentException("beta must be 0 or 1, got " + beta);
        boolean bf16 = a instanceof ShortBuffer;
        if (bf16 != (b instanceof ShortBuffer)) throw new IllegalArgumentException("A and B must have the same type");
        Key key = new Key(bf16, transB, m, n, k, lda, ldb, ldc, beta != 0f);
        long t0 = System.nanoTime();
        synchronized (Dnnl.class) {
            if (!available()) throw new IllegalStateException(description);
            threads();
            dnnl_primitive prim = PRIMITIVES.get(key);
            if (prim == null) {
                dnnl_primitive_desc pd = describeProblem(key);
                if (pd == null) throw new IllegalStateException("oneDNN has no " + (bf16 ? "bf16" : "f32") + " matmul on " + isaName(isa));
                prim = new dnnl_primitive();
                int s = dnnl_primitive_create(prim, pd);
                dnnl_primitive_desc_destroy(pd);
                check(s, "matmul primitive");
                PRIMITIVES.put(key, prim);
            }
            dnnl_memory_desc[] mds = descriptors(key);
            dnnl_memory ma = memory(mds[0], pointer(a, aOff));
            dnnl_memory mb = memory(mds[1], pointer(b, bOff));
            dnnl_memory mc = memory(mds[2], pointer(c, cOff));
            try {
                dnnl_exec_arg_t args = new dnnl_exec_arg_t(3);
                args.position(0).arg(DNNL_ARG_SRC).memory(ma);
                args.position(1).arg(DNNL_ARG_WEIGHTS).memory(mb);
                args.position(2).arg(DNNL_ARG_DST).memory(mc);
                check(dnnl_primitive_execute(prim, stream, 3, args.position(0)), "matmul");
                check(dnnl_stream_wait(stream), "stream wait");
            } finally {
                dnnl_memory_destroy(ma);
                dnnl_memory_destroy(mb);
                dnnl_memory_destroy(mc);
                for (dnnl_memory_desc md : mds) dnnl_memory_desc_destroy(md);
                Reference.reachabilityFence(a);
                Reference.reachabilityFence(b);
                Reference.reachabilityFence(c);
            }
        }
        Gemm.Stats.add(2L * m * n * k, System.nanoTime() - t0);
    }

    /** The calling thread's OpenMP thread count follows {@link Blas#threads()}. */
    private static void threads() {
        int want = Blas.threads();
        Integer have = OMP_THREADS.get();
        if (gomp != null && (have == null || have != want)) {
            gomp.omp_set_num_threads(want);
            OMP_THREADS.set(want);
        }
    }

    /** A pointer to element off of a direct buffer (a slice, so no pointer arithmetic is left to JavaCPP). */
    private static org.bytedeco.javacpp.Pointer pointer(Buffer buf, int off) {
        if (!buf.isDirect()) throw new IllegalArgumentException("oneDNN needs direct buffers");
        if (buf instanceof ShortBuffer s) return new ShortPointer(s.duplicate().position(off).slice());
        return new FloatPointer(((FloatBuffer) buf).duplicate().position(off).slice());
    }

    private static dnnl_memory memory(dnnl_memory_desc md, org.bytedeco.javacpp.Pointer data) {
        dnnl_memory mem = new dnnl_memory();
        check(dnnl_memory_create(mem, md, engine, data), "memory");
        return mem;
    }

    /** Source, weights and destination descriptors (caller destroys them). */
    private static dnnl_memory_desc[] descriptors(Key key) {
        int type = key.bf16() ? dnnl_bf16 : dnnl_f32;
        dnnl_memory_desc src = new dnnl_memory_desc(), wei = new dnnl_memory_desc(), dst = new dnnl_memory_desc();
        check(dnnl_memory_desc_create_with_strides(src, 2, new long[] {key.m(), key.k()}, type, new long[] {key.lda(), 1}), "src desc");
        long[] ws = key.transB() ? new long[] {1, key.ldb()} : new long[] {key.ldb(), 1};
        check(dnnl_memory_desc_create_with_strides(wei, 2, new long[] {key.k(), key.n()}, type, ws), "weights desc");
        check(dnnl_memory_desc_create_with_strides(dst, 2, new long[] {key.m(), key.n()}, dnnl_f32, new long[] {key.ldc(), 1}), "dst desc");
        return new dnnl_memory_desc[] {src, wei, dst};
    }

    /** The primitive descriptor, or null when oneDNN has no implementation (dnnl_unimplemented). */
    private static dnnl_primitive_desc describeProblem(Key key) {
        dnnl_memory_desc[] mds = descriptors(key);
        dnnl_primitive_attr attr = new dnnl_primitive_attr();
        dnnl_post_ops po = null;
        try {
            check(dnnl_primitive_attr_create(attr), "attr");
            if (key.accumulate()) {
                po = new dnnl_post_ops();
                check(dnnl_post_ops_create(po), "post-ops");
                check(dnnl_post_ops_append_sum(po, 1f, 0, dnnl_data_type_undef), "sum post-op");
                check(dnnl_primitive_attr_set_post_ops(attr, po), "attr post-ops");
            }
            dnnl_primitive_desc pd = new dnnl_primitive_desc();
            int s = dnnl_matmul_primitive_desc_create(pd, engine, mds[0], mds[1], null, mds[2], attr);
            if (s == dnnl_unimplemented) return null;
            check(s, "matmul descriptor");
            return pd;
        } finally {
            if (po != null) dnnl_post_ops_destroy(po);
            dnnl_primitive_attr_destroy(attr);
            for (dnnl_memory_desc md : mds) dnnl_memory_desc_destroy(md);
        }
    }

    private static void check(int status, String what) {
        if (status != dnnl_success) throw new IllegalStateException("oneDNN " + what + ": status " + status);
    }
}
