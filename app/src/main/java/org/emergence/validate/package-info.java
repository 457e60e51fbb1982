/**
 * The validity controls ({@code emergence validate}), a campaign over {@code ie} runs: runs that must or must
 * not move IE (trained against untrained weights, natural against scrambled text, …), their paired comparisons,
 * verdicts, validity.json and the validate report. Depends on {@code ie}, {@code mi}, {@code model}, {@code tokenize},
 * {@code report} and {@code common}; must not depend on {@code study}, {@code cli} or {@code spark}. See
 * docs/validity.md.
 */
package org.emergence.validate;
