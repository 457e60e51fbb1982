/**
 * The architecture families, one class per group of Hugging Face {@code model_type}s, and their registry
 * ({@link org.emergence.model.family.Families}): each family reads {@code config.json} into a {@link
 * org.emergence.model.ModelConfig} (refusing, with one line, any option that would change the computation and is not
 * implemented), names the tensors it expects ({@link org.emergence.model.Layout}) and writes a fresh config for
 * {@code emergence init}. The configuration step between a checkpoint and the shared forward pass. Depends on
 * {@code model}'s config vocabulary ({@code Family}, {@code ModelConfig}, {@code Layout}, {@code ConfigReader},
 * {@code Activation}, {@code Rope}) and {@code common}; must not depend on {@code model.io}, on the forward's classes
 * or on anything above {@code model}. See docs/models.md and docs/architecture.md (how to add a family).
 */
package org.emergence.model.family;
