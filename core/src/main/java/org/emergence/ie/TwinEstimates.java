package org.emergence.ie;

import java.util.Map;

/**
 * One untrained twin of a relative measurement ({@link NullTwins}): its seed and its finished estimates, by file name,
 * which the run's summary reports against.
 */
record TwinEstimates(long seed, Map<String, EstimateFile> estimates) {}
