/**
 * The command line (picocli), the top of the stack: {@code run}, {@code capture}, {@code init},
 * {@code validate}, {@code study}, {@code report}, {@code mi} and {@code bench}; options parsed and checked here,
 * one-line errors and the exit codes ({@link org.emergence.cli.Main}: 0 done, 2 bad input, 1 a bug). Depends on every
 * package below it; nothing in the core depends on it (only the Spark entry point reuses its options). See
 * docs/run.md and docs/errors.md.
 */
package org.emergence.cli;
