/**
 * The MI benchmark behind {@code emergence bench mi}: tasks with a known mutual information and the runner
 * that scores estimators on them. A tool over {@code mi}, not a stage of a run. Depends on {@code mi} and
 * {@code common}; must not depend on {@code model}, {@code ie} or anything above. See docs/measurement.md.
 */
package org.emergence.mi.bench;
