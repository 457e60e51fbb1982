package org.emergence.ie;

import java.util.Collection;
import java.util.TreeSet;
import org.emergence.model.ModelConfig;

/**
 * manifest.json of an activation layout ({@link ActsLayout}, docs/activations.md), read and written by
 * {@link ActsManifestJson}.
 *
 * @param layers        the block indices whose h and micro_h files exist, ascending
 * @param microPosition "original" (lone tokens keep their position) or "zero"
 * @param dataset       the dataset spec the sequences came from (null: not stated)
 * @param source        what wrote the layout (null: not stated)
 */
public record ActsManifest(String format, String model, String modelType, boolean causal, int hidden, int[] layers, String microPosition,
                           boolean microSpecials, String dataset, boolean specialTokens, String source) {
    /** The layout's format name and version. */
    public static final String FORMAT = "emergence-acts/1";

    public ActsManifest {
        layers = layers.clone();
    }

    @Override
    public int[] layers() {
        return layers.clone();
    }

    /** The manifest of a layout holding {@code layers}, as {@code run --save-acts} and {@code capture --format acts} write it. */
    static ActsManifest of(String model, ModelConfig cfg, Collection<Integer> layers, String microPosition, boolean microSpecials,
                           String dataset, boolean specialTokens, String source) {
        return new ActsManifest(FORMAT, model, cfg.modelType(), cfg.causal(), cfg.hidden(),
                new TreeSet<>(layers).stream().mapToInt(Integer::intValue).toArray(), microPosition, microSpecials, dataset, specialTokens,
                source);
    }
}
