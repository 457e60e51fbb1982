package org.emergence.mi.neural;

/**
 * Variational lower bounds on MI from critic scores, and their training gradients. Scores come in one of
 * two layouts: "pairs" (the first b scores are the joint pairs (x_i, y_i), the rest are negatives) or
 * "all" (b×b, row-major, joint pairs on the diagonal, negatives off it).
 *
 * <ul>
 *   <li>DV (Donsker–Varadhan, MINE): E_joint[T] − ln E_neg[e^T]. MINE's gradient replaces the batch
 *       denominator E_neg[e^T] by a moving average, which removes the bias of the minibatch gradient.</li>
 *   <li>SMILE: DV with negatives clipped to [−τ, τ] in the log-mean-exp; trained with the
 *       Jensen–Shannon (f-GAN) objective, whose optimal critic is the log density ratio.</li>
 *   <li>InfoNCE: mean_i [T_ii − ln Σ_j e^{T_ij}] + ln b (all-pairs layout only; at most ln b).</li>
 * </ul>
 */
final class Bounds {
    private Bounds() {}

    /** Streaming accumulator for a bound's value and a delta-method standard error over several blocks. */
    static final class Acc {
        double jointSum, jointSq;
        long joint;
        double negMax = Double.NEGATIVE_INFINITY, negSum, negSq; // Σ e^{t−max}, Σ e^{2(t−max)}
        long neg;
        double rowSum, rowSq;
        long rows;

        void joint(double t) {
            jointSum += t;
            jointSq += t * t;
            joint++;
        }

        void neg(double t) {
            if (t > negMax) {
                double f = Math.exp(negMax - t);
                negSum *= f;
                negSq *= f * f;
                negMax = t;
            }
            double e = Math.exp(t - negMax);
            negSum += e;
            negSq += e * e;
            neg++;
        }

        void row(double term) {
            rowSum += term;
            rowSq += term * term;
            rows++;
        }

        /** DV value: mean joint − ln mean e^neg. */
        double dv() {
            return jointSum / joint - (negMax + Math.log(negSum / neg));
        }

        double dvSe() {
            double mj = jointSum / joint, vj = Math.max(0, jointSq / joint - mj * mj);
            double me = negSum / neg, me2 = negSq / neg;
            double relVar = Math.max(0, me2 / (me * me) - 1);
            return Math.sqrt(vj / joint + relVar / neg);
        }

        double rowMean() {
            return rowSum / rows;
        }

        double rowSe() {
            double m = rowSum / rows;
            return Math.sqrt(Math.max(0, rowSq / rows - m * m) / rows);
        }
    }

    /** Adds joint scores and (optionally clipped) negatives of one block to acc. */
    static void accumulateDv(float[] s, int b, boolean all, double clip, Acc acc) {
        if (all) {
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < b; j++) {
                    double t = s[i * b + j];
                    if (i == j) acc.joint(t);
                    else acc.neg(clamp(t, clip));
                }
            }
        } else {
            for (int k = 0; k < s.length; k++) {
                if (k < b) acc.joint(s[k]);
                else acc.neg(clamp(s[k], clip));
            }
        }
    }

    /** Adds the InfoNCE row terms T_ii − ln Σ_j e^{T_ij} + ln b of one all-pairs block. */
    static void accumulateNce(float[] s, int b, Acc acc) {
        for (int i = 0; i < b; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < b; j++) max = Math.max(max, s[i * b + j]);
            double sum = 0;
            for (int j = 0; j < b; j++) sum += Math.exp(s[i * b + j] - max);
            acc.row(s[i * b + i] - max - Math.log(sum) + Math.log(b));
        }
    }

    static double clamp(double t, double clip) {
        return t > clip ? clip : (t < -clip ? -clip : t);
    }

    /**
     * MINE gradient of the loss −DV with the denominator replaced by exp(logEma): joint −1/b each,
     * negative k: e^{t_k − logEma} / M. Returns the batch's ln mean e^neg (to update the average).
     */
    static double mineGrad(float[] s, int b, boolean all, double logEma, float[] g, boolean first) {
        Acc a = new Acc();
        accumulateDv(s, b, all, Double.POSITIVE_INFINITY, a);
        double lme = a.negMax + Math.log(a.negSum / a.neg);
        double denom = first ? lme : logEma;
        float jg = -1f / b;
        double inv = 1.0 / a.neg;
        for (int k = 0; k < s.length; k++) {
            boolean joint = all ? (k / b == k % b) : k < b;
            // the exponent is capped so a critic that drifts upward cannot overflow the gradient
            g[k] = joint ? jg : (float) (inv * Math.exp(Math.min(30, s[k] - denom)));
        }
        return lme;
    }

    /** Gradient of the loss −JS(f-GAN): joint −σ(−t)/b, negatives σ(t)/M. */
    static void jsGrad(float[] s, int b, boolean all, float[] g) {
        long negs = all ? (long) b * (b - 1) : s.length - b;
        for (int k = 0; k < s.length; k++) {
            boolean joint = all ? (k / b == k % b) : k < b;
            double t = s[k];
            g[k] = joint ? (float) (-sigmoid(-t) / b) : (float) (sigmoid(t) / negs);
        }
    }

    /** Gradient of the loss −InfoNCE: (softmax_ij − δ_ij) / b. */
    static void nceGrad(float[] s, int b, float[] g) {
        for (int i = 0; i < b; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < b; j++) max = Math.max(max, s[i * b + j]);
            double sum = 0;
            for (int j = 0; j < b; j++) sum += Math.exp(s[i * b + j] - max);
            for (int j = 0; j < b; j++) {
                double p = Math.exp(s[i * b + j] - max) / sum;
                g[i * b + j] = (float) ((p - (i == j ? 1 : 0)) / b);
            }
        }
    }

    static double sigmoid(double t) {
        return t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t));
    }
}
