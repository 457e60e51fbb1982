/**
 * The report of a finished run, the last stage of the data flow: report.html and the charts (JFreeChart PNGs)
 * built from the run directory's summary.json and results.csv, and the page formatting the validate and study reports
 * share. Depends on {@code common}, and on {@code ie} only for how E's terms are named ({@code ie.Terms}); it reads the
 * run's files, not the run's objects. Must not depend on {@code model}, {@code mi}, {@code validate}, {@code study} or
 * {@code cli}. See docs/report.md.
 */
package org.emergence.report;
