package org.emergence.mi.neural;

import org.emergence.mi.Rng;

/** A fully connected layer: weights W [in, out] row-major, bias b [out], and their gradients. */
final class Dense {
    final int in, out;
    final float[] w, b, gw, gb;

    /** Weights N(0, std²), zero bias. */
    Dense(int in, int out, Rng r, double std) {
        this.in = in;
        this.out = out;
        w = new float[in * out];
        b = new float[out];
        gw = new float[in * out];
        gb = new float[out];
        for (int i = 0; i < w.length; i++) w[i] = (float) (std * r.gaussian());
    }

    /** Xavier (Glorot) normal: std = sqrt(2 / (fan_in + fan_out)). */
    static double xavier(int in, int out) {
        return Math.sqrt(2.0 / (in + out));
    }
}
