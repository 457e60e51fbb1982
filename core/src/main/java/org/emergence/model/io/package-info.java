/**
 * Checkpoint formats, the bottom of the model stage (bytes on disk to named tensors): safetensors, single
 * and sharded ({@link org.emergence.model.io.Checkpoint}, {@link org.emergence.model.io.Safetensors}); PyTorch
 * {@code pytorch_model.bin}, zip and legacy, through a restricted unpickler that executes nothing ({@link
 * org.emergence.model.io.TorchBin}); ONNX protobuf ({@link org.emergence.model.io.OnnxModel}); the Hugging Face hub
 * cache; weight-file digests; the safetensors writer. Tensors stay memory-mapped in their stored type ({@link
 * org.emergence.model.io.Weight}). Depends on {@code common} and {@code tensor} only; must not depend on {@code model},
 * {@code model.family} or anything above — it parses untrusted files and is fuzzed on its own. See docs/models.md and
 * docs/reliability.md.
 */
package org.emergence.model.io;
