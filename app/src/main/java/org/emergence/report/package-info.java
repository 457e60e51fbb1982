/**
 * The reports, the last stage of the data flow before the command line: a run's report.html and charts (JFreeChart
 * PNGs) built from the run directory's summary.json and results.csv; validate.html from a {@code validate}
 * ValidationResult; study.html and its charts from a {@code study} StudyResult, drawing the charts each study kind
 * describes as data ({@code study.StudyChart}); and the page formatting they share. Depends on {@code common}, on
 * {@code ie} for the typed run summary ({@code ie.RunSummary}, how it reads summary.json) and how E's terms are named
 * ({@code ie.Terms}), and on the typed results of {@code validate} and {@code study}; it reads results, never runs
 * anything. Must not depend on {@code model}, {@code mi}, {@code campaign} or {@code cli}. See docs/report.md.
 */
package org.emergence.report;
