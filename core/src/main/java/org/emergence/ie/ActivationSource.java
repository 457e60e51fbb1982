package org.emergence.ie;

import java.io.IOException;
import java.util.function.IntFunction;
import org.emergence.data.Dataset;
import org.emergence.mi.Matrix;
import org.emergence.model.ModelConfig;

/**
 * Where a run's activations come from, chosen once per run ({@link EmergenceRun#source}): the model's own forward pass
 * ({@link ModelActivations}, spilled block by block), activations captured elsewhere ({@link RecordedActivations},
 * {@code run --acts}), or the untrained-input baseline ({@link RandomBaseline}, {@code --dataset random}). The run
 * walks the blocks 0 … last in order; for each it asks the source to {@link #capture} what the block needs, reads the
 * block's states for its estimates ({@link #block}), then {@link #release}s them.
 */
interface ActivationSource {
    /** The architecture the activations come from. */
    ModelConfig config();

    /** Checks the dataset against the source before anything is written (bad input: a {@code UserError}). */
    default void validate(Dataset data) {}

    /** Before the first block, once the run directory is open. */
    void start(Context c) throws IOException;

    /** Whether block l still owes something besides its estimates (files of {@code --save-acts}). */
    default boolean owes(int l) {
        return false;
    }

    /**
     * Makes block l's input and output states available, and whatever later blocks need of them.
     *
     * @param estimates whether block l's estimates are still to be computed (else only later blocks may need it)
     */
    void capture(int l, boolean estimates) throws IOException;

    /** Block l's states, after {@link #capture}: what its (level, position) estimates read. */
    Block block(int l) throws IOException;

    /** Block l is done: drop what no later block needs (unless the run keeps its activations). */
    default void release(int l) throws IOException {}

    /** After the last block (its estimates and every file are written). */
    default void finish() throws IOException {}

    /**
     * What every source of a run shares.
     *
     * @param last  the last measured block
     * @param batch sequences per forward batch (at most N)
     */
    record Context(RunSettings settings, Dataset data, RunDir dir, RunResume resume, int h, int batch, int last,
                   boolean keepActivations, boolean quiet) {
        int n() {
            return data.n();
        }

        int t() {
            return data.t();
        }

        SpillFiles spill() {
            return new SpillFiles(n(), t(), h, batch);
        }
    }

    /**
     * One block's states at each position i over the N sequences: the macro input and output (each [N, H]), and the
     * micro pairs (each sequence's token at i fed alone, before and after the block).
     *
     * @param knownInputRms the pooled RMS of the block's input when it is known without a pass over the states (the
     *                      random baseline's √var), else NaN
     */
    record Block(IntFunction<Matrix> input, IntFunction<Matrix> output, IntFunction<Matrix[]> micro, double knownInputRms) {}
}
