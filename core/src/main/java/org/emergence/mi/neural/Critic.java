package org.emergence.mi.neural;

import java.util.ArrayList;
import java.util.List;

/**
 * A critic T(x, y) evaluated on a batch xb [b, dx], yb [b, dy]: either on chosen pairs
 * (x_pi[k], y_pj[k]) or, with pi == null, on all b×b pairs, row-major (index i·b + j, joint pairs on the
 * diagonal). {@link #backward} takes dLoss/dScore for the pairs of the last forward.
 */
abstract class Critic {
    final List<float[]> params = new ArrayList<>(), grads = new ArrayList<>();

    abstract float[] forward(float[] xb, float[] yb, int b, int[] pi, int[] pj);

    abstract void backward(float[] dScores);

    float[][] snapshot() {
        float[][] s = new float[params.size()][];
        for (int i = 0; i < s.length; i++) s[i] = params.get(i).clone();
        return s;
    }

    void restore(float[][] s) {
        for (int i = 0; i < s.length; i++) System.arraycopy(s[i], 0, params.get(i), 0, s[i].length);
    }

    long parameterCount() {
        long c = 0;
        for (float[] p : params) c += p.length;
        return c;
    }
}
