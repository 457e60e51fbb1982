/**
 * The paper's studies ({@code emergence study}), a campaign over {@code ie} runs: plans of conditions (the
 * kinds shots, errors, texts, models and ablations), each condition run resumably, then compared with
 * paired intervals and reported (study.json, study.csv, study.html). Depends on {@code ie}, {@code model},
 * {@code model.io}, {@code data}, {@code tokenize}, {@code report} and {@code common}; must not depend on
 * {@code validate}, {@code cli} or {@code spark}. See docs/studies.md.
 */
package org.emergence.study;
