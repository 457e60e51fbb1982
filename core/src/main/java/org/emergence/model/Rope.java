package org.emergence.model;

/**
 * Rotary position embedding on the first {@code dims} features of every query and key head.
 *
 * <p>Two conventions exist. rotate-half (Llama, GPT-NeoX, Gemma): feature i pairs with i + dims/2.
 * Interleaved (GPT-J): feature 2i pairs with 2i + 1. Either way a pair (a, b) with frequency f_i at
 * position p becomes (a·cos − b·sin, b·cos + a·sin) with angle p·f_i.
 *
 * <p>Angles follow the reference's fp32 arithmetic: f_i = 1/θ^(2i/dims) computed in float, the
 * product p·f_i rounded to float, then cos and sin of that float angle. Matching this matters at
 * long positions, where the float rounding of p·f_i is larger than the tolerance.
 *
 * @param invFreq  dims/2 inverse frequencies (already adjusted by any rope_scaling)
 * @param posScale positions are divided by this (linear scaling applied to positions), normally 1
 */
public record Rope(int dims, boolean interleaved, float[] invFreq, float posScale, String description) {

    /** Positions the cos/sin tables cover (a config's max_position_embeddings of 10^9 would not fit an array). */
    public static final int MAX_TABLE_POSITIONS = 1 << 16;

    /** Standard inverse frequencies 1/θ^(2i/dims), in fp32 as the reference computes them. */
    public static float[] standardInvFreq(int dims, double theta) {
        float[] f = new float[dims / 2];
        for (int i = 0; i < f.length; i++) {
            float exponent = (float) (2 * i) / (float) dims;
            float p = (float) Math.pow(theta, exponent);
            f[i] = 1.0f / p;
        }
        return f;
    }

    /** cos/sin tables [positions, dims/2] for positions 0..n-1. */
    public Tables tables(int n) {
        int half = dims / 2;
        float[] cos = new float[n * half], sin = new float[n * half];
        for (int p = 0; p < n; p++) {
            float pos = posScale == 1f ? (float) p : (float) p / posScale;
            for (int i = 0; i < half; i++) {
                float angle = pos * invFreq[i];
                cos[p * half + i] = (float) Math.cos(angle);
                sin[p * half + i] = (float) Math.sin(angle);
            }
        }
        return new Tables(n, half, cos, sin);
    }

    /** Precomputed cos and sin, row p = position p. */
    public record Tables(int positions, int half, float[] cos, float[] sin) {}

    /** Rotates in place the head whose features start at {@code off} of {@code x}, for position {@code pos}. */
    public void apply(float[] x, int off, int pos, Tables t) {
        int half = dims / 2;
        int tb = pos * t.half;
        if (interleaved) {
            for (int i = 0; i < half; i++) {
                float a = x[off + 2 * i], b = x[off + 2 * i + 1];
                float c = t.cos[tb + i], s = t.sin[tb + i];
                x[off + 2 * i] = a * c - b * s;
                x[off + 2 * i + 1] = b * c + a * s;
            }
        } else {
            for (int i = 0; i < half; i++) {
                float a = x[off + i], b = x[off + i + half];
                float c = t.cos[tb + i], s = t.sin[tb + i];
                x[off + i] = a * c - b * s;
                x[off + i + half] = b * c + a * s;
            }
        }
    }

    @Override
    public String toString() {
        return description;
    }
}
