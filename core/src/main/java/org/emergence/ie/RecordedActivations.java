package org.emergence.ie;

import org.emergence.model.ModelConfig;

/**
 * Activations captured elsewhere ({@code run --acts DIR}, the layout of {@link ActsLayout}), read instead of running a
 * model: nothing is computed or spilled, block l's states are read from the layout's files as its estimates need them.
 */
final class RecordedActivations implements ActivationSource {
    private final ActsLayout acts;
    private int n, t, h;
    private int[] itemOf;

    RecordedActivations(ActsLayout acts) {
        this.acts = acts;
    }

    @Override
    public ModelConfig config() {
        return acts.config();
    }

    @Override
    public void start(Context c) {
        n = c.n();
        t = c.t();
        h = c.h();
        itemOf = acts.itemOf();
    }

    @Override
    public void capture(int l, boolean estimates) {}

    @Override
    public Block block(int l) {
        float[][] microBA = {acts.micro(l), acts.micro(l + 1)};
        return new Block(i -> acts.macro(l, i), i -> acts.macro(l + 1, i), i -> MicroStates.pairs(microBA, itemOf, n, t, h, i),
                Double.NaN);
    }
}
