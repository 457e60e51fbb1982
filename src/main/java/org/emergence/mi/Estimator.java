package org.emergence.mi;

/**
 * A mutual-information estimator I(X; Y) from paired samples X [n, dx] and Y [n, dy]. Deterministic
 * for a given seed. Implementations never return NaN or infinity: degenerate input gives a finite
 * value with a warning, or a {@link org.emergence.common.UserError} with one clear line.
 */
public interface Estimator {
    String name();

    Estimate estimate(Matrix x, Matrix y, long seed);
}
