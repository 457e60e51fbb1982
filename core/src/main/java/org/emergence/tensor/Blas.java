package org.emergence.tensor;

import com.sun.jna.Platform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_full;
import org.emergence.common.LocalDirs;

/**
 * Loads OpenBLAS (bytedeco's bundled native library) once per process and owns its thread count.
 *
 * <p>If the native library cannot load, {@link #available()} is false, every caller falls back to the
 * pure-Java kernels, and one line says so on stderr. Setting the system property
 * {@code emergence.blas=java} forces the fallback (used by tests to check both paths agree).
 *
 * <p>CPU dispatch: OpenBLAS 0.3.31's runtime detection does not know AMD Zen 4/5 and picks its
 * AVX2 "Haswell" kernels there, which reach about half the SGEMM throughput of its AVX-512
 * "SkylakeX" kernels on the same machine (245 vs 455 GFLOP/s measured on a 2-core Zen 5). See
 * {@link #chooseCoreType()} for the rule; {@link #describe()} says which kernel ran and why.
 */
public final class Blas {
    private Blas() {}

    private static boolean loaded;
    private static boolean tried;
    private static String description = "not loaded";
    private static int threads = Runtime.getRuntime().availableProcessors();

    /** True when the native OpenBLAS library is loaded and usable. */
    public static synchronized boolean available() {
        if (!tried) load();
        return loaded;
    }

    /** e.g. "OpenBLAS 0.3.31 DYNAMIC_ARCH ... SkylakeX" or "pure-Java kernel". */
    public static synchronized String describe() {
        available();
        return description;
    }

    /** Threads used by GEMM (OpenBLAS) and by the Java kernels ({@link Parallel}). */
    public static synchronized int threads() {
        return threads;
    }

    public static synchronized void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("threads must be >= 1, got " + n);
        threads = n;
        if (available()) openblas_full.openblas_set_num_threads(n);
        Parallel.resize(n);
    }

    private static void load() {
        tried = true;
        if ("java".equalsIgnoreCase(System.getProperty("emergence.blas"))) {
            description = "pure-Java kernel (emergence.blas=java)";
            return;
        }
        try {
            LocalDirs.defaultProperty("org.bytedeco.javacpp.cachedir", null, "javacpp");
            LocalDirs.defaultProperty("jna.tmpdir", null, "jna");
            // a cached library that differs from the jar's (recorded at build time) is removed before JavaCPP can reuse it
            org.emergence.common.VerifiedCache.checkJavaCpp(java.nio.file.Path.of(System.getProperty("org.bytedeco.javacpp.cachedir")));
            chooseCoreType();
            Loader.load(openblas_full.class);
            openblas_full.openblas_set_num_threads(threads);
            description = openblas_full.openblas_get_config().getString().trim() + " (core "
                    + openblas_full.openblas_get_corename().getString().trim() + ")" + coreNote;
            loaded = true;
        } catch (Throwable t) {
            description = "pure-Java kernel (OpenBLAS failed to load: " + t + ")";
            System.err.println("emergence: OpenBLAS native library could not be loaded (" + t.getClass().getSimpleName()
                    + ": " + t.getMessage() + "); using the slower pure-Java kernels.");
        }
    }

    /** OpenBLAS kernel families without AVX-512 (older or AVX2-only). */
    private static final java.util.Set<String> PRE_AVX512 = java.util.Set.of("haswell", "zen", "sandybridge", "nehalem",
            "prescott", "core2", "penryn", "dunnington", "atom", "barcelona", "bulldozer", "piledriver", "steamroller",
            "excavator", "katmai", "coppermine", "northwood", "banias", "opteron", "athlon");

    private static String coreNote = "";

    /**
     * Decides OPENBLAS_CORETYPE before the library loads. Our own setting wins
     * (EMERGENCE_OPENBLAS_CORETYPE or -Demergence.openblas.coretype: a core name, or "inherit" to
     * leave OpenBLAS and any OPENBLAS_CORETYPE alone). Otherwise, on a CPU with the AVX-512 subsets of
     * the SkylakeX kernels, we select those when OpenBLAS would not: when OPENBLAS_CORETYPE is unset on
     * AMD (0.3.31 does not recognise Zen 4/5), or when it names a pre-AVX-512 kernel (sandboxes often
     * pin "Haswell" for portability).
     */
    private static void chooseCoreType() {
        String own = System.getProperty("emergence.openblas.coretype", System.getenv("EMERGENCE_OPENBLAS_CORETYPE"));
        String inherited = System.getenv("OPENBLAS_CORETYPE");
        String core;
        if (own != null && !own.isBlank() && !own.equalsIgnoreCase("auto")) {
            if (own.equalsIgnoreCase("inherit")) return;
            core = own.trim();
            coreNote = " [EMERGENCE_OPENBLAS_CORETYPE=" + core + "]";
        } else {
            Cpu cpu = Cpu.read();
            if (cpu == null || !cpu.avx512) return;
            if (inherited == null) {
                if (!cpu.amd) return;
                core = "SkylakeX";
                coreNote = " [SkylakeX chosen: OpenBLAS does not detect this AMD CPU's AVX-512]";
            } else if (PRE_AVX512.contains(inherited.trim().toLowerCase(java.util.Locale.ROOT))) {
                core = "SkylakeX";
                coreNote = " [OPENBLAS_CORETYPE=" + inherited + " overridden: this CPU has AVX-512; "
                        + "EMERGENCE_OPENBLAS_CORETYPE=inherit keeps it]";
            } else {
                return;
            }
        }
        if (Platform.isWindows()) return;
        if (!NativeEnv.set("OPENBLAS_CORETYPE", core, true)) coreNote = ""; // only a speed loss: OpenBLAS then detects
    }

    /** The CPU facts the kernel choice needs, from /proc/cpuinfo (Linux x86-64 only). */
    record Cpu(boolean amd, boolean avx512) {
        static Cpu read() {
            if (!Platform.isLinux() || !Platform.isIntel() || !Platform.is64Bit()) return null;
            try {
                boolean amd = false;
                String flags = null;
                for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                    if (line.startsWith("vendor_id") && line.contains("AuthenticAMD")) amd = true;
                    if (line.startsWith("flags") && flags == null) flags = " " + line.substring(line.indexOf(':') + 1) + " ";
                }
                if (flags == null) return null;
                boolean all = true;
                // the kernel hides these flags unless the OS saves the AVX-512 register state
                for (String f : new String[] {"avx512f", "avx512dq", "avx512bw", "avx512vl", "avx512cd"}) {
                    all &= flags.contains(" " + f + " ");
                }
                return new Cpu(amd, all);
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }
    }
}
