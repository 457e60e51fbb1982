package org.emergence.tensor;

import org.bytedeco.openblas.global.openblas_full;

/**
 * Runs a section of code with a different OpenBLAS thread count, then restores {@link Blas#threads()}.
 * For code that issues many small GEMMs (the MI estimators' critics: a few hundred rows at a time),
 * where OpenBLAS's thread hand-off costs more than it saves and, on a busy machine, spinning worker
 * threads slow everything down. The Java kernel pool ({@link Parallel}) is not touched.
 */
public final class BlasThreads {
    private BlasThreads() {}

    private static final Object LOCK = new Object();

    public static <T> T with(int threads, java.util.function.Supplier<T> body) {
        if (!Blas.available() || threads == Blas.threads()) return body.get();
        synchronized (LOCK) {
            openblas_full.openblas_set_num_threads(threads);
            try {
                return body.get();
            } finally {
                openblas_full.openblas_set_num_threads(Blas.threads());
            }
        }
    }
}
