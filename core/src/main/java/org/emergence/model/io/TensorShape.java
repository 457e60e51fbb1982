package org.emergence.model.io;

/**
 * What a checkpoint writer needs to know of a tensor: its stored name and shape (C order). {@code model.Layout.Tensor}
 * is one; the writer asks for nothing else, so the checkpoint formats do not depend on the families' layouts.
 */
public interface TensorShape {
    String name();

    long[] shape();
}
