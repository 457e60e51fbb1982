/**
 * The forward pass and its capture, the stage from token ids to activations: one shared transformer
 * ({@link org.emergence.model.Transformer} with {@code Attention}, {@code FeedForward}, {@code Norms}, {@code Rope})
 * computes every architecture from a {@link org.emergence.model.ModelConfig} and the tensor {@link
 * org.emergence.model.Layout} a {@link org.emergence.model.Family} gives; capture of the residual stream block by block
 * ({@code CaptureRequest}, {@code Hooks}, {@code NpyCapture}); loaders ({@link org.emergence.model.ModelSources}
 * resolves {@code --model}; {@code BuiltinModels}, {@code TinyLmIndex}, {@code OnnxBert}); weight ablations; random
 * checkpoints for {@code init}. Its rooms: {@code model.io} (checkpoint formats, below) and {@code model.family}
 * (the families, which implement {@code Family} with this package's config types; this package reaches into it only
 * where a loader looks a family up). Depends on {@code common}, {@code tensor}, {@code tokenize}, {@code data},
 * {@code model.io}, {@code model.family}; must not depend on {@code mi}, {@code ie} or anything above. See
 * docs/models.md and docs/architecture.md.
 */
package org.emergence.model;
