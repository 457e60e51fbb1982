package org.emergence.mi.neural;

import java.util.ArrayList;
import java.util.List;

/** Adam (Kingma & Ba) over a list of parameter arrays with matching gradient arrays. */
final class Adam {
    private final List<float[]> params, grads;
    private final List<float[]> m = new ArrayList<>(), v = new ArrayList<>();
    private final double beta1, beta2, eps;
    private int t;

    Adam(List<float[]> params, List<float[]> grads, double beta1, double beta2, double eps) {
        this.params = params;
        this.grads = grads;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        for (float[] p : params) {
            m.add(new float[p.length]);
            v.add(new float[p.length]);
        }
    }

    /** One update with learning rate lr, then zeroes the gradients. */
    void step(double lr) {
        t++;
        double c1 = 1 - Math.pow(beta1, t), c2 = 1 - Math.pow(beta2, t);
        float b1 = (float) beta1, b2 = (float) beta2;
        for (int k = 0; k < params.size(); k++) {
            float[] p = params.get(k), g = grads.get(k), mk = m.get(k), vk = v.get(k);
            for (int i = 0; i < p.length; i++) {
                float gi = g[i];
                mk[i] = b1 * mk[i] + (1 - b1) * gi;
                vk[i] = b2 * vk[i] + (1 - b2) * gi * gi;
                double mh = mk[i] / c1, vh = vk[i] / c2;
                p[i] -= (float) (lr * mh / (Math.sqrt(vh) + eps));
                g[i] = 0;
            }
        }
    }

    static void zero(List<float[]> grads) {
        for (float[] g : grads) java.util.Arrays.fill(g, 0f);
    }
}
