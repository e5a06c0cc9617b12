/**
 * The segloss losses, each a DJL {@link ai.djl.training.loss.Loss}.
 *
 * <ul>
 *   <li>Cross-entropy: {@link io.github.segloss.loss.PixelCrossEntropyLoss} (ignore label, class
 *       weights, label smoothing) and {@link io.github.segloss.loss.OhemCrossEntropyLoss} (online
 *       hard example mining).
 *   <li>Overlap losses on probabilities ({@link io.github.segloss.loss.OverlapLoss}): {@link
 *       io.github.segloss.loss.DiceLoss}, {@link io.github.segloss.loss.JaccardLoss} and {@link
 *       io.github.segloss.loss.TverskyLoss}, in the modes of {@link
 *       io.github.segloss.loss.SegmentationMode}; {@link io.github.segloss.loss.LovaszLoss}.
 *   <li>MONAI's {@link io.github.segloss.loss.GeneralizedDiceLoss} (class weights from the target
 *       volumes) and smp's {@link io.github.segloss.loss.MccLoss} (Matthews correlation).
 *   <li>{@link io.github.segloss.loss.FocalLoss} (smp's sigmoid and MONAI's softmax focal loss) and
 *       {@link io.github.segloss.loss.BinaryCrossEntropyLoss}.
 *   <li>Instance masks: {@link io.github.segloss.loss.MaskRcnnMaskLoss} and {@link
 *       io.github.segloss.loss.PointSampledMaskLoss} (PointRend / Mask2Former); regression: {@link
 *       io.github.segloss.loss.MaskedL2Loss}.
 *   <li>Distance-based: {@link io.github.segloss.loss.BoundaryLoss} (Kervadec et al.) and {@link
 *       io.github.segloss.loss.HausdorffDTLoss} (MONAI's), on the maps of {@link
 *       io.github.segloss.target.DistanceMaps}.
 *   <li>Combinations: {@link io.github.segloss.loss.WeightedSumLoss} (weighted parts, each on the
 *       whole output or on one head), {@link io.github.segloss.loss.DeepSupervisionLoss} (one
 *       {@link io.github.segloss.loss.HeadLoss} per output head: PSPNet's main and auxiliary heads,
 *       or MONAI's levels with labels resized to each head) and {@link
 *       io.github.segloss.loss.WeightedLoss}.
 * </ul>
 *
 * <p>Every builder shares its common settings through one documented base: {@link
 * io.github.segloss.loss.LossBuilder} ({@code optName}, {@code optCheckFinite}), {@link
 * io.github.segloss.loss.PixelLossBuilder} ({@code optIgnoreIndex}, with each loss's own default),
 * {@link io.github.segloss.loss.WeightedPixelLossBuilder} ({@code optClassWeights}) and {@link
 * io.github.segloss.loss.SegmentationLossBuilder} ({@code setMode}, {@code optFromLogits}).
 *
 * <p>Every loss returns a scalar on the prediction's device, connected to the graph, and gives
 * exactly +0 with a zero gradient when nothing is labelled (PyTorch gives NaN there). Bad input
 * raises an {@link java.lang.IllegalArgumentException} that names the loss (inside a combination,
 * the path to it, e.g. {@code WeightedSumLoss "ce+dice" > DiceLoss "dice": ...}), the argument, the
 * expected and the actual shape or value, positions as indices of every axis, and the likely cause
 * where one is known (a label 255 in a loss without an ignore index). Every builder takes {@code
 * optCheckFinite(true)}, which makes {@code evaluate} reject NaN and infinite predictions with
 * their count and the position of the first.
 */
package io.github.segloss.loss;
