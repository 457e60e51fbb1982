package org.emergence.mi.bench;

import org.emergence.mi.Matrix;

/**
 * A benchmark distribution with known mutual information: sample(n, seed) draws n paired samples,
 * X [n, dx] and Y [n, dy]; trueMiNats is the exact I(X; Y).
 */
public interface Task {
    String name();

    int dx();

    int dy();

    double trueMiNats();

    String description();

    Sample sample(int n, long seed);

    /** Paired samples of a task. */
    record Sample(Matrix x, Matrix y) {}
}
