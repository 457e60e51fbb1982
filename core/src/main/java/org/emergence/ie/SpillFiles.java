package org.emergence.ie;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import org.emergence.data.DType;
import org.emergence.data.Npy;
import org.emergence.data.NpyHeader;
import org.emergence.data.NpyWriter;
import org.emergence.mi.Matrix;

/**
 * A run's spilled activations, [T, N, H] float32 .npy files under RUN_DIR/acts (position-major, so that one position's
 * N samples are one contiguous read): written behind the forward pass ({@link SpillWriter}) and read back by position
 * for the estimates or by sequence for the next block.
 */
final class SpillFiles {
    private final int n, t, h, batch;

    SpillFiles(int n, int t, int h, int batch) {
        this.n = n;
        this.t = t;
        this.h = h;
        this.batch = batch;
    }

    /** A [T, N, H] spill file written batch by batch. */
    SpillWriter writer(Path f) throws IOException {
        return new SpillWriter(NpyWriter.create(f, DType.F4, new long[] {t, n, h}), n, t, h, batch);
    }

    /** All N samples of position i from a [T, N, H] file. */
    Matrix position(Path f, int i) {
        NpyHeader hd = Npy.header(f);
        return new Matrix(Npy.readFloats(f, hd, (long) i * n * h, n * h), n, h);
    }

    /** Sequences s0 (inclusive) to s1 of a [T, N, H] file into {@code x} as [(s1 - s0)·T, H], sequence-major. */
    FloatBuffer sequences(Path f, NpyHeader hd, int s0, int s1, FloatBuffer x) {
        int b = s1 - s0;
        for (int i = 0; i < t; i++) {
            float[] col = Npy.readFloats(f, hd, ((long) i * n + s0) * h, b * h);
            for (int j = 0; j < b; j++) x.put((j * t + i) * h, col, j * h, h);
        }
        return x;
    }
}
