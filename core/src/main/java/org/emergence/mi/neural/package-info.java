/**
 * Neural MI estimators (MINE and variational bounds with small MLP critics trained by Adam, in plain Java),
 * registered in {@code mi}'s estimator names. Same stage as {@code mi}. Depends on {@code common}, {@code tensor} and
 * {@code mi}'s estimator interface; must not depend on {@code model}, {@code ie} or anything above. See
 * docs/measurement.md.
 */
package org.emergence.mi.neural;
