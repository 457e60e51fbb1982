package org.emergence.tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;

/**
 * A fixed pool for the Java kernels (norms, activations, attention), sized by --threads like
 * OpenBLAS. Work is split into contiguous index ranges, one per thread, so results never depend on
 * scheduling: each index is computed by exactly the same code whatever the thread count.
 */
public final class Parallel {
    private Parallel() {}

    /** Body over a half-open index range [from, to). */
    public interface RangeBody {
        void run(int from, int to);
    }

    private static final String WORKER = "emergence-kernel";
    private static ExecutorService pool;
    private static int size = Runtime.getRuntime().availableProcessors();

    static synchronized void resize(int n) {
        if (n == size && pool != null) return;
        if (pool != null) pool.shutdown();
        pool = null;
        size = n;
    }

    private static synchronized ExecutorService pool() {
        if (pool == null) {
            ThreadFactory tf = r -> {
                Thread t = new Thread(r, WORKER);
                t.setDaemon(true);
                return t;
            };
            pool = Executors.newFixedThreadPool(size, tf);
        }
        return pool;
    }

    public static synchronized int threads() {
        return size;
    }

    /** Runs body over [0, n) split into at most threads() chunks; small n runs inline. */
    public static void range(int n, int minPerTask, RangeBody body) {
        int t = Math.min(threads(), Math.max(1, n / Math.max(1, minPerTask)));
        // a kernel called from inside a kernel runs inline: the pool never waits on itself
        if (t <= 1 || n <= 1 || Thread.currentThread().getName().equals(WORKER)) {
            body.run(0, n);
            return;
        }
        ExecutorService p = pool();
        List<Future<?>> fs = new ArrayList<>(t);
        for (int i = 1; i < t; i++) {
            int from = (int) ((long) n * i / t), to = (int) ((long) n * (i + 1) / t);
            fs.add(p.submit(() -> body.run(from, to)));
        }
        body.run(0, (int) ((long) n / t));
        for (Future<?> f : fs) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof RuntimeException re) throw re;
                if (c instanceof Error err) throw err;
                throw new IllegalStateException(c);
            }
        }
    }
}
