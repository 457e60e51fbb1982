package org.emergence.validate;

import java.nio.file.Path;
import java.util.Set;
import org.emergence.ie.RunRequest;

/**
 * What a validation is asked to do.
 *
 * @param base            model, measurement, N, seed, batch (dataset and output ignored)
 * @param icl             the in-context dataset (e.g. icl:animal), or "none" for text controls only
 * @param text            the natural text source (e.g. text:builtin, or auto)
 * @param textTokens      tokens per text window, special tokens not counted
 * @param initSeeds       seeds of the untrained models
 * @param sigmaFactors    σ multiples (besides 1) for σ-robustness
 * @param replicates      extra fresh dataset draws of the ICL condition for interval calibration
 * @param out             the validation's directory
 * @param skip            controls left out
 * @param sharedTextScale scrambled and shifted text use the natural text run's layer RMS as their noise scale (one
 *                        resolution per layer of the model, {@code --noise-reference}); false: each its own
 */
public record ValidationOptions(RunRequest base, String icl, String text, int textTokens, long[] initSeeds, double[] sigmaFactors,
                                int replicates, Path out, Set<String> skip, boolean sharedTextScale) {
    ValidationOptions withText(String t) {
        return new ValidationOptions(base, icl, t, textTokens, initSeeds, sigmaFactors, replicates, out, skip, sharedTextScale);
    }

    /** False with {@code --dataset none}: a model whose tokenizer splits the list entities, or text-only validation. */
    boolean hasIcl() {
        return !icl.equals("none");
    }

    /** The condition a control falls back to when it has no in-context data: the natural text. */
    String main() {
        return hasIcl() ? "icl" : "text";
    }

    boolean wants(String control) {
        return !skip.contains(control);
    }
}
