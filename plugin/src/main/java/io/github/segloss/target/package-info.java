/**
 * Targets and resampling for the segmentation losses, differentiable on every engine: {@link
 * io.github.segloss.target.RoiAlign} (torchvision's RoI Align as interpolation-matrix products),
 * {@link io.github.segloss.target.MaskTargets} (Mask R-CNN mask targets), {@link
 * io.github.segloss.target.BilinearResize} (PyTorch's bilinear interpolate), {@link
 * io.github.segloss.target.NearestExactResize} (PyTorch's nearest-exact resizing of label maps) and
 * {@link io.github.segloss.target.PointSampling} (detectron2's point sampling for PointRend and
 * Mask2Former); and {@link io.github.segloss.target.DistanceMaps} (scipy's exact Euclidean distance
 * transform and the distance maps of the distance-based losses) and {@link
 * io.github.segloss.target.MaskBoundary} (boundary-iou-api's mask boundaries), on the host and for
 * any engine, not differentiable.
 */
package io.github.segloss.target;
