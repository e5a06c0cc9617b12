/**
 * DJL {@link ai.djl.training.evaluator.Evaluator}s for segmentation: {@link
 * io.github.segloss.metric.MeanIoU} and {@link io.github.segloss.metric.PixelAccuracy} for semantic
 * segmentation, the Mask R-CNN mask metrics of detectron2 ({@link
 * io.github.segloss.metric.MaskRcnnMaskMetric}, made by {@link
 * io.github.segloss.metric.MaskRcnnMaskMetrics}), the mean mask IoU of a mask head's RoIs, overall
 * and per class ({@link io.github.segloss.metric.MaskIoU}), and a per-class report of IoU, Dice,
 * precision and recall with their averages ({@link io.github.segloss.metric.SegmentationReport}),
 * and MONAI's surface distances ({@link io.github.segloss.metric.SurfaceDistance}: Hausdorff, its
 * percentiles, average surface distance) and normalised surface Dice ({@link
 * io.github.segloss.metric.SurfaceDice}), whose state is the per-image values instead of counts,
 * and Boundary IoU ({@link io.github.segloss.metric.BoundaryIoU}, boundary-iou-api's).
 *
 * <p>Each evaluator accumulates integer counts per accumulator key (a confusion matrix, counts of
 * pixels, boundary intersections and unions, or each class's RoI intersections grouped by union
 * size), or the per-image values of the surface metrics, so a batch gives the same number whether
 * it is evaluated whole or split across devices, and results merge by addition or concatenation. An
 * accumulator that has counted nothing reads NaN; the values of a key's last finished epoch stay
 * readable after DJL's training listener has reset it ({@code getLastEpochAccumulator}, {@link
 * io.github.segloss.metric.MeanIoU#getLastEpochPerClassIoU}, {@link
 * io.github.segloss.metric.MaskIoU#getLastEpochPerClassIoU}). Bad input raises an {@link
 * java.lang.IllegalArgumentException} naming the argument, the expected and the actual shape or
 * value, as the losses do.
 *
 * <p>COCO mask AP ({@link io.github.segloss.metric.MaskAveragePrecision}, pycocotools' COCOeval for
 * masks, or boundary-iou-api's Boundary AP with {@link io.github.segloss.metric.IouType#BOUNDARY})
 * is not an evaluator: images of detections and ground truths are added to it, and its state is the
 * per-image matches, which merge by concatenation.
 */
package io.github.segloss.metric;
