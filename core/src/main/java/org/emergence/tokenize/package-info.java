/**
 * Text to token ids, the first stage of the data flow: Hugging Face {@code tokenizer.json} through DJL's
 * tokenizers library, SentencePiece {@code tokenizer.model} converted and checked before the native library sees it,
 * and the tokenizer files that belong to a model directory. Depends on {@code common}; must not depend on
 * {@code data}, {@code model} or anything above. See docs/models.md and docs/datasets.md.
 */
package org.emergence.tokenize;
