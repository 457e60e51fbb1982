package org.emergence.model;

import java.nio.FloatBuffer;

/**
 * Receives captured activations batch by batch. {@code rows} holds [B, T_sel, width] floats
 * contiguously from index 0 and is only valid during the call (copy what you keep).
 */
@FunctionalInterface
public interface CaptureSink {
    void accept(String hook, TokenBatch batch, FloatBuffer rows, int positions, int width);
}
