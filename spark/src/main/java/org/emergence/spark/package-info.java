/**
 * The Spark backend ({@code spark/emergence-spark}): a run's estimate cells computed on a Spark cluster with the
 * same numbers as a local run — plan the cells ({@code SparkPlan}), capture on the executors, estimate each cell
 * remotely through {@code ie}'s cell API ({@code EstimateCells}), share files through a store ({@code SharedStore}).
 * Built only with {@code -Pspark}. Depends on {@code ie}, {@code model}, {@code mi}, {@code data}, {@code tensor},
 * {@code common} and {@code cli}'s shared options; nothing in the core depends on it. See docs/spark.md.
 */
package org.emergence.spark;
