/**
 * The validity controls ({@code emergence validate}), a campaign over {@code ie} runs run by {@code campaign}: runs
 * that must or must not move IE (trained against untrained weights, natural against scrambled text, …), each control
 * one class with the conditions it needs and its verdict ({@code Controls} registers them), validate.json as a typed
 * record with one serializer ({@code report} writes validate.html from it). Depends on {@code campaign}, {@code ie},
 * {@code mi}, {@code model}, {@code tokenize} and {@code common}; must not depend on {@code report}, {@code study},
 * {@code cli} or {@code spark}. See docs/validity.md and docs/architecture.md.
 */
package org.emergence.validate;
