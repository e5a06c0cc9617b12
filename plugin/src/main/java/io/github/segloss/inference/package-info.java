/**
 * From a model's outputs to what a user keeps: {@link
 * io.github.segloss.inference.SemanticPredictions} turns low-resolution class logits into a class
 * map at each image's size with bounded memory (built on {@link
 * io.github.segloss.inference.ClassMaps}), and {@link io.github.segloss.inference.InstanceMasks}
 * pastes Mask R-CNN's per-detection masks into the image as torchvision does.
 */
package io.github.segloss.inference;
