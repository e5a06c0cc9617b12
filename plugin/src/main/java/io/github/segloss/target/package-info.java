/**
 * Targets for the segmentation losses: {@link io.github.segloss.target.RoiAlign} (torchvision's RoI
 * Align as interpolation-matrix products, differentiable on every engine) and {@link
 * io.github.segloss.target.MaskTargets} (Mask R-CNN mask targets).
 */
package io.github.segloss.target;
