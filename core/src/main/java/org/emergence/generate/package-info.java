/**
 * Text that a causal model writes itself, the stage between the model and the campaigns that measure it: {@link
 * org.emergence.generate.TextSampler} (ancestral sampling with temperature, optional top-k and a seed, from the
 * model's start token or a human prompt, the whole prefix recomputed every step) and {@link
 * org.emergence.generate.ModelText}, which writes the documents behind the {@code text:sampled} dataset and the
 * "generated" source of {@code study texts}. Depends on {@code common}, {@code tokenize}, {@code data} and {@code
 * model}; must not depend on {@code mi}, {@code ie} or anything above ({@code ie}, {@code validate} and {@code study}
 * use it). See docs/datasets.md and docs/studies.md.
 */
package org.emergence.generate;
