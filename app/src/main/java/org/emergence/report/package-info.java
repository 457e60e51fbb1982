/**
 * The report of a finished run, the last stage of the data flow: report.html and the charts (JFreeChart PNGs)
 * built from the run directory's summary.json and results.csv, and the page formatting the validate and study reports
 * share. Depends on {@code common}, and on {@code ie} for the typed run summary ({@code ie.RunSummary}, how it reads
 * summary.json) and how E's terms are named ({@code ie.Terms}); it reads the run's files, not the run's objects. Must not depend on {@code model}, {@code mi}, {@code validate}, {@code study} or
 * {@code cli}. See docs/report.md.
 */
package org.emergence.report;
