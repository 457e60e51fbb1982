/**
 * One IE run, the stage from activations to estimates to the summary: the request and the settings that
 * determine the numbers ({@link org.emergence.ie.RunRequest}, {@link org.emergence.ie.RunSettings}), the layer-major run
 * ({@link org.emergence.ie.EmergenceRun}: forward one block, spill its activations, estimate every (level, layer,
 * position) cell), the activation sources ({@code --acts}, the random baseline), resume, and the assembly of E(l, t),
 * E(l), IE(t) and IE with intervals ({@link org.emergence.ie.SummaryBuilder}: summary.json, results.csv), and summary.json as a typed record
 * ({@link org.emergence.ie.RunSummary}, read by every stage above through its one serializer, {@code RunSummaryJson}). Depends on
 * {@code common}, {@code tensor}, {@code tokenize}, {@code data}, {@code model}, {@code model.io} and {@code mi}; must not
 * depend on {@code validate}, {@code study}, {@code report}, {@code cli} or {@code spark}. See docs/run.md,
 * docs/measurement.md, docs/outputs.md and docs/activations.md.
 */
package org.emergence.ie;
