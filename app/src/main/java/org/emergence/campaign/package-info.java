/**
 * The campaign engine shared by {@code validate} and {@code study}: a {@link org.emergence.campaign.Plan} of
 * {@link org.emergence.campaign.Condition}s, each an ordinary resumable {@code ie} run under {@code OUT/runs/<name>}
 * (or read from another condition's run: a causal model's shorter lists), run by {@link org.emergence.campaign.Campaign},
 * whose typed summaries and paired comparisons come back as {@link org.emergence.campaign.Results}. Depends on
 * {@code ie}, {@code data} and {@code common}; must not depend on {@code validate}, {@code study}, {@code report},
 * {@code cli} or {@code spark}. See docs/architecture.md.
 */
package org.emergence.campaign;
