/**
 * Mutual-information estimators behind one interface ({@link org.emergence.mi.Estimator} to {@link
 * org.emergence.mi.Estimate}, with diagnostics and per-group replicates): the noisy Gaussian mixture (the default),
 * Gaussian, KSG, exact discrete, the automatic choice and noise regularisation. The stage from activations to MI
 * values. Depends on {@code common}, {@code tensor} and {@code mi.neural} (registered by name); must not depend on
 * {@code model}, {@code data}, {@code ie} or anything above: an estimator sees matrices, never a model. See
 * docs/measurement.md.
 */
package org.emergence.mi;
