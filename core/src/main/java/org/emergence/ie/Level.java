package org.emergence.ie;

/** The three kinds of per-(layer, position) mutual information a run estimates. */
public enum Level {
    /** I(h^l_t ; h^(l+1)_t), states of token t computed on the whole sequence. */
    MACRO,
    /** I(h^l_i ; h^(l+1)_i), token i fed to the model alone as a one-token sequence. */
    MICRO,
    /**
     * The in-context per-position MI I(h^l_i ; h^(l+1)_i) — the same estimate as MACRO at position i,
     * listed under its own name because the published code used it in place of the micro level.
     */
    CONTEXT;

    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
