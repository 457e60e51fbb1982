package org.emergence.model;

import java.nio.FloatBuffer;

/**
 * A mixture-of-experts router's choice for m tokens (Mixtral): per token, softmax over the router's
 * expert logits, keep the top k (the lower index first among equals) and renormalise their
 * probabilities to sum to 1.
 *
 * @param chosen [m][k] expert of each kept slot
 * @param weight [m][k] its renormalised weight
 */
record ExpertRouting(int[][] chosen, float[][] weight) {
    /** Routes the m rows of {@code logits} [m, experts]. */
    static ExpertRouting route(FloatBuffer logits, int m, int experts, int k) {
        int[][] chosen = new int[m][k];
        float[][] weight = new float[m][k];
        float[] prob = new float[experts];
        for (int r = 0; r < m; r++) {
            logits.get(r * experts, prob, 0, experts);
            float max = Float.NEGATIVE_INFINITY;
            for (float v : prob) max = Math.max(max, v);
            float sum = 0f;
            for (int e = 0; e < experts; e++) {
                prob[e] = (float) Math.exp(prob[e] - max);
                sum += prob[e];
            }
            for (int e = 0; e < experts; e++) prob[e] /= sum;
            // top k by probability (the lower index first among equals)
            boolean[] taken = new boolean[experts];
            float kept = 0f;
            for (int i = 0; i < k; i++) {
                int best = -1;
                for (int e = 0; e < experts; e++) if (!taken[e] && (best < 0 || prob[e] > prob[best])) best = e;
                taken[best] = true;
                chosen[r][i] = best;
                weight[r][i] = prob[best];
                kept += prob[best];
            }
            for (int i = 0; i < k; i++) weight[r][i] /= kept;
        }
        return new ExpertRouting(chosen, weight);
    }
}
