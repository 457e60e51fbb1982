/**
 * The report of a finished run, the last stage of the data flow: report.html and the charts (JFreeChart PNGs)
 * built from the run directory's summary.json and results.csv, and the page formatting the validate and study reports
 * share. Depends on {@code common} only (it reads the run's files, not {@code ie}'s classes); must not depend on
 * {@code ie}, {@code model}, {@code mi}, {@code validate}, {@code study} or {@code cli}. See docs/report.md.
 */
package org.emergence.report;
