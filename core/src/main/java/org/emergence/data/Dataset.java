package org.emergence.data;

import java.util.Map;

/**
 * N sequences of exactly T tokens for one model's tokenizer — or, for the {@code random} baseline,
 * no tokens at all (every block's input is replaced by i.i.d. Gaussian vectors of variance
 * {@code randomVar}).
 *
 * @param ids     token ids [N·T], row-major; null for the random baseline
 * @param details what building the dataset found (entities kept, documents read, windows kept …)
 */
public record Dataset(String spec, String kind, String description, int n, int t, int[] ids, double randomVar,
                      Map<String, Object> details) {

    public boolean isRandom() {
        return ids == null;
    }

    /** Token of sequence s at position i. */
    public int token(int s, int i) {
        return ids[s * t + i];
    }
}
