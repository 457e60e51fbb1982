/**
 * One IE run, the stage from activations to estimates to the summary: the request and the settings that
 * determine the numbers ({@link org.emergence.ie.RunRequest}, {@link org.emergence.ie.RunSettings}), the layer-major run
 * ({@link org.emergence.ie.EmergenceRun}: take one block's states, estimate every (level, position) cell, release
 * them), its activation sources behind one interface ({@code ActivationSource}: the model's forward pass spilled block
 * by block with {@code --save-acts}, {@code --acts}, the random baseline), the cells ({@link
 * org.emergence.ie.EstimateCells}), resume, the untrained twins, and the assembly of E(l, t), E(l), IE(t) and IE with
 * intervals from the estimates, the same for a local run and the Spark backend ({@link org.emergence.ie.RunAssembly},
 * {@link org.emergence.ie.SummaryBuilder}: summary.json, results.csv, emergence.csv), and summary.json as a typed record
 * ({@link org.emergence.ie.RunSummary}, read by every stage above through its one serializer, {@code RunSummaryJson}). Depends on
 * {@code common}, {@code tensor}, {@code tokenize}, {@code data}, {@code model}, {@code model.io} and {@code mi}; must not
 * depend on {@code validate}, {@code study}, {@code report}, {@code cli} or {@code spark}. See docs/run.md,
 * docs/measurement.md, docs/outputs.md and docs/activations.md.
 */
package org.emergence.ie;
