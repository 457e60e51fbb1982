/**
 * Numerical kernels shared by the forward pass and the estimators: matrix products ({@link
 * org.emergence.tensor.Gemm}: OpenBLAS through bytedeco, or plain Java), BLAS thread control, double-precision linear
 * algebra and parallel loops. Not a stage: the arithmetic under {@code model} and {@code mi}. Depends on
 * {@code common} only; must not depend on {@code model}, {@code mi} or anything above them. See docs/performance.md.
 */
package org.emergence.tensor;
