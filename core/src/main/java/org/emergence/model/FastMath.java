package org.emergence.model;

/**
 * Special functions for the activation kernels, written as branch-free mul/add/div/min/max so that
 * loops calling them are vectorised by the JIT (a call to Math.exp per element is ~10× slower and
 * dominated GPT-2's forward time). The rational approximations x·P(x²)/Q(x²) were fitted for this
 * project (reweighted least squares on Chebyshev nodes, relative error minimised in double); in
 * float arithmetic they are within 6e-7 (tanh) and 1e-6 (erf) of the true value everywhere —
 * far below the 1e-4 tolerance against the reference and below the float noise of the GEMMs.
 */
final class FastMath {
    private FastMath() {}

    // tanh(x) ≈ x·P(x²)/Q(x²) on [-9, 9]; beyond, tanh rounds to ±1 in float
    private static final float T_P0 = 0.9999999864166257f, T_P1 = 0.12982842236717776f, T_P2 = 0.0029890869642099156f,
            T_P3 = 9.88591622881358e-06f, T_P4 = -1.4593543956609167e-08f, T_P5 = 2.272426691263263e-11f;
    private static final float T_Q1 = 0.46316165671352577f, T_Q2 = 0.024043116640969118f, T_Q3 = 0.00023751980568500336f;

    // erf(x) ≈ x·P(x²)/Q(x²) on [-4, 4]; beyond, erf rounds to ±1 in float
    private static final float E_P0 = 1.128379828521693f, E_P1 = 0.11214086693625772f, E_P2 = 0.038543182713904785f,
            E_P3 = -0.00014909044197119762f, E_P4 = 4.2341574367231395e-05f, E_P5 = -1.446262261757883e-06f,
            E_P6 = 1.96732647672615e-08f;
    private static final float E_Q1 = 0.4327302551851099f, E_Q2 = 0.07834176959031558f, E_Q3 = 0.006613921769241693f;

    static float tanh(float u) {
        float x = Math.max(-9f, Math.min(9f, u));
        float s = x * x;
        float p = ((((T_P5 * s + T_P4) * s + T_P3) * s + T_P2) * s + T_P1) * s + T_P0;
        float q = ((T_Q3 * s + T_Q2) * s + T_Q1) * s + 1f;
        float r = x * p / q;
        return Math.max(-1f, Math.min(1f, r));
    }

    static float erf(float v) {
        float x = Math.max(-4f, Math.min(4f, v));
        float s = x * x;
        float p = (((((E_P6 * s + E_P5) * s + E_P4) * s + E_P3) * s + E_P2) * s + E_P1) * s + E_P0;
        float q = ((E_Q3 * s + E_Q2) * s + E_Q1) * s + 1f;
        float r = x * p / q;
        return Math.max(-1f, Math.min(1f, r));
    }

    /** Logistic σ(x) = (1 + tanh(x/2))/2. */
    static float sigmoid(float x) {
        return 0.5f + 0.5f * tanh(0.5f * x);
    }
}
