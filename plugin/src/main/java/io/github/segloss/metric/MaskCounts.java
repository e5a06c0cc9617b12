package io.github.segloss.metric;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.segloss.internal.MaskHeadInputs;

/**
 * The pixel counts behind detectron2's Mask R-CNN mask metrics, for a batch or summed over batches.
 *
 * <p>For each RoI r, the logits of its ground-truth class (channel 0 when class agnostic) give the
 * predicted mask \( x_{r,k_r,u,v} > 0 \) and the target gives the ground truth \( t_{r,u,v} > 0.5
 * \); a pixel is incorrect where the two differ.
 *
 * @param total the pixels compared, \( R \cdot M^2 \)
 * @param positives the ground-truth foreground pixels
 * @param falsePositives the incorrect background pixels (predicted foreground)
 * @param falseNegatives the incorrect foreground pixels (predicted background)
 */
record MaskCounts(long total, long positives, long falsePositives, long falseNegatives) {

    /** Nothing counted. */
    static final MaskCounts NONE = new MaskCounts(0, 0, 0, 0);

    /**
     * Counts the pixels of a batch; zero RoIs count nothing.
     *
     * @param labels {@code NDList(classIds (R), targets (R, M, M))}
     * @param predictions {@code NDList(maskLogits (R, K, M, M))}
     * @param classAgnostic whether the head predicts one class-agnostic mask per RoI (K = 1)
     * @return the batch's counts
     * @throws IllegalArgumentException as {@link MaskHeadInputs#of} does
     */
    static MaskCounts of(NDList labels, NDList predictions, boolean classAgnostic) {
        MaskHeadInputs inputs = MaskHeadInputs.of(labels, predictions, classAgnostic);
        if (inputs.rois() == 0) {
            return NONE;
        }
        Shape shape = inputs.logits().getShape();
        long total = shape.get(0) * shape.get(2) * shape.get(3);
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray predicted = inputs.selectedLogits().gt(0);
            NDArray truth = inputs.targets().gt(0.5);
            NDArray incorrect = predicted.logicalXor(truth);
            NDList sums =
                    new NDList(
                            count(truth),
                            count(incorrect.logicalAnd(truth.logicalNot())),
                            count(incorrect.logicalAnd(truth)));
            long[] counts = NDArrays.stack(sums).toType(DataType.INT64, false).toLongArray();
            return new MaskCounts(total, counts[0], counts[1], counts[2]);
        }
    }

    private static NDArray count(NDArray mask) {
        return mask.toType(DataType.INT64, false).sum();
    }

    /**
     * Adds the counts of two batches.
     *
     * @param other the other counts
     * @return the sums
     */
    MaskCounts plus(MaskCounts other) {
        return new MaskCounts(
                total + other.total,
                positives + other.positives,
                falsePositives + other.falsePositives,
                falseNegatives + other.falseNegatives);
    }

    /**
     * Returns the incorrect pixels.
     *
     * @return false positives plus false negatives
     */
    long incorrect() {
        return falsePositives + falseNegatives;
    }
}
