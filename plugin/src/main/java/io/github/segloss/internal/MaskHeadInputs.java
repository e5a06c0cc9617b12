package io.github.segloss.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The validated inputs of a Mask R-CNN mask head, shared by the mask loss and the mask metrics.
 *
 * <ul>
 *   <li>{@link #logits()}: {@code (R, K, M, M)}, for each of the R foreground RoIs one M×M mask
 *       logit map per class (K = 1 when class agnostic);
 *   <li>{@link #classIds()}: {@code (R)}, the ground-truth class of each RoI in {@code [0, K)}
 *       (integers or whole-number floats; not read when class agnostic);
 *   <li>{@link #targets()}: {@code (R, M, M)}, the RoI's ground-truth mask cropped and resized to
 *       M×M, floating point with values in [0, 1].
 * </ul>
 *
 * @param logits the mask logits {@code (R, K, M, M)}
 * @param classIds the ground-truth class of each RoI {@code (R)}
 * @param targets the mask targets {@code (R, M, M)}
 */
public record MaskHeadInputs(NDArray logits, NDArray classIds, NDArray targets) {

    /**
     * Validates the labels and predictions of a mask head.
     *
     * @param labels {@code NDList(classIds, targets)}
     * @param predictions {@code NDList(maskLogits)}
     * @param classAgnostic whether the head predicts one class-agnostic mask per RoI (K = 1)
     * @return the validated inputs
     * @throws IllegalArgumentException naming the argument, the expected and the actual shape or
     *     value, if the logits are not {@code (R, K, M, M)} floats (K = 1 when class agnostic), the
     *     labels are not two arrays, the class ids not {@code (R)} whole numbers in {@code [0, K)}
     *     or the targets not {@code (R, M, M)} floats in [0, 1]
     */
    public static MaskHeadInputs of(NDList labels, NDList predictions, boolean classAgnostic) {
        return of(labels, predictions, classAgnostic, false);
    }

    /**
     * Validates the labels and predictions of a mask head whose targets may have their own size.
     *
     * @param labels {@code NDList(classIds, targets)}
     * @param predictions {@code NDList(maskLogits)}
     * @param classAgnostic whether the head predicts one class-agnostic mask per RoI (K = 1)
     * @param anyTargetSize whether the targets may be {@code (R, H, W)} of any size (sampled at
     *     normalised points), not only {@code (R, M, M)}
     * @return the validated inputs
     * @throws IllegalArgumentException as {@link #of(NDList, NDList, boolean)}
     */
    public static MaskHeadInputs of(
            NDList labels, NDList predictions, boolean classAgnostic, boolean anyTargetSize) {
        NDArray logits = predictions.head();
        Shapes.requireFloat(logits, "maskLogits", 4, "(R, K, M, M)");
        Shape shape = logits.getShape();
        if (shape.dimension() != 4) {
            throw new IllegalArgumentException(
                    "maskLogits must have shape (R, K, M, M), got " + shape);
        }
        long rois = shape.get(0);
        long classes = shape.get(1);
        if (classAgnostic && classes != 1) {
            throw new IllegalArgumentException(
                    "maskLogits of a class-agnostic mask head must have K = 1 channel, got "
                            + shape);
        }
        if (labels.size() != 2) {
            throw new IllegalArgumentException(
                    "labels must be NDList(classIds (R), targets (R, M, M)), got "
                            + labels.size()
                            + " array(s)");
        }
        NDArray classIds = labels.get(0);
        NDArray targets = labels.get(1);
        Shapes.requireShape(classIds, "classIds", new Shape(rois), "(R) with R from maskLogits");
        Shapes.requireNumeric(classIds, "classIds");
        if (anyTargetSize) {
            Shape targetShape = targets.getShape();
            if (targetShape.dimension() != 3 || targetShape.get(0) != rois) {
                throw new IllegalArgumentException(
                        "targets must have shape (R, H, W) with R = "
                                + rois
                                + " from maskLogits "
                                + shape
                                + ", got "
                                + targetShape);
            }
        } else {
            Shapes.requireShape(
                    targets,
                    "targets",
                    new Shape(rois, shape.get(2), shape.get(3)),
                    "(R, M, M) like maskLogits " + shape);
        }
        if (!targets.getDataType().isFloating()) {
            throw new IllegalArgumentException(
                    "targets must be a floating-point array, got " + targets.getDataType());
        }
        if (!classAgnostic) {
            ValueChecks.requireClassOrIgnore(classIds, "classIds", classes, ValueChecks.NO_IGNORE);
        }
        ValueChecks.requireRange(targets, "targets", 0, 1);
        return new MaskHeadInputs(logits, classIds, targets);
    }

    /**
     * Returns the number of RoIs, R.
     *
     * @return R, possibly 0
     */
    public long rois() {
        return logits.getShape().get(0);
    }

    /**
     * Returns each RoI's logits of its ground-truth class (channel 0 when class agnostic or K = 1):
     * \( x_{r, k_r, u, v} \), created on the logits' manager and connected to the graph.
     *
     * @return the selected logits {@code (R, M, M)}
     */
    public NDArray selectedLogits() {
        Shape shape = logits.getShape();
        long rois = shape.get(0);
        if (shape.get(1) == 1) {
            return logits.reshape(rois, shape.get(2), shape.get(3));
        }
        NDArray index =
                classIds.toType(DataType.INT64, false)
                        .reshape(rois, 1, 1, 1)
                        .broadcast(new Shape(rois, 1, shape.get(2), shape.get(3)));
        return logits.get(new NDIndex().addAllDim().addPickDim(index))
                .reshape(rois, shape.get(2), shape.get(3));
    }
}
