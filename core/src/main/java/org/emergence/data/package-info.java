/**
 * Datasets and arrays, the stage between text and the model: {@code --dataset} specs (in-context lists, text
 * windows, files) resolved to an N × T token matrix, and the {@code .npy} reader and writer behind {@code tokens.npy}
 * and every activation file. Depends on {@code common} and {@code tokenize}; must not depend on {@code model},
 * {@code mi}, {@code ie} or anything above. See docs/datasets.md and docs/outputs.md.
 */
package org.emergence.data;
