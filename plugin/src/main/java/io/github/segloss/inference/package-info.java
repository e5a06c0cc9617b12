/**
 * From a model's outputs to what a user keeps: {@link io.github.segloss.inference.ClassMaps} turns
 * low-resolution class logits into a full-resolution class map with bounded memory.
 */
package io.github.segloss.inference;
