package org.emergence.model;

import org.emergence.model.io.StorageType;

/**
 * Shape of a random checkpoint written by {@code emergence init}. Zero means "family default"
 * for the optional sizes.
 */
public record InitSpec(String arch, int layers, int hidden, int heads, int kvHeads, int headDim,
                       int intermediate, int vocab, int maxPositions, StorageType dtype, long seed) {}
