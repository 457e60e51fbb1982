/**
 * The paper's studies ({@code emergence study}), a campaign over {@code ie} runs run by {@code campaign}: each kind
 * (shots, errors, texts, models, ablations) one class that plans its conditions and compares them with paired
 * intervals ({@code StudyKinds} registers them; an unknown kind is refused), study.json as a typed record with one
 * serializer, study.csv, and the charts each kind asks for as data ({@code StudyChart}; {@code report} draws them and
 * writes study.html). Depends on {@code campaign}, {@code ie}, {@code model}, {@code model.io}, {@code data},
 * {@code tokenize} and {@code common}; must not depend on {@code report}, {@code validate}, {@code cli} or
 * {@code spark}. See docs/studies.md and docs/architecture.md.
 */
package org.emergence.study;
